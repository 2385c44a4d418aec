package io.leadloop.jobs.weekly;

import static org.apache.spark.sql.functions.col;

import io.leadloop.common.metrics.Cutoff;
import io.leadloop.common.schema.Entity;
import io.leadloop.common.spark.Cached;
import io.leadloop.common.spark.RowCounts;
import io.leadloop.common.spark.Warehouse;
import io.leadloop.jobs.facts.Facts;
import io.leadloop.jobs.ingest.IngestAction;
import io.leadloop.jobs.ingest.IngestResult;
import io.leadloop.jobs.ingest.Tables;
import io.leadloop.jobs.metrics.Marts;
import io.leadloop.jobs.metrics.MetricsStep;
import io.leadloop.jobs.report.ReportStep;
import io.leadloop.jobs.run.RunContext;
import io.leadloop.jobs.run.RunSummary;
import io.leadloop.jobs.run.StepTimer;
import io.leadloop.jobs.run.TaskMetrics;
import io.leadloop.jobs.segments.SegmentsStep;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The weekly run: ingest the landing files, build the facts at the as-of cutoff, compute and
 * publish the metric marts, segments and exports, and write run.json.
 */
public final class WeeklyJob {
  private static final String UNLINKED = "appointments_unlinked";

  /**
   * The facts of a run and the rows of what they keep (states by entity folder, facts by table).
   */
  private record Counted(Facts facts, Map<String, Long> rows) {}

  private final SparkSession spark;
  private final WeeklyOptions options;

  public WeeklyJob(SparkSession spark, WeeklyOptions options) {
    this.spark = spark;
    this.options = options;
  }

  /**
   * What a run did: the run summary (also written as run.json), Spark's task metrics per step, and
   * how the facts and the marts were computed (in full, or from which earlier as-of; also logged).
   */
  public record Result(
      String runId,
      String outDir,
      RunSummary summary,
      List<Map<String, Object>> sparkSteps,
      String factsComputed,
      String martsComputed) {}

  public Result execute() {
    try (WarehouseLock lock = WarehouseLock.acquire(options.warehouse())) {
      return run();
    }
  }

  private Result run() {
    var config = options.config();
    spark.conf().set("spark.sql.session.timeZone", config.timezone().getId());
    String runId = UUID.randomUUID().toString();
    Warehouse wh = new Warehouse(spark, options.warehouse());
    RunContext run =
        RunContext.of(
            wh, config, new Cutoff(options.asOf(), config.timezone()), options.out(), runId);
    StepTimer timer = new StepTimer(TaskMetrics.of(spark.sparkContext()));
    IngestResult ingest =
        options.landing() == null
            ? null
            : timer.step(
                "ingest",
                () ->
                    new IngestAction(
                            wh,
                            options.landing(),
                            options.ingestedAt(),
                            config,
                            options.fullRefresh())
                        .execute(),
                IngestResult::rowsRead);
    // The run's caches are released however it ends: a backfill runs many weeks in one driver,
    // and a failed week must not leave its data pinned in memory.
    List<Dataset<Row>> cached = new ArrayList<>();
    MetricsStep metrics = new MetricsStep(run);
    try {
      return compute(run, ingest, timer, metrics, cached);
    } finally {
      metrics.release();
      Cached.release(cached);
    }
  }

  private Result compute(
      RunContext run,
      IngestResult ingest,
      StepTimer timer,
      MetricsStep metrics,
      List<Dataset<Row>> cached) {
    var config = run.config();
    Warehouse wh = run.warehouse();
    Map<Entity, Dataset<Row>> staged = new EnumMap<>(Entity.class);
    for (Entity e : Entity.values()) {
      // Not cached: each is read once, into its state at c (which is cached), with only the
      // columns the state needs. Caching them cost ~50 s at 1M persons, and is not needed to keep
      // the planner from broadcasting a large state on a static size estimate: the session never
      // does (Sessions: broadcasts on run-time sizes only).
      staged.put(e, Tables.staged(wh, e));
    }
    FactsStep factsStep =
        new FactsStep(
            wh, options.asOf(), config, options.fullRefresh(), options.incrementalFacts());
    // The facts, stored per as-of (int_leads, int_appointments; grain: lead, appointment) for
    // notebooks and as the start of a later as-of's facts, then read back (FactsStep.store); the
    // rows of the states, the facts and the unlinked appointments counted in one query.
    Counted built =
        timer.step(
            "facts",
            () -> {
              Facts f =
                  factsStep.store(
                      factsStep.build(staged, run.cutoff(), cached), run.runId(), cached);
              Map<String, Dataset<Row>> kept = new LinkedHashMap<>();
              for (Entity e : Entity.values()) {
                kept.put(e.folder(), f.get(e));
              }
              kept.put(Facts.INT_LEADS, f.leads());
              kept.put(Facts.INT_APPOINTMENTS, f.appointments());
              kept.put(
                  UNLINKED,
                  f.appointments().where(col("is_qualifying").and(col("linked_lead_id").isNull())));
              return new Counted(f, RowCounts.of(kept));
            },
            c -> c.rows().get(Facts.INT_LEADS) + c.rows().get(Facts.INT_APPOINTMENTS));
    Facts facts = built.facts();
    Map<String, Long> currentRows = new LinkedHashMap<>();
    for (Entity e : Entity.values()) {
      currentRows.put(e.folder(), built.rows().get(e.folder()));
    }
    // The marts start from an earlier as-of's where the facts did (IncrementalMarts).
    var since =
        factsStep.start().flatMap(st -> metrics.since(st.asOf(), st.recomputed(), st.runId()));
    // The marts' shared inputs (attribution credits, journeys, removal effects) are computed and
    // kept in a step of their own; each mart's rows are then collected in a step named by its
    // table, and all of them written, a few at a time, in the step publish_marts.
    Map<Marts.Mart, Dataset<Row>> computed =
        timer.step("marts", () -> metrics.compute(facts, since), m -> (long) m.size());
    Map<Marts.Mart, MetricsStep.MartRows> marts = metrics.collect(computed, timer);
    MetricsStep.Published published =
        timer.step(
            "publish_marts",
            () -> metrics.publish(marts),
            p -> p.counts().values().stream().mapToLong(Long::longValue).sum());
    RunSummary.Segments segments =
        new SegmentsStep(run, options.dryRun(), options.exports()).execute(facts, timer);
    RunSummary summary =
        RunSummaryBuilder.build(
            run,
            ingest,
            currentRows,
            built.rows().get(UNLINKED),
            timer,
            segments,
            metrics.outcomeEntries());
    timer.step("report", () -> new ReportStep(run, published.marts()).execute(summary));
    // steps() is a copy taken after the report step, so run.json lists it too
    RunSummary written = summary.withSteps(timer.steps());
    run.files().writeString(run.dayDir() + "/run.json", written.toJson() + "\n");
    return new Result(
        run.runId(),
        run.dayDir(),
        written,
        timer.sparkSteps(),
        factsStep.description(),
        metrics.description());
  }
}
