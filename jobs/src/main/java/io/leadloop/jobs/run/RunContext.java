package io.leadloop.jobs.run;

import io.leadloop.common.config.LeadloopConfig;
import io.leadloop.common.metrics.Cutoff;
import io.leadloop.common.spark.Warehouse;
import io.leadloop.jobs.publish.OutputFiles;
import java.time.LocalDate;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What every step of one run shares: the warehouse, the output files, the configuration, the
 * cutoff, the root of the output folders and the run's id. The steps take this instead of each
 * copying the same fields from the job.
 *
 * @param out the output root; the run writes under {@code out/<as-of>/} ({@link #dayDir})
 */
public record RunContext(
    Warehouse warehouse,
    OutputFiles files,
    LeadloopConfig config,
    Cutoff cutoff,
    String out,
    String runId) {

  public RunContext {
    Objects.requireNonNull(warehouse, "warehouse");
    Objects.requireNonNull(files, "files");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(cutoff, "cutoff");
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(runId, "runId");
  }

  /** A context whose files are written through the warehouse session's Hadoop configuration. */
  public static RunContext of(
      Warehouse warehouse, LeadloopConfig config, Cutoff cutoff, String out, String runId) {
    return new RunContext(
        warehouse,
        new OutputFiles(warehouse.spark().sparkContext().hadoopConfiguration()),
        config,
        cutoff,
        out,
        runId);
  }

  public LocalDate asOf() {
    return cutoff.asOf();
  }

  /** The as-of's output folder: {@code out/<as-of>} (run.json, report.html, metrics/, ...). */
  public String dayDir() {
    return out + "/" + asOf();
  }

  /** The as-ofs of {@code runs} (a plan's contexts), in their order. */
  public static List<LocalDate> asOfs(List<RunContext> runs) {
    return runs.stream().map(RunContext::asOf).toList();
  }

  /** Each as-of's run id, in the order of {@code runs}. */
  public static Map<LocalDate, String> runIds(List<RunContext> runs) {
    Map<LocalDate, String> ids = new LinkedHashMap<>();
    runs.forEach(r -> ids.put(r.asOf(), r.runId()));
    return Collections.unmodifiableMap(ids);
  }
}
