package io.leadloop.jobs.metrics;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.leadloop.common.metrics.AsOfs;
import io.leadloop.common.metrics.Cutoff;
import io.leadloop.common.schema.Entity;
import io.leadloop.common.spark.Cached;
import io.leadloop.jobs.attribution.Attribution;
import io.leadloop.jobs.attribution.Journeys;
import io.leadloop.jobs.attribution.Markov;
import io.leadloop.jobs.facts.Facts;
import io.leadloop.jobs.facts.LeadFacts;
import io.leadloop.jobs.outcomes.Entries;
import io.leadloop.jobs.outcomes.SegmentLift;
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

/**
 * Computes every metric mart of metrics.md for the as-ofs of a run (one for a weekly run, a
 * backfill's Sundays side by side: {@link AsOfs}), in full or from an earlier as-of's marts ({@link
 * #start}); {@link MartPublisher} publishes them. {@code segment_lift} is computed after the others
 * ({@link #lifts}): its entries are those the as-ofs before each one stored.
 */
public final class MetricsStep {
  private static final Logger LOG = Logger.getLogger(MetricsStep.class.getName());

  private final List<RunContext> runs;
  private final RunContext run;
  private final List<Dataset<Row>> cached = new ArrayList<>();
  private final MartPublisher publisher;

  /**
   * Where the marts start from: an earlier as-of's marts ({@link IncrementalMarts}), or nothing
   * (computed in full); {@code description} says which, and why (logged, and in the run's result).
   */
  public record Start(Optional<IncrementalMarts.Since> since, String description) {
    /** In full, as the facts were. */
    public static final Start FULL =
        new Start(Optional.empty(), "full: the facts were computed in full");

    /** From the marts of {@code since}'s as-of. */
    public static Start of(IncrementalMarts.Since since) {
      return new Start(
          Optional.of(since), "incremental from " + since.c0().asOf() + " (stall_reasons in full)");
    }
  }

  /**
   * The marts of the as-ofs of {@code runs} (one context per as-of, in order; the last one's
   * settings and warehouse serve all); each as-of's CSV files go to its {@code <day dir>/metrics}.
   */
  public MetricsStep(List<RunContext> runs) {
    this.runs = List.copyOf(runs);
    this.run = runs.get(runs.size() - 1);
    this.publisher = new MartPublisher(runs);
  }

  /** What publishes this step's marts (of the same as-ofs). */
  public MartPublisher publisher() {
    return publisher;
  }

  /** The marts of one as-of. */
  public MetricsStep(RunContext run) {
    this(List.of(run));
  }

  private List<LocalDate> asOfs() {
    return RunContext.asOfs(runs);
  }

  /**
   * What the marts may start from when the facts were started from those of {@code asOf0} and
   * recomputed for {@code persons} only: that as-of's facts and marts, when its marts were stored
   * whole by the run that stored its facts ({@code factsRunId}) with the same settings; otherwise a
   * start in full, with the reason. Reads nothing yet but the marks.
   */
  public Start start(LocalDate asOf0, Dataset<Row> persons, String factsRunId) {
    if (!MartMarks.matches(run.warehouse(), asOf0, Marts.fingerprint(run.config()), factsRunId)) {
      return new Start(
          Optional.empty(),
          "full: the marts of "
              + asOf0
              + " are not stored whole by the run of its facts with these settings");
    }
    String pred = "as_of = '" + asOf0 + "'";
    Map<String, Dataset<Row>> marts0 = new LinkedHashMap<>();
    Dataset<Row> store = run.warehouse().read(MartStore.TABLE);
    for (Marts.Mart m : Marts.REUSED) {
      marts0.put(m.table(), MartStore.read(store, m.table()).where(pred).drop("as_of"));
    }
    return Start.of(
        new IncrementalMarts.Since(
            new Cutoff(asOf0, run.config().timezone()),
            persons,
            run.warehouse().read(Facts.INT_LEADS).where(pred).drop("as_of"),
            run.warehouse().read(Facts.INT_APPOINTMENTS).where(pred).drop("as_of"),
            marts0));
  }

  /** Computes the marts (pure) for the given facts, in full. */
  public Map<Marts.Mart, Dataset<Row>> compute(Facts facts) {
    return compute(facts, Start.FULL);
  }

  /**
   * Computes the marts but {@code segment_lift} (pure) for the given facts: of one as-of or of
   * stacked as-ofs ({@link AsOfs}), in full, or, for one as-of, from {@code start} (the marts of an
   * earlier as-of, {@link IncrementalMarts}); the rows are the same.
   */
  public Map<Marts.Mart, Dataset<Row>> compute(Facts facts, Start start) {
    IncrementalMarts.Since s = start.since().orElse(null);
    boolean stacked = AsOfs.stacked(facts.leads());
    if (s != null && stacked) {
      throw new IllegalArgumentException(
          "Cannot compute the marts of several as-ofs from an earlier as-of's");
    }
    LOG.info(String.format("marts as of %s: %s", run.cutoff().asOf(), start.description()));
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
    marts.put(
        Marts.COMPARISON_SUMMARY,
        CohortComparison.summary(
            strata, stacked ? AsOfs.table(run.warehouse().spark(), asOfs()) : null));
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
    return marts;
  }

  /**
   * {@code segment_lift} of one as-of, and the entry as-ofs of the episodes it counted ({@code
   * outcome_entries} in run.json, in order: the published runs its outcomes rest on).
   */
  public record Lift(MartRows rows, List<String> entries) {}

  /**
   * Computes and collects (a step named by the mart's table) {@code segment_lift} of every as-of of
   * this step from their facts (stacked, or of the one as-of), each as-of's episodes those entered
   * by the as-ofs before it (outcomes.md: an entry is counted once matured, a window of at least a
   * day after its as-of; later ones are not read). Call it once every as-of's entries are stored: a
   * run that enters its members stores the entries a later as-of counts. {@link
   * MartPublisher#publishLift} writes its files, {@link MartPublisher#stored} gives its rows to
   * store.
   */
  public Map<LocalDate, Lift> lifts(Facts facts, StepTimer timer) {
    return timer.step(
        Marts.SEGMENT_LIFT.table(),
        () -> {
          boolean stacked = AsOfs.stacked(facts.appointments());
          // Entries of the last as-of itself never count (an entry matures at least a day after
          // its as-of): reading those before it keeps a weekly run's query empty until entries
          // of earlier weeks exist.
          Cached.Counted episodes =
              Cached.counted(
                  SegmentLift.episodes(
                      run.warehouse()
                          .read(Entries.TABLE, Entries.SCHEMA)
                          .where(col("as_of").lt(lit(java.sql.Date.valueOf(run.asOf())))),
                      facts.appointments(),
                      facts.get(Entity.TOUCHES),
                      run.cutoff(),
                      run.config().outcomeWindowDays(),
                      stacked ? AsOfs.table(run.warehouse().spark(), asOfs()) : null),
                  cached);
          Dataset<Row> lift =
              publisher.stacked(SegmentLift.compute(episodes.rows(), run.config().minStratumN()));
          // No episode (no entry has matured yet, as in a warehouse's first weeks): no row, and
          // neither query run.
          boolean none = episodes.count() == 0;
          Map<LocalDate, MartRows> rows =
              (none
                      ? publisher.collect(Marts.SEGMENT_LIFT, lift.schema(), List.of())
                      : publisher.collect(Marts.SEGMENT_LIFT, lift))
                  .byAsOf();
          Map<LocalDate, List<String>> entries = new LinkedHashMap<>();
          asOfs().forEach(d -> entries.put(d, new ArrayList<>()));
          List<Row> entryRuns =
              none
                  ? List.of()
                  : publisher
                      .stacked(episodes.rows())
                      .select(col(AsOfs.AS_OF), col(SegmentLift.ENTERED_AS_OF))
                      .distinct()
                      .orderBy(AsOfs.AS_OF, SegmentLift.ENTERED_AS_OF)
                      .collectAsList();
          for (Row r : entryRuns) {
            entries.get(LocalDate.parse(String.valueOf(r.get(0)))).add(String.valueOf(r.get(1)));
          }
          Map<LocalDate, Lift> out = new LinkedHashMap<>();
          rows.forEach((d, r) -> out.put(d, new Lift(r, List.copyOf(entries.get(d)))));
          return out;
        },
        l -> l.values().stream().mapToLong(x -> x.rows().rows().size()).sum());
  }

  private Dataset<Row> cache(Dataset<Row> ds) {
    return Cached.of(ds, cached);
  }

  /** Drops what {@link #compute} cached (call when the marts are published, or on failure). */
  public void release() {
    Cached.release(cached);
  }
}
