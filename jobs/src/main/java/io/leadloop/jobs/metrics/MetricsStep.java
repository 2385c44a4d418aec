package io.leadloop.jobs.metrics;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.leadloop.common.metrics.Cutoff;
import io.leadloop.common.schema.Entity;
import io.leadloop.common.spark.Cached;
import io.leadloop.common.spark.Concurrently;
import io.leadloop.jobs.attribution.Attribution;
import io.leadloop.jobs.attribution.Journeys;
import io.leadloop.jobs.attribution.Markov;
import io.leadloop.jobs.facts.Facts;
import io.leadloop.jobs.facts.LeadFacts;
import io.leadloop.jobs.outcomes.Entries;
import io.leadloop.jobs.outcomes.SegmentLift;
import io.leadloop.jobs.publish.CsvFiles;
import io.leadloop.jobs.publish.GrainOrder;
import io.leadloop.jobs.run.RunContext;
import io.leadloop.jobs.run.StepTimer;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * Computes every metric mart of metrics.md for one as-of date, stores each as a Delta table with an
 * {@code as_of} column (replaced per as-of, so a backfill is one table per figure), and publishes
 * the CSV files from the same datasets.
 */
public final class MetricsStep {
  private static final String FULL = "full: the facts were computed in full";
  private static final Logger LOG = Logger.getLogger(MetricsStep.class.getName());

  private final RunContext run;
  private final List<Dataset<Row>> cached = new ArrayList<>();
  private String description = FULL;
  private Dataset<Row> liftEpisodes;

  /** The marts of {@code run}'s as-of; their CSV files go to {@code <day dir>/metrics}. */
  public MetricsStep(RunContext run) {
    this.run = run;
  }

  /**
   * What the marts may start from when the facts were started from those of {@code asOf0} and
   * recomputed for {@code persons} only: that as-of's facts and marts, when its marts were stored
   * whole by the run that stored its facts ({@code factsRunId}) with the same settings. Empty
   * otherwise (the marts are then computed in full). Reads nothing yet but the marks.
   */
  public Optional<IncrementalMarts.Since> since(
      LocalDate asOf0, Dataset<Row> persons, String factsRunId) {
    if (!MartMarks.matches(run.warehouse(), asOf0, Marts.fingerprint(run.config()), factsRunId)) {
      description =
          "full: the marts of "
              + asOf0
              + " are not stored whole by the run of its facts with these settings";
      return Optional.empty();
    }
    String pred = "as_of = '" + asOf0 + "'";
    Map<String, Dataset<Row>> marts0 = new LinkedHashMap<>();
    for (Marts.Mart m : Marts.REUSED) {
      marts0.put(m.table(), run.warehouse().read(m.table()).where(pred).drop("as_of"));
    }
    return Optional.of(
        new IncrementalMarts.Since(
            new Cutoff(asOf0, run.config().timezone()),
            persons,
            run.warehouse().read(Facts.INT_LEADS).where(pred).drop("as_of"),
            run.warehouse().read(Facts.INT_APPOINTMENTS).where(pred).drop("as_of"),
            marts0));
  }

  /** How the last {@link #compute} computed the marts. */
  public String description() {
    return description;
  }

  /** Computes the marts (pure) for the given facts, in full. */
  public Map<Marts.Mart, Dataset<Row>> compute(Facts facts) {
    return compute(facts, Optional.empty());
  }

  /**
   * Computes the marts (pure) for the given facts: in full, or from {@code since} (the marts of an
   * earlier as-of, {@link IncrementalMarts}); the rows are the same.
   */
  public Map<Marts.Mart, Dataset<Row>> compute(
      Facts facts, Optional<IncrementalMarts.Since> since) {
    IncrementalMarts.Since s = since.orElse(null);
    if (s != null) {
      description = "incremental from " + s.c0().asOf() + " (stall_reasons in full)";
    }
    LOG.info(String.format("marts as of %s: %s", run.cutoff().asOf(), description));
    int w = run.config().bookingWindowDays();
    Dataset<Row> theirs = s == null ? null : cache(IncrementalMarts.theirAppointments(s, facts));
    Dataset<Row> changed =
        s == null ? null : cache(IncrementalMarts.changedLeads(s, facts, theirs));
    Map<Marts.Mart, Dataset<Row>> marts = new LinkedHashMap<>();
    marts.put(
        Marts.COHORT_FUNNEL,
        s == null
            ? CohortFunnel.compute(facts.leads(), facts.appointments(), run.cutoff(), w)
            : IncrementalMarts.funnel(facts, s, changed, run.cutoff(), w));
    Dataset<Row> strata =
        s == null
            ? CohortComparison.strata(facts.leads(), run.cutoff(), w, run.config().minStratumN())
            : IncrementalMarts.strata(
                facts, s, changed, run.cutoff(), w, run.config().minStratumN());
    marts.put(Marts.COHORT_COMPARISON, CohortComparison.compute(strata));
    marts.put(Marts.COMPARISON_SUMMARY, CohortComparison.summary(strata));
    marts.put(
        Marts.SPEED_TO_LEAD,
        s == null
            ? SpeedToLead.compute(facts.leads(), run.cutoff(), run.config().slaMinutes())
            : IncrementalMarts.speed(facts, s, changed, run.cutoff(), run.config().slaMinutes()));
    Dataset<Row> recycles =
        LeadFacts.recycles(facts.get(Entity.LEAD_EVENTS), facts.get(Entity.LEADS));
    marts.put(Marts.STALL_REASONS, StallReasons.compute(recycles, facts.get(Entity.LEADS)));
    Dataset<Row> weeks = s == null ? null : cache(IncrementalMarts.dirtyWeeks(theirs));
    Dataset<Row> conversions =
        s == null ? facts.appointments() : IncrementalMarts.bookedIn(facts.appointments(), weeks);
    Dataset<Row> credits =
        cache(
            Attribution.credits(
                conversions,
                facts.get(Entity.TOUCHES),
                run.config().attributionLookbackDays(),
                run.config().timeDecayHalfLifeDays()));
    Dataset<Row> byChannel = Attribution.byChannel(credits);
    Dataset<Row> byCampaign = Attribution.byCampaign(credits);
    if (s != null) {
      byChannel = IncrementalMarts.attribution(Marts.ATTRIBUTION, s, weeks, byChannel);
      byCampaign =
          IncrementalMarts.attribution(Marts.ATTRIBUTION_BY_CAMPAIGN, s, weeks, byCampaign);
    }
    // markov: the chain is re-estimated at every as-of, so every week's credits are recomputed
    // from every conversion: the rule-based models' credits in full, a join of every conversion
    // when those hold the dirty weeks only.
    Dataset<Row> paths =
        cache(
            Journeys.paths(
                facts.leads(),
                facts.appointments(),
                facts.get(Entity.TOUCHES),
                run.cutoff(),
                w,
                run.config().attributionLookbackDays()));
    Dataset<Row> effects = cache(Markov.removalEffects(Journeys.transitions(paths)));
    Dataset<Row> markov =
        cache(
            Markov.credits(
                s == null
                    ? credits
                    : Attribution.credits(
                        facts.appointments(),
                        facts.get(Entity.TOUCHES),
                        run.config().attributionLookbackDays(),
                        run.config().timeDecayHalfLifeDays()),
                effects));
    marts.put(Marts.ATTRIBUTION, byChannel.unionByName(Attribution.byChannel(markov)));
    marts.put(Marts.ATTRIBUTION_BY_CAMPAIGN, byCampaign);
    marts.put(
        Marts.CHANNEL_REMOVAL_EFFECTS,
        Markov.channelRemovalEffects(Journeys.channels(paths), effects, markov));
    // Computed in full: its episodes are few, and its entries depend on which runs were stored.
    liftEpisodes =
        SegmentLift.episodes(
            storedEntries(),
            facts.appointments(),
            facts.get(Entity.TOUCHES),
            run.cutoff(),
            run.config().outcomeWindowDays());
    marts.put(Marts.SEGMENT_LIFT, SegmentLift.compute(liftEpisodes, run.config().minStratumN()));
    return marts;
  }

  /** The stored entries of as-ofs up to this run's (outcomes.md: later ones are not read). */
  private Dataset<Row> storedEntries() {
    return run.warehouse()
        .read(Entries.TABLE, Entries.SCHEMA)
        .where(col("as_of").leq(lit(java.sql.Date.valueOf(run.cutoff().asOf()))));
  }

  /**
   * The entry as-ofs of the episodes segment_lift counted ({@code outcome_entries} in run.json), in
   * order: the published runs this run's outcomes rest on.
   */
  public List<String> outcomeEntries() {
    List<String> out = new ArrayList<>();
    if (liftEpisodes == null) {
      return out;
    }
    for (Row r : liftEpisodes.select("as_of").distinct().orderBy("as_of").collectAsList()) {
      out.add(String.valueOf(r.get(0)));
    }
    return out;
  }

  private Dataset<Row> cache(Dataset<Row> ds) {
    return Cached.of(ds, cached);
  }

  /** Drops what {@link #compute} cached (call when the marts are published, or on failure). */
  public void release() {
    Cached.release(cached);
  }

  /** One mart's rows of this as-of as published (without {@code as_of}), in grain order. */
  public record MartRows(StructType schema, List<Row> rows) {}

  /**
   * What {@link #publish} wrote: rows per CSV file or table, and each mart's rows by table (what
   * the report reads instead of the tables).
   */
  public record Published(Map<String, Long> counts, Map<String, MartRows> marts) {}

  /**
   * The threads that write the marts' tables and files ({@value #PUBLISH_THREADS_DEFAULT} unless
   * set as a system property). A mart's write is mostly Delta's commit on the driver (planning, the
   * log, the snapshot after it), so a few at once fill the cores one leaves idle: the twelve writes
   * of conformance case-2 took 4.3 s one after another, 3.1 s three at a time (four: 3.1 s;
   * docs/performance.md).
   */
  public static final String PUBLISH_THREADS_KEY = "leadloop.publish.threads";

  public static final int PUBLISH_THREADS_DEFAULT = 3;

  /**
   * Each mart's rows, collected once (a mart has a row per grain key: small) and sorted by its
   * grain on the driver, then the totals marts summed from the funnel, comparison and speed rows;
   * in the order of {@code marts}, the totals last. One step of {@code timer} per mart, named by
   * its table (so a run says what each mart cost). Nothing is written.
   */
  public Map<Marts.Mart, MartRows> collect(Map<Marts.Mart, Dataset<Row>> marts, StepTimer timer) {
    Map<Marts.Mart, MartRows> out = new LinkedHashMap<>();
    marts.forEach((m, ds) -> out.put(m, collect(m, ds, timer)));
    out.put(
        Marts.FUNNEL_TOTALS,
        collect(Marts.FUNNEL_TOTALS, CohortFunnel.totals(local(out, Marts.COHORT_FUNNEL)), timer));
    out.put(
        Marts.COMPARISON_TOTALS,
        collect(
            Marts.COMPARISON_TOTALS,
            CohortComparison.totals(local(out, Marts.COHORT_COMPARISON)),
            timer));
    out.put(
        Marts.SPEED_TOTALS,
        collect(
            Marts.SPEED_TOTALS,
            SpeedToLead.totals(local(out, Marts.SPEED_TO_LEAD), run.config().slaMinutes()),
            timer));
    return out;
  }

  private static MartRows collect(Marts.Mart m, Dataset<Row> mart, StepTimer timer) {
    return timer.step(m.table(), () -> rows(m, mart), r -> r.rows().size());
  }

  private static MartRows rows(Marts.Mart m, Dataset<Row> mart) {
    StructType schema = mart.schema();
    return new MartRows(
        schema, List.copyOf(GrainOrder.sorted(mart.collectAsList(), schema, m.grain())));
  }

  private Dataset<Row> local(Map<Marts.Mart, MartRows> rows, Marts.Mart m) {
    MartRows r = rows.get(m);
    return run.warehouse().spark().createDataFrame(r.rows(), r.schema());
  }

  /**
   * Stores each mart in Delta (replacing this as-of) and writes its CSV file (the totals marts are
   * warehouse tables only), all from the rows in hand: nothing is read back. The marts are written
   * a few at a time ({@value #PUBLISH_THREADS_KEY}); each writes its own table and file, so the
   * outputs do not depend on the order. The marts' mark is cleared first and written last, so a
   * later run starts from this as-of's marts only when all of them were written.
   */
  public Published publish(Map<Marts.Mart, MartRows> marts) {
    MartMarks.clear(run.warehouse(), run.cutoff().asOf());
    Map<Marts.Mart, Long> written = new java.util.concurrent.ConcurrentHashMap<>();
    List<Runnable> pieces = new ArrayList<>();
    marts.forEach((m, rows) -> pieces.add(() -> written.put(m, write(m, rows))));
    Concurrently.run(pieces, Integer.getInteger(PUBLISH_THREADS_KEY, PUBLISH_THREADS_DEFAULT));
    Published out = new Published(new LinkedHashMap<>(), new LinkedHashMap<>());
    marts.forEach(
        (m, rows) -> {
          out.counts().put(m.file() == null ? m.table() : m.file(), written.get(m));
          out.marts().put(m.table(), rows);
        });
    MartMarks.write(
        run.warehouse(), run.cutoff().asOf(), Marts.fingerprint(run.config()), run.runId());
    return out;
  }

  /** Where the as-of's mart CSV files go. */
  private String metricsDir() {
    return run.dayDir() + "/metrics";
  }

  /** Writes one mart's table and file; returns its rows written, and logs one line. */
  private long write(Marts.Mart m, MartRows rows) {
    long t0 = System.nanoTime();
    Dataset<Row> withAsOf =
        run.warehouse()
            .spark()
            .createDataFrame(rows.rows(), rows.schema())
            .withColumn("as_of", lit(java.sql.Date.valueOf(run.cutoff().asOf())));
    run.warehouse().replaceWhere(m.table(), "as_of = '" + run.cutoff().asOf() + "'", withAsOf);
    io.leadloop.common.Faults.point("marts." + m.table());
    long n =
        m.file() == null
            ? rows.rows().size()
            : CsvFiles.write(
                run.files(),
                metricsDir() + "/" + m.file(),
                List.of(rows.schema().fieldNames()),
                rows.rows());
    LOG.info(
        String.format(
            "mart %s as of %s: %d rows, v%d, %.2f s",
            m.table(),
            run.cutoff().asOf(),
            n,
            run.warehouse().version(m.table()),
            (System.nanoTime() - t0) / 1e9));
    return n;
  }
}
