package io.leadloop.jobs.weekly;

import io.leadloop.jobs.facts.Facts;
import io.leadloop.jobs.metrics.Marts;
import io.leadloop.jobs.metrics.MetricsStep;
import io.leadloop.jobs.report.ReportStep;
import io.leadloop.jobs.run.RunContext;
import io.leadloop.jobs.run.RunSummary;
import io.leadloop.jobs.run.StepTimer;
import io.leadloop.jobs.run.TaskMetrics;
import io.leadloop.jobs.segments.SegmentsStep;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a run does for each of its as-ofs once the plan of all of them has stored the facts and the
 * marts ({@link WeeklyJob}): {@code segment_lift} (from the entries stored up to the as-of), the
 * segments and exports, the report and run.json, from the as-of's own facts. The as-ofs of a
 * backfill go through this in order, because a published one stores the entries a later one counts.
 */
final class AsOfRun {
  private final RunContext run;
  private final WeeklyOptions options;
  private final MetricsStep metrics;
  private final WeeklyJob.Shared shared;
  private final boolean first;

  /**
   * @param first whether this is the run's first as-of: its run.json carries the ingest's counts
   */
  AsOfRun(
      RunContext run,
      WeeklyOptions options,
      MetricsStep metrics,
      WeeklyJob.Shared shared,
      boolean first) {
    this.run = run;
    this.options = options;
    this.metrics = metrics;
    this.shared = shared;
    this.first = first;
  }

  /** Publishes the as-of from its facts ({@link WeeklyJob#slice}); returns what it wrote. */
  WeeklyJob.Result execute(Facts facts) {
    StepTimer timer = new StepTimer(TaskMetrics.of(run.warehouse().spark().sparkContext()));
    MetricsStep.Lift lift = metrics.lift(run, facts, timer);
    Map<String, MetricsStep.MartRows> marts =
        new LinkedHashMap<>(shared.published().get(run.asOf()).marts());
    marts.put(Marts.SEGMENT_LIFT.table(), lift.rows());
    RunSummary.Segments segments =
        new SegmentsStep(run, options.dryRun(), options.exports()).execute(facts, timer);
    Map<String, Long> rows = shared.rows().get(run.asOf());
    // The steps of the plan every as-of shares (ingest, facts, marts), then this as-of's own.
    List<StepTimer.Step> steps = new ArrayList<>(shared.timer().steps());
    RunSummary summary =
        RunSummaryBuilder.build(
            run,
            first ? shared.ingest() : null,
            rows,
            rows.get(WeeklyJob.UNLINKED),
            steps,
            segments,
            lift.entries());
    timer.step("report", () -> new ReportStep(run, marts).execute(summary));
    steps.addAll(timer.steps());
    RunSummary written = summary.withSteps(steps);
    run.files().writeString(run.dayDir() + "/run.json", written.toJson() + "\n");
    List<Map<String, Object>> spark = new ArrayList<>(shared.timer().sparkSteps());
    spark.addAll(timer.sparkSteps());
    return new WeeklyJob.Result(
        run.runId(), run.dayDir(), written, spark, shared.factsComputed(), shared.martsComputed());
  }
}
