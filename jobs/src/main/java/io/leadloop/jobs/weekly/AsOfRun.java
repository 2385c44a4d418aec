package io.leadloop.jobs.weekly;

import io.leadloop.jobs.metrics.MartRows;
import io.leadloop.jobs.metrics.Marts;
import io.leadloop.jobs.metrics.MetricsStep;
import io.leadloop.jobs.report.ReportStep;
import io.leadloop.jobs.run.RunContext;
import io.leadloop.jobs.run.RunSummary;
import io.leadloop.jobs.run.SparkStep;
import io.leadloop.jobs.run.StepTimer;
import io.leadloop.jobs.run.TaskMetrics;
import io.leadloop.jobs.segments.SegmentsStep;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a run does for each of its as-ofs once the plan of all of them has stored the facts and
 * written the marts' files ({@link WeeklyJob}), in two phases. The segments, from the plan ({@link
 * #planned}). Then, once every as-of is through and what they share is computed ({@code
 * segment_lift}) and every mart stored ({@code store_marts}), {@link #finish}: the report and
 * run.json.
 */
final class AsOfRun {
  private final RunContext run;
  private final WeeklyOptions options;
  private final WeeklyJob.Shared shared;
  private final boolean first;
  private final StepTimer timer;
  private SegmentsStep.Result segments;

  /**
   * @param first whether this is the run's first as-of: its run.json carries the ingest's counts
   */
  AsOfRun(RunContext run, WeeklyOptions options, WeeklyJob.Shared shared, boolean first) {
    this.run = run;
    this.options = options;
    this.shared = shared;
    this.first = first;
    this.timer = new StepTimer(TaskMetrics.of(run.warehouse().spark().sparkContext()));
  }

  RunContext run() {
    return run;
  }

  /** Takes the as-of's segments from the plan of every as-of ({@code SegmentsPlan}). */
  AsOfRun planned(SegmentsStep.Result planned) {
    segments = planned;
    return this;
  }

  SegmentsStep.Result segments() {
    return segments;
  }

  /**
   * Writes the report and run.json, with the as-of's {@code segment_lift}; {@code stored} are the
   * steps that computed and stored what every as-of shares after the segments (the lift and the
   * exclusions).
   */
  WeeklyJob.Result finish(
      MetricsStep.Lift lift, List<StepTimer.Step> stored, List<SparkStep> storedSpark) {
    Map<String, MartRows> marts = new LinkedHashMap<>(shared.published().get(run.asOf()).marts());
    marts.put(Marts.SEGMENT_LIFT.table(), lift.rows());
    marts.put(SegmentsStep.EXCLUSIONS_TABLE, segments.exclusions());
    Map<String, Long> rows = shared.rows().get(run.asOf());
    // The steps of the plan every as-of shares (ingest, facts, marts), this as-of's own, then the
    // stores they share.
    List<StepTimer.Step> steps = new ArrayList<>(shared.timer().steps());
    steps.addAll(timer.steps());
    steps.addAll(stored);
    RunSummary summary =
        RunSummaryBuilder.build(
            run,
            first ? shared.ingest() : null,
            rows,
            rows.get(WeeklyJob.UNLINKED),
            steps,
            segments.summary(),
            lift.entries());
    timer.step(
        "report", () -> new ReportStep(run, marts).execute(summary), r -> (long) r.sections());
    steps.add(timer.steps().get(timer.steps().size() - 1));
    RunSummary written = summary.withSteps(steps);
    run.files().writeString(run.dayDir() + "/run.json", written.toJson() + "\n");
    List<SparkStep> spark = new ArrayList<>(shared.timer().sparkSteps());
    spark.addAll(timer.sparkSteps());
    spark.addAll(storedSpark);
    return new WeeklyJob.Result(
        run.runId(), run.dayDir(), written, spark, shared.factsComputed(), shared.martsComputed());
  }
}
