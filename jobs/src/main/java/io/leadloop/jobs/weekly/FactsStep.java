package io.leadloop.jobs.weekly;

import static org.apache.spark.sql.functions.lit;

import io.leadloop.common.config.LeadloopConfig;
import io.leadloop.common.metrics.AsOfs;
import io.leadloop.common.metrics.Cutoff;
import io.leadloop.common.schema.Entity;
import io.leadloop.common.spark.Cached;
import io.leadloop.common.spark.ExpressionMode;
import io.leadloop.common.spark.PlanMode;
import io.leadloop.common.spark.Warehouse;
import io.leadloop.jobs.facts.ChangedPersons;
import io.leadloop.jobs.facts.Facts;
import io.leadloop.jobs.facts.FactsBuilder;
import io.leadloop.jobs.facts.IncrementalFacts;
import io.leadloop.jobs.ingest.Tables;
import io.leadloop.jobs.run.RunContext;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The run's facts and their storage per as-of ({@value Facts#INT_LEADS}, {@value
 * Facts#INT_APPOINTMENTS}). With {@code --incremental-facts}, when the facts of an earlier as-of
 * are stored with the same configuration ({@link FactsMarks}) and the ingest tables have only grown
 * since, the facts start from them and only changed persons are recomputed ({@link
 * IncrementalFacts}); otherwise, or with {@code --full-refresh}, they are computed in full. Both
 * give the same rows.
 *
 * <p>Full is the default because it is the faster one on the machine this was measured on (2 cores,
 * 1M persons, one generated week touching 10% of the persons: the facts took 143 s against 109 s in
 * full; {@code docs/performance.md}, "Incremental weekly runs"). Every run stores its facts and
 * mark, so a later run may start from them either way.
 */
final class FactsStep {
  private static final Logger LOG = Logger.getLogger(FactsStep.class.getName());

  /**
   * Above this share of the leads at the cutoff, the persons to read are too many for the
   * incremental path to pay (e.g. an as-of months after the last one): the facts are computed in
   * full. The rows are the same either way.
   */
  static final double MAX_INCREMENTAL_SHARE = 0.5;

  private final Warehouse wh;
  private final List<LocalDate> asOfs;
  private final Map<LocalDate, String> runIds;
  private final LocalDate asOf;
  private final Cutoff cutoff;
  private final LeadloopConfig config;
  private final boolean fullRefresh;
  private final boolean incremental;

  /**
   * What the step computed and stored.
   *
   * @param facts the run's facts, their leads and appointments cached
   * @param start where the facts started from, when from an earlier as-of's facts
   * @param description how the facts were computed (in full and why, or from which as-of)
   */
  record Result(Facts facts, Optional<Start> start, String description) {}

  /** The facts as computed, before they are stored, and the marks to store with them. */
  private record Built(
      Facts facts, Optional<Start> start, String description, List<FactsMarks.Mark> marks) {
    Built {
      marks = List.copyOf(marks);
    }
  }

  /**
   * @param runs the as-ofs whose facts to build, in order: one for a weekly run, a backfill's
   *     Sundays; the facts of several are built in one pass ({@link AsOfs}), in full. The last
   *     one's warehouse, cutoff and configuration are the plan's.
   */
  FactsStep(List<RunContext> runs, boolean fullRefresh, boolean incremental) {
    if (runs.isEmpty()) {
      throw new IllegalArgumentException("Cannot build facts: no as-of to build them for");
    }
    RunContext last = runs.get(runs.size() - 1);
    this.wh = last.warehouse();
    this.asOfs = RunContext.asOfs(runs);
    this.runIds = RunContext.runIds(runs);
    this.asOf = last.asOf();
    this.cutoff = last.cutoff();
    this.config = last.config();
    this.fullRefresh = fullRefresh;
    this.incremental = incremental;
  }

  /**
   * Builds the facts from the staged tables, read ({@link Tables#staged(Warehouse, Entity, List)})
   * with the ledger's files {@code ledger} ({@link Tables#ledgerFiles}), and stores them ({@link
   * #store}); every dataset it persists is added to {@code cached} (the caller releases them).
   */
  Result execute(Map<Entity, Dataset<Row>> staged, List<Row> ledger, List<Dataset<Row>> cached) {
    Built built = build(staged, ledger, cached);
    return new Result(store(built, cached), built.start(), built.description());
  }

  /**
   * The facts of the one as-of, or of every as-of side by side ({@link AsOfs}: each dataset with an
   * {@code as_of} column).
   */
  private Built build(
      Map<Entity, Dataset<Row>> staged, List<Row> ledger, List<Dataset<Row>> cached) {
    long t0 = System.nanoTime();
    Cutoff c = cutoff;
    // The facts, marts and segments compute over every staged row.
    long rows = Tables.rowsRead(ledger);
    ExpressionMode.apply(wh.spark(), rows);
    PlanMode.apply(wh.spark(), rows);
    long lastBatch = FactsMarks.lastBatch(ledger);
    String configFp = FactsMarks.configFingerprint(config);
    String ledgerFp = FactsMarks.ledgerFingerprint(ledger, lastBatch);
    List<FactsMarks.Mark> marks = new ArrayList<>();
    for (LocalDate d : asOfs) {
      marks.add(new FactsMarks.Mark(d, lastBatch, ledgerFp, configFp));
    }
    boolean oneAsOf = asOfs.size() == 1;
    if (!oneAsOf || fullRefresh || !incremental) {
      // The one plan of every as-of (a weekly run's is the plan of one).
      Map<Entity, Dataset<Row>> state = FactsBuilder.states(staged, AsOfs.table(wh.spark(), asOfs));
      state.replaceAll((e, ds) -> Cached.persisted(ds, cached));
      String why =
          fullRefresh
              ? "--full-refresh"
              : oneAsOf
                  ? "the default (--incremental-facts starts from an earlier as-of)"
                  : asOfs.size() + " as-ofs in one pass";
      return full(state, c, why, marks, t0);
    }
    Map<Entity, Dataset<Row>> state = FactsBuilder.states(staged, c);
    state.replaceAll((e, ds) -> Cached.persisted(ds, cached));
    Optional<FactsMarks.Mark> previous = FactsMarks.latestBefore(wh, asOf, configFp);
    if (previous.isEmpty()) {
      return full(
          state, c, "no stored facts of an earlier as-of with this configuration", marks, t0);
    }
    FactsMarks.Mark p = previous.get();
    if (!p.ledgerFingerprint().equals(FactsMarks.ledgerFingerprint(ledger, p.lastBatch()))) {
      return full(state, c, "the ingest tables were rebuilt after " + p.asOf(), marks, t0);
    }
    Cutoff c0 = new Cutoff(p.asOf(), config.timezone());
    Dataset<Row> touched = pin(ChangedPersons.touched(staged, state, p.lastBatch(), c0, c));
    Dataset<Row> recomputed = pin(ChangedPersons.withNeighbours(touched, state));
    Dataset<Row> inputs = pin(ChangedPersons.withNeighbours(recomputed, state));
    long read = inputs.count();
    long leads = state.get(Entity.LEADS).count();
    if (read > MAX_INCREMENTAL_SHARE * leads) {
      return full(
          state,
          c,
          String.format(
              "%d persons changed since %s, more than %.0f%% of %d leads",
              read, p.asOf(), 100 * MAX_INCREMENTAL_SHARE, leads),
          marks,
          t0);
    }
    // The recomputed persons' facts are cached: writing the two tables reads them both, and they
    // read only the states (a cached plan over int_leads would be re-computed once it is written).
    Facts part = IncrementalFacts.recompute(state, recomputed, inputs, c, config);
    Facts facts =
        IncrementalFacts.merge(
            state,
            stored(p.asOf()),
            recomputed,
            new Facts(Map.of(), cache(part.leads(), cached), cache(part.appointments(), cached)));
    Start start = new Start(p.asOf(), recomputed, FactsMarks.runId(wh, p.asOf()));
    String description =
        String.format(
            "incremental from %s (batches after %d): %d persons touched, %d recomputed, %d read",
            p.asOf(), p.lastBatch(), touched.count(), recomputed.count(), read);
    log(description, t0);
    return new Built(facts, Optional.of(start), description, marks);
  }

  /**
   * Where the facts started from, when from an earlier as-of's facts.
   *
   * @param asOf the earlier as-of
   * @param recomputed the persons whose facts were recomputed ({@code person_id})
   * @param runId the run that stored that as-of's facts
   */
  record Start(LocalDate asOf, Dataset<Row> recomputed, String runId) {}

  /**
   * Stores {@code facts} as the as-of's slice of the intermediate tables, then its mark, and
   * returns the run's facts, their leads and appointments cached (added to {@code cached}). Facts
   * computed in full are cached, then written from the cache. Facts started from an earlier slice
   * are written, then read back and cached: they read that table, and Spark re-computes a cached
   * plan over a table each time the table is written.
   */
  private Facts store(Built built, List<Dataset<Row>> cached) {
    Facts computed = built.facts();
    Facts facts =
        built.start().isEmpty()
            ? new Facts(
                computed.state(),
                cache(computed.leads(), cached),
                cache(computed.appointments(), cached))
            : computed;
    String pred = Warehouse.asOfPredicate(asOfs);
    FactsMarks.clear(wh, asOfs);
    wh.replaceWhere(Facts.INT_LEADS, pred, withAsOf(facts.leads()));
    wh.replaceWhere(Facts.INT_APPOINTMENTS, pred, withAsOf(facts.appointments()));
    FactsMarks.write(wh, built.marks(), runIds);
    if (built.start().isEmpty()) {
      return facts;
    }
    Facts stored = stored(asOf);
    return new Facts(
        facts.state(), cache(stored.leads(), cached), cache(stored.appointments(), cached));
  }

  /** The facts of one as-of with its {@code as_of} last; stacked facts have it already. */
  private Dataset<Row> withAsOf(Dataset<Row> facts) {
    return AsOfs.stacked(facts)
        ? facts
        : facts.withColumn(AsOfs.AS_OF, lit(java.sql.Date.valueOf(asOf)));
  }

  private Facts stored(LocalDate day) {
    String pred = "as_of = '" + day + "'";
    return new Facts(
        Map.of(),
        wh.read(Facts.INT_LEADS).where(pred).drop("as_of"),
        wh.read(Facts.INT_APPOINTMENTS).where(pred).drop("as_of"));
  }

  private Built full(
      Map<Entity, Dataset<Row>> state, Cutoff c, String why, List<FactsMarks.Mark> marks, long t0) {
    String description = "full: " + why;
    log(description, t0);
    return new Built(
        FactsBuilder.fromState(state, c, config), Optional.empty(), description, marks);
  }

  private void log(String description, long t0) {
    LOG.info(
        String.format(
            "facts as of %s: %s, %.1f s", asOf, description, (System.nanoTime() - t0) / 1e9));
  }

  /**
   * Computes a set of persons now and cuts its lineage. Each set is read several times by the next
   * one and by the facts; as a plan, each copy would hold the plans before it, and every later
   * query (and its plan description) would carry all of them.
   */
  private static Dataset<Row> pin(Dataset<Row> persons) {
    return persons.localCheckpoint(true);
  }

  /** Cached, and read from the cache alone by what follows ({@link Cached}). */
  private static Dataset<Row> cache(Dataset<Row> ds, List<Dataset<Row>> cached) {
    return Cached.of(ds, cached);
  }
}
