package io.leadloop.jobs.metrics;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.leadloop.common.config.LeadloopConfig;
import io.leadloop.common.metrics.Cutoff;
import io.leadloop.common.schema.Entity;
import io.leadloop.common.spark.Cached;
import io.leadloop.common.spark.Warehouse;
import io.leadloop.jobs.attribution.Attribution;
import io.leadloop.jobs.attribution.Journeys;
import io.leadloop.jobs.attribution.Markov;
import io.leadloop.jobs.facts.Facts;
import io.leadloop.jobs.facts.LeadFacts;
import io.leadloop.jobs.outcomes.Entries;
import io.leadloop.jobs.outcomes.SegmentLift;
import io.leadloop.jobs.publish.CsvFiles;
import io.leadloop.jobs.publish.GrainOrder;
import io.leadloop.jobs.publish.OutputFiles;
import io.leadloop.jobs.weekly.StepTimer;
import io.leadloop.jobs.weekly.WeeklyJob;
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
  /** Mart name → CSV file name (null: a warehouse table only) and grain. */
  public record Mart(String table, String file, String[] grain) {}

  public static final Mart COHORT_FUNNEL =
      new Mart("mart_cohort_funnel", "cohort_funnel.csv", CohortFunnel.GRAIN);
  public static final Mart COHORT_COMPARISON =
      new Mart(
          "mart_cohort_comparison",
          "cohort_comparison.csv",
          new String[] {"cohort_month", "source", "service_line"});
  public static final Mart COMPARISON_SUMMARY =
      new Mart(
          "mart_cohort_comparison_summary",
          "cohort_comparison_summary.csv",
          new String[] {"source"});
  public static final Mart SPEED_TO_LEAD =
      new Mart(
          "mart_speed_to_lead",
          "speed_to_lead.csv",
          new String[] {"cohort_week", "source", "inquiry_channel"});
  public static final Mart STALL_REASONS =
      new Mart(
          "mart_stall_reasons", "stall_reasons.csv", new String[] {"week", "source", "reason"});
  public static final Mart ATTRIBUTION =
      new Mart(
          "mart_attribution", "attribution.csv", new String[] {"booking_week", "model", "channel"});
  public static final Mart ATTRIBUTION_BY_CAMPAIGN =
      new Mart(
          "mart_attribution_by_campaign",
          "attribution_by_campaign.csv",
          new String[] {"booking_week", "model", "channel", "campaign"});
  public static final Mart CHANNEL_REMOVAL_EFFECTS =
      new Mart(
          "mart_channel_removal_effects", "channel_removal_effects.csv", new String[] {"channel"});

  public static final Mart SEGMENT_LIFT =
      new Mart("mart_segment_lift", "segment_lift.csv", SegmentLift.GRAIN);

  /*
   * The totals marts: a mart's rows summed by each grain column and over all rows, with the rates,
   * intervals and differences computed from the sums by the mart's own functions (Totals), so that
   * the notebooks and the report read them instead of working them out again. metrics.md lists the
   * published files and their columns, and is silent on these: they are warehouse tables only (no
   * CSV file, so that metrics/ holds what the spec defines), computed from the stored mart after it.
   */
  public static final Mart FUNNEL_TOTALS =
      new Mart("mart_cohort_funnel_totals", null, Totals.COHORTS_GRAIN);
  public static final Mart COMPARISON_TOTALS =
      new Mart("mart_cohort_comparison_totals", null, Totals.COHORTS_GRAIN);
  public static final Mart SPEED_TOTALS = new Mart("mart_speed_to_lead_totals", null, Totals.GRAIN);

  private static final String FULL = "full: the facts were computed in full";
  private static final Logger LOG = Logger.getLogger(MetricsStep.class.getName());

  private final Warehouse warehouse;
  private final OutputFiles files;
  private final LeadloopConfig config;
  private final Cutoff cutoff;
  private final String outDir;
  private final String runId;
  private final List<Dataset<Row>> cached = new ArrayList<>();
  private String description = FULL;
  private Dataset<Row> liftEpisodes;

  public MetricsStep(
      Warehouse warehouse,
      OutputFiles files,
      LeadloopConfig config,
      Cutoff cutoff,
      String outDir,
      String runId) {
    this.warehouse = warehouse;
    this.files = files;
    this.config = config;
    this.cutoff = cutoff;
    this.outDir = outDir;
    this.runId = runId;
  }

  /**
   * What the marts may start from when the facts were started from those of {@code asOf0} and
   * recomputed for {@code persons} only: that as-of's facts and marts, when its marts were stored
   * whole by the run that stored its facts ({@code factsRunId}) with the same settings. Empty
   * otherwise (the marts are then computed in full). Reads nothing yet but the marks.
   */
  public Optional<IncrementalMarts.Since> since(
      LocalDate asOf0, Dataset<Row> persons, String factsRunId) {
    if (!MartMarks.matches(warehouse, asOf0, MartMarks.configFingerprint(config), factsRunId)) {
      description =
          "full: the marts of "
              + asOf0
              + " are not stored whole by the run of its facts with these settings";
      return Optional.empty();
    }
    String pred = "as_of = '" + asOf0 + "'";
    Map<String, Dataset<Row>> marts0 = new LinkedHashMap<>();
    for (Mart m :
        List.of(
            COHORT_FUNNEL,
            COHORT_COMPARISON,
            SPEED_TO_LEAD,
            ATTRIBUTION,
            ATTRIBUTION_BY_CAMPAIGN)) {
      marts0.put(m.table(), warehouse.read(m.table()).where(pred).drop("as_of"));
    }
    return Optional.of(
        new IncrementalMarts.Since(
            new Cutoff(asOf0, config.timezone()),
            persons,
            warehouse.read(WeeklyJob.INT_LEADS).where(pred).drop("as_of"),
            warehouse.read(WeeklyJob.INT_APPOINTMENTS).where(pred).drop("as_of"),
            marts0));
  }

  /** How the last {@link #compute} computed the marts. */
  public String description() {
    return description;
  }

  /** Computes the marts (pure) for the given facts, in full. */
  public Map<Mart, Dataset<Row>> compute(Facts facts) {
    return compute(facts, Optional.empty());
  }

  /**
   * Computes the marts (pure) for the given facts: in full, or from {@code since} (the marts of an
   * earlier as-of, {@link IncrementalMarts}); the rows are the same.
   */
  public Map<Mart, Dataset<Row>> compute(Facts facts, Optional<IncrementalMarts.Since> since) {
    IncrementalMarts.Since s = since.orElse(null);
    if (s != null) {
      description = "incremental from " + s.c0().asOf() + " (stall_reasons in full)";
    }
    LOG.info(String.format("marts as of %s: %s", cutoff.asOf(), description));
    int w = config.bookingWindowDays();
    Dataset<Row> theirs = s == null ? null : cache(IncrementalMarts.theirAppointments(s, facts));
    Dataset<Row> changed =
        s == null ? null : cache(IncrementalMarts.changedLeads(s, facts, theirs));
    Map<Mart, Dataset<Row>> marts = new LinkedHashMap<>();
    marts.put(
        COHORT_FUNNEL,
        s == null
            ? CohortFunnel.compute(facts.leads(), facts.appointments(), cutoff, w)
            : IncrementalMarts.funnel(facts, s, changed, cutoff, w));
    Dataset<Row> strata =
        s == null
            ? CohortComparison.strata(facts.leads(), cutoff, w, config.minStratumN())
            : IncrementalMarts.strata(facts, s, changed, cutoff, w, config.minStratumN());
    marts.put(COHORT_COMPARISON, CohortComparison.compute(strata));
    marts.put(COMPARISON_SUMMARY, CohortComparison.summary(strata));
    marts.put(
        SPEED_TO_LEAD,
        s == null
            ? SpeedToLead.compute(facts.leads(), cutoff, config.slaMinutes())
            : IncrementalMarts.speed(facts, s, changed, cutoff, config.slaMinutes()));
    Dataset<Row> recycles =
        LeadFacts.recycles(facts.get(Entity.LEAD_EVENTS), facts.get(Entity.LEADS));
    marts.put(STALL_REASONS, StallReasons.compute(recycles, facts.get(Entity.LEADS)));
    Dataset<Row> weeks = s == null ? null : cache(IncrementalMarts.dirtyWeeks(theirs));
    Dataset<Row> conversions =
        s == null ? facts.appointments() : IncrementalMarts.bookedIn(facts.appointments(), weeks);
    Dataset<Row> credits =
        cache(
            Attribution.credits(
                conversions,
                facts.get(Entity.TOUCHES),
                config.attributionLookbackDays(),
                config.timeDecayHalfLifeDays()));
    Dataset<Row> byChannel = Attribution.byChannel(credits);
    Dataset<Row> byCampaign = Attribution.byCampaign(credits);
    if (s != null) {
      byChannel = IncrementalMarts.attribution(ATTRIBUTION, s, weeks, byChannel);
      byCampaign = IncrementalMarts.attribution(ATTRIBUTION_BY_CAMPAIGN, s, weeks, byCampaign);
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
                cutoff,
                w,
                config.attributionLookbackDays()));
    Dataset<Row> effects = cache(Markov.removalEffects(Journeys.transitions(paths)));
    Dataset<Row> markov =
        cache(
            Markov.credits(
                s == null
                    ? credits
                    : Attribution.credits(
                        facts.appointments(),
                        facts.get(Entity.TOUCHES),
                        config.attributionLookbackDays(),
                        config.timeDecayHalfLifeDays()),
                effects));
    marts.put(ATTRIBUTION, byChannel.unionByName(Attribution.byChannel(markov)));
    marts.put(ATTRIBUTION_BY_CAMPAIGN, byCampaign);
    marts.put(
        CHANNEL_REMOVAL_EFFECTS,
        Markov.channelRemovalEffects(Journeys.channels(paths), effects, markov));
    // Computed in full: its episodes are few, and its entries depend on which runs were stored.
    liftEpisodes =
        SegmentLift.episodes(
            storedEntries(),
            facts.appointments(),
            facts.get(Entity.TOUCHES),
            cutoff,
            config.outcomeWindowDays());
    marts.put(SEGMENT_LIFT, SegmentLift.compute(liftEpisodes, config.minStratumN()));
    return marts;
  }

  /** The stored entries of as-ofs up to this run's (outcomes.md: later ones are not read). */
  private Dataset<Row> storedEntries() {
    return warehouse
        .read(Entries.TABLE, Entries.SCHEMA)
        .where(col("as_of").leq(lit(java.sql.Date.valueOf(cutoff.asOf()))));
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
   * Stores each mart in Delta (replacing this as-of) and writes its CSV, then the totals marts
   * summed from the stored funnel, comparison and speed marts (warehouse tables only).
   */
  public Published publish(Map<Mart, Dataset<Row>> marts, StepTimer timer) {
    Published out = new Published(new LinkedHashMap<>(), new LinkedHashMap<>());
    Map<Mart, Dataset<Row>> published = new LinkedHashMap<>();
    MartMarks.clear(warehouse, cutoff.asOf());
    for (var e : marts.entrySet()) {
      published.put(e.getKey(), publish(e.getKey(), e.getValue(), timer, out));
    }
    publish(FUNNEL_TOTALS, CohortFunnel.totals(published.get(COHORT_FUNNEL)), timer, out);
    publish(
        COMPARISON_TOTALS, CohortComparison.totals(published.get(COHORT_COMPARISON)), timer, out);
    publish(
        SPEED_TOTALS,
        SpeedToLead.totals(published.get(SPEED_TO_LEAD), config.slaMinutes()),
        timer,
        out);
    MartMarks.write(warehouse, cutoff.asOf(), MartMarks.configFingerprint(config), runId);
    return out;
  }

  /**
   * Publishes one mart from its rows, collected once (a mart has a row per grain key: small) and
   * sorted by the grain on the driver: the Delta table and the CSV file are written from the same
   * rows, and nothing is read back. Returns the rows as a local dataset (what a later mart, such as
   * the totals, is computed from).
   */
  private Dataset<Row> publish(Mart m, Dataset<Row> mart, StepTimer timer, Published out) {
    StructType schema = mart.schema();
    List<Row> sorted = new ArrayList<>();
    long n =
        timer.step(
            m.table(),
            () -> {
              sorted.addAll(GrainOrder.sorted(mart.collectAsList(), schema, m.grain()));
              Dataset<Row> withAsOf =
                  warehouse
                      .spark()
                      .createDataFrame(sorted, schema)
                      .withColumn("as_of", lit(java.sql.Date.valueOf(cutoff.asOf())));
              warehouse.replaceWhere(m.table(), "as_of = '" + cutoff.asOf() + "'", withAsOf);
              io.leadloop.common.Faults.point("marts." + m.table());
              return m.file() == null
                  ? sorted.size()
                  : CsvFiles.write(
                      files, outDir + "/" + m.file(), List.of(schema.fieldNames()), sorted);
            });
    out.counts().put(m.file() == null ? m.table() : m.file(), n);
    out.marts().put(m.table(), new MartRows(schema, List.copyOf(sorted)));
    return warehouse.spark().createDataFrame(sorted, schema);
  }
}
