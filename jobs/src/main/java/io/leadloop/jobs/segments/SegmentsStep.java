package io.leadloop.jobs.segments;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.leadloop.common.config.Destination;
import io.leadloop.common.spark.Cached;
import io.leadloop.jobs.export.ExportHistory;
import io.leadloop.jobs.export.ExportWriter;
import io.leadloop.jobs.facts.Facts;
import io.leadloop.jobs.metrics.MetricsStep;
import io.leadloop.jobs.outcomes.Assignment;
import io.leadloop.jobs.outcomes.Entries;
import io.leadloop.jobs.publish.CsvFiles;
import io.leadloop.jobs.publish.GrainOrder;
import io.leadloop.jobs.run.RunContext;
import io.leadloop.jobs.run.RunSummary;
import io.leadloop.jobs.run.StepTimer;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The segment step of one as-of: evaluates candidates and exclusions, stores the members ({@code
 * segment_members}, appended per run: the run_id history), exclusions ({@code
 * mart_segment_exclusions}, per as-of) and the settings the rules applied ({@code
 * segment_settings}, per as-of), writes {@code segments/members.csv} and {@code exclusions.csv},
 * and publishes each destination's export. A run that is no dry run is {@link SegmentsPlan}'s plan
 * of one as-of; a dry run, here, prints the exports' counts instead and stores no entry.
 */
public final class SegmentsStep {
  public static final String MEMBERS_TABLE = "segment_members";
  public static final String EXCLUSIONS_TABLE = "mart_segment_exclusions";

  private final RunContext run;
  private final boolean dryRun;
  private final boolean publishExports;

  /**
   * @param dryRun compute the exports' diffs and print the counts, write and register no export
   * @param exports publish the exports (a backfill without {@code --exports} writes none)
   */
  public SegmentsStep(RunContext run, boolean dryRun, boolean exports) {
    this.run = run;
    this.dryRun = dryRun;
    this.publishExports = exports;
  }

  /** The candidates evaluated by the rules, and those kept with their group; both cached. */
  private record Kept(Dataset<Row> evaluated, Dataset<Row> assigned) {}

  /**
   * What the step computed for its as-of: the counts for run.json, and the exclusions (a row per
   * segment and rule, in that order; stored by {@link #publish} with the other as-ofs' and read by
   * the report from here).
   */
  public record Result(RunSummary.Segments summary, MetricsStep.MartRows exclusions) {}

  /**
   * Runs the step: stores the members (and the assignments when the run enters them) and publishes
   * the exports; the exclusions and the settings are stored by {@link #publish}, once for every
   * as-of of the run.
   */
  public Result execute(Facts facts, StepTimer timer) {
    return execute(facts, null, timer);
  }

  /**
   * {@link #execute(Facts, StepTimer)} with the candidates already evaluated ({@link
   * Segments#evaluate} of this as-of; null: evaluated here): a backfill evaluates every as-of's in
   * one pass.
   */
  public Result execute(Facts facts, Dataset<Row> evaluatedBefore, StepTimer timer) {
    Dataset<Row> evaluatedNow =
        evaluatedBefore != null
            ? evaluatedBefore
            : Segments.evaluate(facts, run.cutoff(), run.config());
    if (!dryRun) {
      // A run of one as-of is the plan of one as-of.
      List<Dataset<Row>> kept = new ArrayList<>();
      try {
        return SegmentsPlan.execute(List.of(run), evaluatedNow, publishExports, timer, kept)
            .get(run.asOf());
      } finally {
        Cached.release(kept);
      }
    }
    String asOf = run.cutoff().asOf().toString();
    String dir = run.dayDir() + "/segments";
    List<Dataset<Row>> cached = new ArrayList<>();
    // The candidates, evaluated and assigned, are computed and kept in a step of their own
    // (rows: the candidates); every output below is written from them.
    Kept kept =
        timer.step(
            "segments",
            () -> {
              Dataset<Row> evaluated = Cached.of(evaluatedNow, cached);
              Dataset<Row> stored =
                  run.warehouse()
                      .read(Entries.TABLE, Entries.SCHEMA)
                      .where(col("as_of").lt(lit(java.sql.Date.valueOf(asOf))));
              Dataset<Row> assigned =
                  Cached.of(
                      Assignment.assign(
                              evaluated.where(col("excluded_by").isNull()),
                              stored,
                              run.cutoff(),
                              run.config())
                          .withColumn("as_of", lit(java.sql.Date.valueOf(asOf)))
                          .withColumn("run_id", lit(run.runId())),
                      cached);
              return new Kept(evaluated, assigned);
            },
            k -> k.evaluated().count());
    Dataset<Row> evaluated = kept.evaluated();
    Dataset<Row> assigned = kept.assigned();
    // Members and exports hold treatment members only; held-out ones are counted as excluded.
    Dataset<Row> members =
        Segments.members(
            assigned.where(col("group").equalTo(Assignment.TREATMENT)), asOf, run.runId());
    Dataset<Row> exclusions = Segments.exclusions(evaluated, assigned);
    // Every output of the step is written from what is in hand: the members from the cached
    // assignment (stored, then published as members.csv and to each destination, never read
    // back), the exclusions and the counts each collected once (a row per segment and rule, and
    // per segment, group, tier and channel).
    timer.step(
        "segment_members",
        () -> {
          run.warehouse().append(MEMBERS_TABLE, members);
          return CsvFiles.write(run.files(), dir + "/members.csv", members, "person_id");
        });
    List<Row> excluded = new ArrayList<>();
    timer.step(
        "segment_exclusions",
        () -> {
          excluded.addAll(
              GrainOrder.sorted(
                  exclusions.collectAsList(), exclusions.schema(), "segment", "rule"));
          return CsvFiles.write(
              run.files(), dir + "/exclusions.csv", List.of(Segments.EXCLUSION_COLUMNS), excluded);
        });
    timer.step(
        Entries.TABLE,
        () -> {
          Dataset<Row> rows = assigned.selectExpr(Entries.SCHEMA.fieldNames());
          return CsvFiles.write(
              run.files(),
              dir + "/assignments.csv",
              rows.selectExpr(
                  java.util.Arrays.stream(Entries.CSV_COLUMNS)
                      .map(c -> "`" + c + "`")
                      .toArray(String[]::new)),
              "person_id");
        });
    MemberCounts.Counts counts = MemberCounts.of(assigned);
    // In the order of the configuration's destinations.
    Map<String, RunSummary.Export> exports = new LinkedHashMap<>();
    ExportWriter writer =
        new ExportWriter(run.files(), new ExportHistory(run.warehouse()), run.out());
    for (Destination d : run.config().destinations()) {
      ExportWriter.Diff diff =
          timer.step(
              "export_" + d.name(),
              () -> writer.count(d, members, run.cutoff().asOf()),
              ExportWriter.Diff::members);
      exports.put(d.name(), new RunSummary.Export(diff.members(), diff.added(), diff.removed()));
    }
    RunSummary.Segments summary = summary(counts, excluded, exports, true);
    System.out.println("dry run (no export written): " + RunSummary.json(summary, false));
    Cached.release(cached);
    return new Result(
        summary, new MetricsStep.MartRows(exclusions.schema(), List.copyOf(excluded)));
  }

  /** run.json's {@code segments}: the counts, the exclusions (rows of segment, rule, persons). */
  static RunSummary.Segments summary(
      MemberCounts.Counts counts,
      List<Row> excluded,
      Map<String, RunSummary.Export> exports,
      boolean dryRun) {
    Map<String, Long> byRule = new TreeMap<>();
    for (Row r : excluded) {
      byRule.put(r.getString(0) + "/" + r.getString(1), r.getLong(2));
    }
    return new RunSummary.Segments(
        counts.bySegment(),
        counts.byTier(),
        counts.byChannel(),
        byRule,
        counts.byGroup(),
        exports,
        dryRun);
  }

  /**
   * Stores the exclusions of each as-of of {@code runs} ({@link Result#exclusions}) and the
   * settings the rules applied, in one commit per table for all of them: nothing a later as-of
   * computes reads them. Returns the rows stored.
   */
  public static long publish(
      List<RunContext> runs, Map<LocalDate, MetricsStep.MartRows> exclusions) {
    RunContext any = runs.get(0);
    List<LocalDate> asOfs = runs.stream().map(RunContext::asOf).toList();
    MetricsStep.MartRows excluded = MetricsStep.MartRows.stacked(exclusions, asOfs);
    List<Row> settings = new ArrayList<>();
    runs.forEach(r -> settings.add(SegmentSettings.row(r.asOf(), r.config())));
    any.warehouse().replaceAsOfs(EXCLUSIONS_TABLE, asOfs, excluded.schema(), excluded.rows());
    any.warehouse().replaceAsOfs(SegmentSettings.TABLE, asOfs, SegmentSettings.SCHEMA, settings);
    return excluded.rows().size() + settings.size();
  }
}
