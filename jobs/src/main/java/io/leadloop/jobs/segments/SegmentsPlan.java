package io.leadloop.jobs.segments;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.leadloop.common.config.Destination;
import io.leadloop.common.metrics.AsOfs;
import io.leadloop.common.spark.Cached;
import io.leadloop.jobs.export.ExportHistory;
import io.leadloop.jobs.export.ExportWriter;
import io.leadloop.jobs.metrics.MartRows;
import io.leadloop.jobs.outcomes.Assignment;
import io.leadloop.jobs.outcomes.Entries;
import io.leadloop.jobs.outcomes.PlanAssignment;
import io.leadloop.jobs.publish.CsvFiles;
import io.leadloop.jobs.publish.GrainOrder;
import io.leadloop.jobs.run.RunContext;
import io.leadloop.jobs.run.RunSummary;
import io.leadloop.jobs.run.StepTimer;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * The segment step of every as-of of a run ({@link SegmentsStep} for one): candidates assigned,
 * members, exclusions and assignments stored and written, and, when the run enters its members,
 * each destination's export published; a dry run counts each as-of's exports against what is stored
 * instead. The assignment of all as-ofs is one query: over the entries stored before the run when
 * it enters none (a dry run, a backfill without {@code --exports}, a run with no destination), else
 * as if each as-of had stored its entries before the next was assigned ({@link PlanAssignment}).
 * {@code segment_members} and the assignments are one commit each, each kind of file one pass that
 * writes every as-of's, each destination's exports one pass and one commit. Each as-of's outputs
 * are those a run of that as-of alone writes.
 */
public final class SegmentsPlan {
  private SegmentsPlan() {}

  /**
   * Assigns, stores and writes the members of every as-of of {@code runs} (in order) from {@code
   * evaluated} ({@link Segments#evaluate}: stacked, or of the one as-of; kept and counted), and
   * publishes their exports when {@code exports} and a destination is configured, or in a {@code
   * dryRun} counts them; returns each as-of's result. What it caches goes to {@code cached}.
   */
  public static Map<LocalDate, SegmentsStep.Result> execute(
      List<RunContext> runs,
      Cached.Counted candidates,
      boolean exports,
      boolean dryRun,
      StepTimer timer,
      List<Dataset<Row>> cached) {
    RunContext last = runs.get(runs.size() - 1);
    List<LocalDate> asOfs = RunContext.asOfs(runs);
    boolean enters = !dryRun && enters(last, exports);
    Dataset<Row> evaluated = candidates.rows();
    Dataset<Row> stacked =
        AsOfs.stacked(evaluated)
            ? evaluated
            : evaluated.withColumn(AsOfs.AS_OF, lit(java.sql.Date.valueOf(last.asOf())));
    Column runId = null;
    for (RunContext r : runs) {
      Column is = col(AsOfs.AS_OF).equalTo(lit(java.sql.Date.valueOf(r.asOf())));
      runId = runId == null ? when(is, r.runId()) : runId.when(is, r.runId());
    }
    Column runIdOf = runId;
    Dataset<Row> stored = last.warehouse().read(Entries.TABLE, Entries.SCHEMA);
    Dataset<Row> kept = stacked.where(col("excluded_by").isNull());
    Dataset<Row> assigned =
        timer.step(
            "segments",
            () ->
                Cached.of(
                    (enters
                            ? PlanAssignment.assign(
                                kept,
                                stored.where(
                                    col("as_of")
                                        .isin(asOfs.stream().map(java.sql.Date::valueOf).toArray())
                                        .unary_$bang()),
                                asOfs.size(),
                                last.cutoff(),
                                last.config(),
                                cached)
                            : Assignment.assign(kept, stored, last.cutoff(), last.config()))
                        .withColumn("run_id", runIdOf),
                    cached),
            a -> candidates.count());
    Dataset<Row> members =
        assigned
            .where(col("group").equalTo(Assignment.TREATMENT))
            .selectExpr(Segments.MEMBER_COLUMNS);
    timer.step(
        SegmentsStep.MEMBERS_TABLE,
        () -> {
          last.warehouse().append(SegmentsStep.MEMBERS_TABLE, members);
          return sum(
              CsvFiles.writeEach(
                  last.files(),
                  paths(runs, SegmentsStep.MEMBERS),
                  members,
                  col(AsOfs.AS_OF),
                  SegmentsStep.MEMBERS.orderColumns()));
        });
    Map<LocalDate, MartRows> exclusions =
        timer.step(
            "segment_exclusions",
            () -> exclusions(runs, stacked, assigned),
            e -> e.values().stream().mapToLong(m -> m.rows().size()).sum());
    timer.step(
        Entries.TABLE,
        () -> {
          if (enters) {
            last.warehouse()
                .replaceWhere(
                    Entries.TABLE,
                    io.leadloop.common.spark.Warehouse.asOfPredicate(asOfs),
                    assigned.selectExpr(Entries.SCHEMA.fieldNames()));
          }
          return sum(
              CsvFiles.writeEach(
                  last.files(),
                  paths(runs, SegmentsStep.ASSIGNMENTS),
                  assigned.selectExpr(
                      Arrays.stream(Entries.CSV_COLUMNS)
                          .map(c -> "`" + c + "`")
                          .toArray(String[]::new)),
                  col(AsOfs.AS_OF),
                  SegmentsStep.ASSIGNMENTS.orderColumns()));
        });
    Map<LocalDate, Map<String, RunSummary.Export>> published =
        exports(runs, members, enters, dryRun, timer);
    Map<LocalDate, List<Row>> grouped = byAsOf(runs, assigned.groupBy(counted()).count(), 4);
    Map<LocalDate, SegmentsStep.Result> out = new LinkedHashMap<>();
    for (RunContext r : runs) {
      RunSummary.Segments summary =
          SegmentsStep.summary(
              MemberCounts.of(grouped.get(r.asOf())),
              exclusions.get(r.asOf()).rows(),
              published.get(r.asOf()),
              dryRun);
      if (dryRun) {
        System.out.println("dry run (no export written): " + RunSummary.json(summary, false));
      }
      out.put(r.asOf(), new SegmentsStep.Result(summary, exclusions.get(r.asOf())));
    }
    return out;
  }

  /**
   * Each as-of's exports by destination (in the configuration's order): published when the run
   * enters its members, each destination's as-ofs in one pass; in a dry run each as-of's counted
   * against the export stored before it (none is written); else none.
   */
  private static Map<LocalDate, Map<String, RunSummary.Export>> exports(
      List<RunContext> runs,
      Dataset<Row> members,
      boolean enters,
      boolean dryRun,
      StepTimer timer) {
    RunContext last = runs.get(runs.size() - 1);
    Map<LocalDate, String> runIds = RunContext.runIds(runs);
    Map<LocalDate, Map<String, RunSummary.Export>> out = new LinkedHashMap<>();
    runs.forEach(r -> out.put(r.asOf(), new LinkedHashMap<>()));
    ExportWriter writer =
        new ExportWriter(last.files(), new ExportHistory(last.warehouse()), last.out());
    for (Destination d : enters || dryRun ? last.config().destinations() : List.<Destination>of()) {
      Map<LocalDate, ExportWriter.Diff> diffs =
          timer.step(
              "export_" + d.name(),
              () -> enters ? writer.publish(d, members, runIds) : counts(writer, d, members, runs),
              m -> m.values().stream().mapToLong(ExportWriter.Diff::members).sum());
      diffs.forEach(
          (day, x) ->
              out.get(day)
                  .put(d.name(), new RunSummary.Export(x.members(), x.added(), x.removed())));
    }
    return out;
  }

  /** Each as-of's export to {@code d} counted against the export stored before it. */
  private static Map<LocalDate, ExportWriter.Diff> counts(
      ExportWriter writer, Destination d, Dataset<Row> members, List<RunContext> runs) {
    Map<LocalDate, ExportWriter.Diff> out = new LinkedHashMap<>();
    for (RunContext r : runs) {
      Column day = lit(java.sql.Date.valueOf(r.asOf()));
      out.put(r.asOf(), writer.count(d, members.where(col(AsOfs.AS_OF).equalTo(day)), r.asOf()));
    }
    return out;
  }

  /**
   * Whether a run that is no dry run enters its members (outcomes.md): it publishes exports to at
   * least one destination.
   */
  private static boolean enters(RunContext run, boolean exports) {
    return exports && !run.config().destinations().isEmpty();
  }

  /** {@link MemberCounts#KEYS}, then the as-of: the count comes after them. */
  private static Column[] counted() {
    return new Column[] {
      col(MemberCounts.KEYS[0]),
      col(MemberCounts.KEYS[1]),
      col(MemberCounts.KEYS[2]),
      col(MemberCounts.KEYS[3]),
      col(AsOfs.AS_OF)
    };
  }

  /** Each as-of's exclusions (a row per segment and rule, in that order), from one query. */
  private static Map<LocalDate, MartRows> exclusions(
      List<RunContext> runs, Dataset<Row> evaluated, Dataset<Row> assigned) {
    Dataset<Row> rows = Segments.exclusions(evaluated, assigned);
    StructType schema =
        new StructType(Arrays.copyOf(rows.schema().fields(), Segments.EXCLUSION_COLUMNS.length));
    Map<LocalDate, MartRows> out = new LinkedHashMap<>();
    byAsOf(runs, rows, Segments.EXCLUSION_COLUMNS.length)
        .forEach(
            (d, of) -> {
              List<Row> sorted =
                  GrainOrder.sorted(of, schema, SegmentsStep.EXCLUSIONS.orderColumns());
              CsvFiles.write(
                  runs.get(0).files(),
                  dayDir(runs, d) + "/" + SegmentsStep.EXCLUSIONS.path(),
                  List.of(Segments.EXCLUSION_COLUMNS),
                  sorted);
              out.put(d, new MartRows(schema, List.copyOf(sorted)));
            });
    return out;
  }

  /**
   * The rows of {@code ds} (its as-of at {@code at}) collected once and split by as-of, each
   * without its as-of; an as-of of {@code runs} without rows has an empty list.
   */
  private static Map<LocalDate, List<Row>> byAsOf(List<RunContext> runs, Dataset<Row> ds, int at) {
    return AsOfs.split(
        ds.collectAsList(), ds.schema(), at, RunContext.asOfs(runs), "the segments' counts");
  }

  private static Map<LocalDate, String> paths(List<RunContext> runs, SegmentsStep.Output file) {
    Map<LocalDate, String> out = new LinkedHashMap<>();
    runs.forEach(r -> out.put(r.asOf(), r.dayDir() + "/" + file.path()));
    return out;
  }

  private static String dayDir(List<RunContext> runs, LocalDate d) {
    return runs.stream().filter(r -> r.asOf().equals(d)).findFirst().orElseThrow().dayDir();
  }

  private static long sum(Map<LocalDate, Long> rows) {
    return rows.values().stream().mapToLong(Long::longValue).sum();
  }
}
