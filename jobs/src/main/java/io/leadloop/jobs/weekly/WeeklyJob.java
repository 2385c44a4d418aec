package io.leadloop.jobs.weekly;

import static org.apache.spark.sql.functions.col;

import io.leadloop.common.metrics.AsOfs;
import io.leadloop.common.metrics.Cutoff;
import io.leadloop.common.schema.Entity;
import io.leadloop.common.spark.Cached;
import io.leadloop.common.spark.RowCounts;
import io.leadloop.common.spark.Warehouse;
import io.leadloop.jobs.facts.Facts;
import io.leadloop.jobs.ingest.IngestAction;
import io.leadloop.jobs.ingest.IngestResult;
import io.leadloop.jobs.ingest.Tables;
import io.leadloop.jobs.metrics.MartPublisher;
import io.leadloop.jobs.metrics.MartRows;
import io.leadloop.jobs.metrics.MartStore;
import io.leadloop.jobs.metrics.Marts;
import io.leadloop.jobs.metrics.MetricsStep;
import io.leadloop.jobs.run.RunContext;
import io.leadloop.jobs.run.RunSummary;
import io.leadloop.jobs.run.SparkStep;
import io.leadloop.jobs.run.StepTimer;
import io.leadloop.jobs.run.TaskMetrics;
import io.leadloop.jobs.segments.Segments;
import io.leadloop.jobs.segments.SegmentsPlan;
import io.leadloop.jobs.segments.SegmentsStep;
import java.time.LocalDate;
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
 * publish the metric marts, segments and exports, and write run.json. A backfill is the same run
 * over several as-ofs: the facts, marts, segments and exports of all of them are one plan ({@link
 * AsOfs}, {@link SegmentsPlan}), each table written once for all; then {@code segment_lift} of
 * every as-of is computed in one pass, every mart of every as-of is stored in one commit, and each
 * as-of's report and run.json written.
 */
public final class WeeklyJob {
  static final String UNLINKED = "appointments_unlinked";

  private final SparkSession spark;
  private final WeeklyOptions options;

  public WeeklyJob(SparkSession spark, WeeklyOptions options) {
    this.spark = spark;
    this.options = options;
  }

  /**
   * What a run did for one as-of: the run summary (also written as run.json), Spark's task metrics
   * per step, and how the facts and the marts were computed (in full, or from which earlier as-of;
   * also logged).
   */
  public record Result(
      String runId,
      String outDir,
      RunSummary summary,
      List<SparkStep> sparkSteps,
      String factsComputed,
      String martsComputed) {}

  /** What the plan of every as-of computed: the facts and the rows counted per as-of. */
  record Shared(
      Facts facts,
      Map<LocalDate, SegmentsStep.Result> segments,
      Map<LocalDate, Map<String, Long>> rows,
      Map<LocalDate, MartPublisher.Published> published,
      Map<Marts.Mart, Map<LocalDate, MartRows>> marts,
      IngestResult ingest,
      StepTimer timer,
      String factsComputed,
      String martsComputed) {}

  /** Runs the last (for a weekly run, the only) as-of's result. */
  public Result execute() {
    List<Result> all = executeAll();
    return all.get(all.size() - 1);
  }

  /** Runs every as-of of the options; their results in order. */
  public List<Result> executeAll() {
    try (WarehouseLock lock = WarehouseLock.acquire(options.warehouse())) {
      return run();
    }
  }

  private List<Result> run() {
    var config = options.config();
    spark.conf().set("spark.sql.session.timeZone", config.timezone().getId());
    Warehouse wh = new Warehouse(spark, options.warehouse());
    List<RunContext> runs = new ArrayList<>();
    for (LocalDate d : options.asOfs()) {
      runs.add(
          RunContext.of(
              wh,
              config,
              new Cutoff(d, config.timezone()),
              options.out(),
              UUID.randomUUID().toString()));
    }
    Progress progress = new Progress(runs.size());
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
    if (ingest != null) {
      progress.phase("ingest");
    }
    List<Result> results = new ArrayList<>();
    List<List<RunContext>> plans = runs.size() == 1 ? List.of(runs) : plans(wh, runs);
    for (int i = 0; i < plans.size(); i++) {
      progress.plan(i, plans.size(), plans.get(i).size());
      results.addAll(
          plan(plans.get(i), i == 0 ? ingest : null, i == 0 ? timer : newTimer(), progress));
      progress.planDone(results.size());
    }
    return results;
  }

  private StepTimer newTimer() {
    return new StepTimer(TaskMetrics.of(spark.sparkContext()));
  }

  /** The as-ofs of {@code runs} in plans sized to the heap ({@link Plans}). */
  private static List<List<RunContext>> plans(Warehouse wh, List<RunContext> runs) {
    long[] leadsAt = Plans.leadsAt(wh, RunContext.asOfs(runs));
    List<List<RunContext>> out = Plans.pack(runs, leadsAt, Plans.budget());
    if (out.size() > 1) {
      System.out.printf(
          "backfill: %d weeks in %d plans (%,d staged lead rows at the last; %,d lead-weeks per"
              + " GiB of heap)%n",
          runs.size(),
          out.size(),
          leadsAt[runs.size() - 1],
          Long.getLong(Plans.LEAD_WEEKS_KEY, Plans.LEAD_WEEKS_DEFAULT));
    }
    return out;
  }

  /** Computes, publishes and reports the as-ofs of one plan. */
  private List<Result> plan(
      List<RunContext> runs, IngestResult ingest, StepTimer timer, Progress progress) {
    // The run's caches are released however it ends: a failed run must not leave its data pinned
    // in memory of a driver that runs more (tests, the demo).
    List<Dataset<Row>> cached = new ArrayList<>();
    MetricsStep metrics = new MetricsStep(runs);
    MartPublisher publisher = metrics.publisher();
    try {
      Shared shared = compute(runs, ingest, timer, metrics, publisher, cached, progress);
      List<AsOfRun> published = new ArrayList<>();
      for (int i = 0; i < runs.size(); i++) {
        RunContext run = runs.get(i);
        published.add(
            new AsOfRun(run, options, shared, i == 0).planned(shared.segments().get(run.asOf())));
      }
      // Once every as-of's entries are stored: segment_lift of all of them in one pass (each
      // counts the entries of the as-ofs before it); then every mart of all of them stored once.
      StepTimer stores = newTimer();
      Map<LocalDate, MetricsStep.Lift> lifts = metrics.lifts(shared.facts(), stores);
      Map<LocalDate, MartRows> liftRows = new LinkedHashMap<>();
      Map<LocalDate, MartRows> exclusions = new LinkedHashMap<>();
      published.forEach(
          p -> {
            liftRows.put(p.run().asOf(), lifts.get(p.run().asOf()).rows());
            exclusions.put(p.run().asOf(), p.segments().exclusions());
          });
      stores.step("publish_segment_lift", () -> publisher.publishLift(liftRows));
      // Every mart of every as-of, the lift, the exclusions and the settings, in one commit.
      Map<String, Map<LocalDate, MartRows>> more = new LinkedHashMap<>();
      more.put(Marts.SEGMENT_LIFT.table(), liftRows);
      more.putAll(SegmentsStep.stored(runs, exclusions));
      stores.step(
          "store_marts",
          () ->
              MartStore.store(
                  runs.get(0).warehouse(),
                  RunContext.asOfs(runs),
                  publisher.stored(shared.marts(), more)));
      List<Result> results = new ArrayList<>();
      for (AsOfRun p : published) {
        results.add(p.finish(lifts.get(p.run().asOf()), stores.steps(), stores.sparkSteps()));
      }
      progress.phase("reports");
      return results;
    } finally {
      metrics.release();
      Cached.release(cached);
    }
  }

  private Shared compute(
      List<RunContext> runs,
      IngestResult ingest,
      StepTimer timer,
      MetricsStep metrics,
      MartPublisher publisher,
      List<Dataset<Row>> cached,
      Progress progress) {
    RunContext last = runs.get(runs.size() - 1);
    Warehouse wh = last.warehouse();
    Map<Entity, Dataset<Row>> staged = new EnumMap<>(Entity.class);
    // The ledger read once: for the six entities' staged rows and the facts' marks.
    List<Row> ledger = Tables.ledgerFiles(wh);
    for (Entity e : Entity.values()) {
      // Not cached: each is read once, into its states (which are cached), with only the columns
      // the states need. Caching them cost ~50 s at 1M persons, and is not needed to keep the
      // planner from broadcasting a large state on a static size estimate: a large run's plan
      // never does (PlanMode: broadcasts on run-time sizes only).
      staged.put(e, Tables.staged(wh, e, ledger));
    }
    FactsStep factsStep = new FactsStep(runs, options.fullRefresh(), options.incrementalFacts());
    // The facts, stored per as-of (int_leads, int_appointments; grain: lead, appointment) for
    // notebooks and as the start of a later as-of's facts; the rows of the states, the facts and
    // the unlinked appointments of every as-of counted in one query.
    record Counted(FactsStep.Result result, Map<LocalDate, Map<String, Long>> rows) {}
    Counted built =
        timer.step(
            "facts",
            () -> {
              FactsStep.Result r = factsStep.execute(staged, ledger, cached);
              return new Counted(r, counts(r.facts(), runs));
            },
            c ->
                c.rows().values().stream()
                    .mapToLong(m -> m.get(Facts.INT_LEADS) + m.get(Facts.INT_APPOINTMENTS))
                    .sum());
    progress.phase("facts");
    Facts facts = built.result().facts();
    // The marts start from an earlier as-of's where the facts did (IncrementalMarts).
    MetricsStep.Start start =
        built
            .result()
            .start()
            .map(st -> metrics.start(st.asOf(), st.recomputed(), st.runId()))
            .orElse(MetricsStep.Start.FULL);
    // The marts' shared inputs (attribution credits, journeys, removal effects) are computed and
    // kept in a step of their own; each mart's rows are then collected in a step named by its
    // table, and their files written, a few at a time, in the step publish_marts; they are stored
    // with the segments' tables at the end of the plan (store_marts).
    Map<Marts.Mart, Dataset<Row>> computed =
        timer.step("marts", () -> metrics.compute(facts, start), m -> (long) m.size());
    var marts = publisher.collect(computed, timer);
    Map<LocalDate, MartPublisher.Published> published =
        timer.step(
            "publish_marts",
            () -> publisher.publish(marts),
            p ->
                p.values().stream()
                    .flatMap(x -> x.counts().values().stream())
                    .mapToLong(Long::longValue)
                    .sum());
    progress.phase("marts");
    // The segments' candidates and their exclusion rule, of every as-of in one pass.
    Cached.Counted evaluated =
        timer.step(
            "segments_evaluated",
            () -> Cached.counted(Segments.evaluate(facts, last.cutoff(), last.config()), cached),
            Cached.Counted::count);
    // The segments of every as-of (assignment, members, exports or, in a dry run, their counts).
    Map<LocalDate, SegmentsStep.Result> segments =
        SegmentsPlan.execute(runs, evaluated, options.exports(), options.dryRun(), timer, cached);
    progress.phase("segments");
    return new Shared(
        facts,
        segments,
        built.rows(),
        published,
        marts,
        ingest,
        timer,
        built.result().description(),
        start.description());
  }

  /**
   * The rows of the states, the facts and the unlinked appointments of each as-of (by entity folder
   * and table name), in one query.
   */
  private static Map<LocalDate, Map<String, Long>> counts(Facts f, List<RunContext> runs) {
    Map<String, Dataset<Row>> kept = new LinkedHashMap<>();
    for (Entity e : Entity.values()) {
      kept.put(e.folder(), f.get(e));
    }
    kept.put(Facts.INT_LEADS, f.leads());
    kept.put(Facts.INT_APPOINTMENTS, f.appointments());
    kept.put(
        UNLINKED, f.appointments().where(col("is_qualifying").and(col("linked_lead_id").isNull())));
    List<LocalDate> asOfs = RunContext.asOfs(runs);
    if (AsOfs.stacked(f.leads())) {
      return RowCounts.byAsOf(kept, asOfs);
    }
    return Map.of(asOfs.get(0), RowCounts.of(kept));
  }
}
