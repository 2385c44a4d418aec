package io.leadloop.jobs.segments;

import io.leadloop.common.config.LeadloopConfig;
import io.leadloop.common.metrics.Cutoff;
import io.leadloop.common.spark.Warehouse;
import io.leadloop.jobs.facts.Facts;
import io.leadloop.jobs.publish.OutputFiles;
import io.leadloop.jobs.weekly.StepTimer;
import java.util.Map;

public final class SegmentsStep {
  public SegmentsStep(Warehouse wh, OutputFiles files, LeadloopConfig config, Cutoff cutoff, String out, String runId, boolean dryRun) {}

  public Map<String, Object> execute(Facts facts, StepTimer timer) {
    return Map.of();
  }
}
