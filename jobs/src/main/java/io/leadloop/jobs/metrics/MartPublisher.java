package io.leadloop.jobs.metrics;

import static org.apache.spark.sql.functions.lit;

import io.leadloop.common.metrics.AsOfs;
import io.leadloop.common.spark.Concurrently;
import io.leadloop.jobs.publish.CsvFiles;
import io.leadloop.jobs.publish.GrainOrder;
import io.leadloop.jobs.run.RunContext;
import io.leadloop.jobs.run.StepTimer;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Publishes the marts {@link MetricsStep} computes for the as-ofs of a run: each mart's rows
 * collected once and split by as-of in grain order, the totals marts summed from them, each as-of's
 * CSV files written from the rows in hand, and the rows the run stores in the {@link MartStore}
 * ({@link #stored}). Nothing is read back.
 */
public final class MartPublisher {
  private static final Logger LOG = Logger.getLogger(MartPublisher.class.getName());

  private final List<RunContext> runs;
  private final RunContext run;

  /**
   * The publisher of the as-ofs of {@code runs} (one context per as-of, in order; the last one's
   * settings serve all); each as-of's CSV files go to its {@code <day dir>/metrics}.
   */
  MartPublisher(List<RunContext> runs) {
    if (runs.isEmpty()) {
      throw new IllegalArgumentException("Cannot publish marts: no as-of to publish");
    }
    this.runs = List.copyOf(runs);
    this.run = runs.get(runs.size() - 1);
  }

  private List<LocalDate> asOfs() {
    return RunContext.asOfs(runs);
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
  record Collected(
      StructType schema, List<Row> rows, Map<LocalDate, MartRows> byAsOf, SparkSession spark) {
    Dataset<Row> local() {
      return spark.createDataFrame(rows, schema);
    }
  }

  /** {@code mart} with its as-of last: stacked, or of the one as-of of this step. */
  Dataset<Row> stacked(Dataset<Row> mart) {
    return AsOfs.stacked(mart)
        ? AsOfs.last(mart)
        : mart.withColumn(AsOfs.AS_OF, lit(java.sql.Date.valueOf(run.asOf())));
  }

  Collected collect(Marts.Mart m, Dataset<Row> mart) {
    return collect(m, mart.schema(), mart.collectAsList());
  }

  /** {@link #collect(Marts.Mart, Dataset)} of rows in hand ({@code schema}: with its as-of). */
  Collected collect(Marts.Mart m, StructType schema, List<Row> rows) {
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

  /**
   * Writes each as-of's {@code segment_lift} file ({@link MetricsStep#lifts}); returns the rows
   * written.
   */
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
    out.put(
        MartMarks.TABLE, MartMarks.rows(RunContext.runIds(runs), Marts.fingerprint(run.config())));
    return out;
  }
}
