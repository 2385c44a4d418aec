package io.leadloop.jobs.metrics;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.leadloop.common.metrics.AsOfs;
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
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Computes every metric mart of metrics.md for the as-ofs of a run (one for a weekly run, a
 * backfill's Sundays side by side: {@link AsOfs}), publishes each as-of's CSV files, and gives the
 * rows the run stores, with an {@code as_of} column, in the {@link MartStore} ({@link #stored}).
 * {@code segment_lift} is computed after the others ({@link #lifts}): its entries are those the
 * as-ofs before each one stored.
 */
public final class MetricsStep {
  private static final Logger LOG = Logger.getLogger(MetricsStep.class.getName());

  private final List<RunContext> runs;
  private final RunContext run;
  private final List<Dataset<Row>> cached = new ArrayList<>();

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
  }

  /** The marts of one as-of. */
  public MetricsStep(RunContext run) {
    this(List.of(run));
  }

  private List<LocalDate> asOfs() {
    return runs.stream().map(RunContext::asOf).toList();
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
   * run that enters its members stores the entries a later as-of counts. {@link #publishLift}
   * writes its files, {@link #stored} gives its rows to store.
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
              stacked(SegmentLift.compute(episodes.rows(), run.config().minStratumN()));
          // No episode (no entry has matured yet, as in a warehouse's first weeks): no row, and
          // neither query run.
          boolean none = episodes.count() == 0;
          Map<LocalDate, MartRows> rows =
              (none
                      ? collect(Marts.SEGMENT_LIFT, lift.schema(), List.of())
                      : collect(Marts.SEGMENT_LIFT, lift))
                  .byAsOf();
          Map<LocalDate, List<String>> entries = new LinkedHashMap<>();
          asOfs().forEach(d -> entries.put(d, new ArrayList<>()));
          List<Row> entryRuns =
              none
                  ? List.of()
                  : stacked(episodes.rows())
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

  /** Writes each as-of's {@code segment_lift} file ({@link #lifts}); returns the rows written. */
  public long publishLift(Map<LocalDate, MartRows> lifts) {
    return write(Marts.SEGMENT_LIFT, lifts, runs).values().stream()
        .mapToLong(Long::longValue)
        .sum();
  }

  /**
   * What the marts of this step's as-ofs store ({@link MartStore}, the commit that ends a run):
   * each mart's rows of every as-of by table ({@code marts}, as {@link #collect} gives them, and
   * {@code more}, e.g. {@code segment_lift} and the segments' tables), then the marks that let a
   * later as-of start from them.
   */
  public Map<String, MartRows> stored(
      Map<Marts.Mart, Map<LocalDate, MartRows>> marts, Map<String, Map<LocalDate, MartRows>> more) {
    Map<String, MartRows> out = new LinkedHashMap<>();
    marts.forEach((m, byAsOf) -> out.put(m.table(), MartRows.stacked(byAsOf, asOfs())));
    more.forEach((t, byAsOf) -> out.put(t, MartRows.stacked(byAsOf, asOfs())));
    Map<LocalDate, String> runIds = new LinkedHashMap<>();
    runs.forEach(r -> runIds.put(r.asOf(), r.runId()));
    out.put(MartMarks.TABLE, MartMarks.rows(runIds, Marts.fingerprint(run.config())));
    return out;
  }

  /** One mart's rows of one as-of as published (without {@code as_of}), in grain order. */
  public record MartRows(StructType schema, List<Row> rows) {
    /**
     * The rows of the as-ofs {@code asOfs} of {@code byAsOf}, each with its {@code as_of} last, as
     * one table's rows (what {@link MartStore#store} of those as-ofs takes).
     */
    public static MartRows stacked(Map<LocalDate, MartRows> byAsOf, List<LocalDate> asOfs) {
      List<Row> rows = new ArrayList<>();
      StructType schema = null;
      for (LocalDate d : asOfs) {
        MartRows of = byAsOf.get(d);
        schema = of.schema();
        Object day = java.sql.Date.valueOf(d);
        for (Row row : of.rows()) {
          Object[] v = new Object[row.length() + 1];
          for (int i = 0; i < row.length(); i++) {
            v[i] = row.get(i);
          }
          v[row.length()] = day;
          rows.add(RowFactory.create(v));
        }
      }
      return new MartRows(schema.add(AsOfs.AS_OF, DataTypes.DateType, false), rows);
    }
  }

  /**
   * What {@link #publish} wrote for one as-of: rows per CSV file or table, and each mart's rows by
   * table (what the report reads instead of the tables).
   */
  public record Published(Map<String, Long> counts, Map<String, MartRows> marts) {}

  /**
   * The threads that write the marts' files ({@value #PUBLISH_THREADS_DEFAULT} unless set as a
   * system property): on object storage each file is a few requests, which a few threads overlap.
   */
  public static final String PUBLISH_THREADS_KEY = "leadloop.publish.threads";

  public static final int PUBLISH_THREADS_DEFAULT = 3;

  /**
   * Each mart's rows, collected once (a mart has a row per grain key and as-of: small) and split by
   * as-of, each as-of's sorted by its grain on the driver; then the totals marts summed from the
   * funnel, comparison and speed rows of every as-of at once. In the order of {@code marts}, the
   * totals last. One step of {@code timer} per mart, named by its table (so a run says what each
   * mart cost). Nothing is written.
   */
  public Map<Marts.Mart, Map<LocalDate, MartRows>> collect(
      Map<Marts.Mart, Dataset<Row>> marts, StepTimer timer) {
    Map<Marts.Mart, Map<LocalDate, MartRows>> out = new LinkedHashMap<>();
    Map<Marts.Mart, Collected> local = new LinkedHashMap<>();
    marts.forEach(
        (m, ds) -> {
          Collected c = timer.step(m.table(), () -> collect(m, stacked(ds)), r -> r.rows().size());
          out.put(m, c.byAsOf());
          local.put(m, c);
        });
    Map<Marts.Mart, Dataset<Row>> totals = new LinkedHashMap<>();
    totals.put(Marts.FUNNEL_TOTALS, CohortFunnel.totals(local.get(Marts.COHORT_FUNNEL).local()));
    totals.put(
        Marts.COMPARISON_TOTALS,
        CohortComparison.totals(local.get(Marts.COHORT_COMPARISON).local()));
    totals.put(
        Marts.SPEED_TOTALS,
        SpeedToLead.totals(local.get(Marts.SPEED_TO_LEAD).local(), run.config().slaMinutes()));
    totals.forEach(
        (m, ds) ->
            out.put(m, timer.step(m.table(), () -> collect(m, ds), r -> r.rows().size()).byAsOf()));
    return out;
  }

  /** A mart's rows of every as-of ({@code rows}, with {@code as_of} last) and split by as-of. */
  private record Collected(
      StructType schema, List<Row> rows, Map<LocalDate, MartRows> byAsOf, SparkSession spark) {
    Dataset<Row> local() {
      return spark.createDataFrame(rows, schema);
    }
  }

  /** {@code mart} with its as-of last: stacked, or of the one as-of of this step. */
  private Dataset<Row> stacked(Dataset<Row> mart) {
    return AsOfs.stacked(mart)
        ? AsOfs.last(mart)
        : mart.withColumn(AsOfs.AS_OF, lit(java.sql.Date.valueOf(run.asOf())));
  }

  private Collected collect(Marts.Mart m, Dataset<Row> mart) {
    return collect(m, mart.schema(), mart.collectAsList());
  }

  /** {@link #collect(Marts.Mart, Dataset)} of rows in hand ({@code schema}: with its as-of). */
  private Collected collect(Marts.Mart m, StructType schema, List<Row> rows) {
    int at = schema.fieldIndex(AsOfs.AS_OF);
    StructType without = new StructType(java.util.Arrays.copyOf(schema.fields(), at));
    Map<LocalDate, List<Row>> split = AsOfs.split(rows, schema, at, asOfs(), m.table());
    Map<LocalDate, MartRows> byAsOf = new LinkedHashMap<>();
    split.forEach(
        (d, of) ->
            byAsOf.put(
                d, new MartRows(without, List.copyOf(GrainOrder.sorted(of, without, m.grain())))));
    return new Collected(schema, rows, byAsOf, run.warehouse().spark());
  }

  /**
   * Writes each as-of's CSV file of each mart (the totals marts are warehouse tables only) from the
   * rows in hand, a few marts at a time ({@value #PUBLISH_THREADS_KEY}); each writes its own files,
   * so the outputs do not depend on the order. The marts are stored at the end of the run, with the
   * segments' ({@link #stored}, {@link MartStore}). Returns what was written, by as-of.
   */
  public Map<LocalDate, Published> publish(Map<Marts.Mart, Map<LocalDate, MartRows>> marts) {
    Map<Marts.Mart, Map<LocalDate, Long>> written = new java.util.concurrent.ConcurrentHashMap<>();
    List<Runnable> pieces = new ArrayList<>();
    marts.forEach((m, rows) -> pieces.add(() -> written.put(m, write(m, rows, runs))));
    Concurrently.run(pieces, Integer.getInteger(PUBLISH_THREADS_KEY, PUBLISH_THREADS_DEFAULT));
    Map<LocalDate, Published> out = new LinkedHashMap<>();
    for (RunContext r : runs) {
      Published p = new Published(new LinkedHashMap<>(), new LinkedHashMap<>());
      marts.forEach(
          (m, rows) -> {
            p.counts().put(m.file() == null ? m.table() : m.file(), written.get(m).get(r.asOf()));
            p.marts().put(m.table(), rows.get(r.asOf()));
          });
      out.put(r.asOf(), p);
    }
    return out;
  }

  /**
   * Writes one mart's file of each as-of of {@code to}; returns the rows written per as-of (a
   * warehouse table only: its rows), and logs one line.
   */
  private static Map<LocalDate, Long> write(
      Marts.Mart m, Map<LocalDate, MartRows> byAsOf, List<RunContext> to) {
    long t0 = System.nanoTime();
    Map<LocalDate, Long> n = new LinkedHashMap<>();
    long rows = 0;
    for (RunContext r : to) {
      MartRows of = byAsOf.get(r.asOf());
      rows += of.rows().size();
      n.put(
          r.asOf(),
          m.file() == null
              ? of.rows().size()
              : CsvFiles.write(
                  r.files(),
                  r.dayDir() + "/" + m.path(),
                  List.of(of.schema().fieldNames()),
                  of.rows()));
    }
    io.leadloop.common.Faults.point("marts." + m.table());
    LOG.info(
        String.format(
            "mart %s as of %s: %d rows, %.2f s",
            m.table(),
            to.size() == 1
                ? to.get(0).asOf()
                : to.get(0).asOf() + ".." + to.get(to.size() - 1).asOf(),
            rows,
            (System.nanoTime() - t0) / 1e9));
    return n;
  }
}
