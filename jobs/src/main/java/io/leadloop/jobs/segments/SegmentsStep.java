package io.leadloop.jobs.segments;

import io.leadloop.common.spark.Cached;
import io.leadloop.jobs.facts.Facts;
import io.leadloop.jobs.metrics.MartRows;
import io.leadloop.jobs.outcomes.Entries;
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
 * segment_members}, appended per run: the run_id history), gives the exclusions ({@code
 * mart_segment_exclusions}, per as-of) and the settings the rules applied ({@code
 * segment_settings}, per as-of) to store with the marts, writes {@code segments/members.csv} and
 * {@code exclusions.csv}, and publishes each destination's export, or in a dry run prints their
 * counts and stores no entry: {@link SegmentsPlan}'s plan of one as-of.
 */
public final class SegmentsStep {
  public static final String MEMBERS_TABLE = "segment_members";
  public static final String EXCLUSIONS_TABLE = "mart_segment_exclusions";

  /**
   * A published segment output of an as-of.
   *
   * @param table the table that holds its rows
   * @param file its CSV file under {@code <as-of>/segments/}
   * @param order the columns its file's rows are sorted by (an as-of's rows)
   */
  public record Output(String table, String file, List<String> order) {
    public Output {
      order = List.copyOf(order);
    }

    /** The CSV's path under an as-of's folder ({@code segments/<file>}). */
    public String path() {
      return DIR + "/" + file;
    }

    /** {@link #order} as an array, for the varargs of the writers and readers. */
    public String[] orderColumns() {
      return order.toArray(String[]::new);
    }
  }

  /** The folder of an as-of's segment CSVs. */
  public static final String DIR = "segments";

  public static final Output MEMBERS =
      new Output(MEMBERS_TABLE, "members.csv", List.of("person_id"));
  public static final Output ASSIGNMENTS =
      new Output(Entries.TABLE, "assignments.csv", List.of("person_id"));
  public static final Output EXCLUSIONS =
      new Output(EXCLUSIONS_TABLE, "exclusions.csv", List.of("segment", "rule"));

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

  /**
   * What the step computed for its as-of: the counts for run.json, and the exclusions (a row per
   * segment and rule, in that order; stored by {@link #publish} with the other as-ofs' and read by
   * the report from here).
   */
  public record Result(RunSummary.Segments summary, MartRows exclusions) {}

  /**
   * Runs the step: stores the members (and the assignments when the run enters them) and publishes
   * the exports; the exclusions and the settings are stored with the marts ({@link #stored}), once
   * for every as-of of the run.
   */
  public Result execute(Facts facts, StepTimer timer) {
    // A run of one as-of is the plan of one as-of.
    List<Dataset<Row>> kept = new ArrayList<>();
    try {
      Cached.Counted evaluated =
          Cached.counted(Segments.evaluate(facts, run.cutoff(), run.config()), kept);
      return SegmentsPlan.execute(List.of(run), evaluated, publishExports, dryRun, timer, kept)
          .get(run.asOf());
    } finally {
      Cached.release(kept);
    }
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
   * What the segments of the as-ofs of {@code runs} store in the {@link MartStore}, by table: the
   * exclusions of each ({@link Result#exclusions}) and the settings the rules applied.
   */
  public static Map<String, Map<LocalDate, MartRows>> stored(
      List<RunContext> runs, Map<LocalDate, MartRows> exclusions) {
    Map<LocalDate, MartRows> settings = new LinkedHashMap<>();
    runs.forEach(r -> settings.put(r.asOf(), SegmentSettings.rows(r.config())));
    Map<String, Map<LocalDate, MartRows>> out = new LinkedHashMap<>();
    out.put(EXCLUSIONS_TABLE, exclusions);
    out.put(SegmentSettings.TABLE, settings);
    return out;
  }
}
