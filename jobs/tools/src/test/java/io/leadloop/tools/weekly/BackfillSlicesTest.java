package io.leadloop.tools.weekly;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.leadloop.common.SparkTestBase;
import io.leadloop.common.config.ConfigLoader;
import io.leadloop.common.config.LeadloopConfig;
import io.leadloop.common.spark.Warehouse;
import io.leadloop.jobs.SameRows;
import io.leadloop.jobs.TestPaths;
import io.leadloop.jobs.metrics.MartStore;
import io.leadloop.jobs.metrics.Marts;
import io.leadloop.jobs.weekly.Backfill;
import io.leadloop.jobs.weekly.Plans;
import io.leadloop.jobs.weekly.WeeklyJob;
import io.leadloop.jobs.weekly.WeeklyOptions;
import io.leadloop.tools.generate.GenerateOptions;
import io.leadloop.tools.generate.Generator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backfill computes the facts and marts of all its Sundays in one pass; each Sunday's slice of
 * every table and every output file equals, byte for byte, what a weekly run as of that Sunday
 * writes, the weekly runs made one after another on a warehouse of their own (issue 24). Both
 * publish (the backfill with {@code --exports}) with case-3's destination and holdouts, so the
 * later weeks' assignments and lift rest on the entries the earlier ones stored.
 */
@Tag("slow")
class BackfillSlicesTest extends SparkTestBase {
  private static final Instant INGESTED_AT = Instant.parse("2026-11-23T00:00:00Z");
  private static final String RUN_ID =
      "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

  @TempDir Path tmp;

  private WeeklyOptions options(Path landing, String name, LocalDate d, LeadloopConfig config) {
    return options(landing, name, "out", d, config, false, true);
  }

  private WeeklyOptions options(
      Path landing,
      String name,
      String out,
      LocalDate d,
      LeadloopConfig config,
      boolean dryRun,
      boolean exports) {
    return new WeeklyOptions(
        landing == null ? null : landing.toString(),
        tmp.resolve(name + "/wh").toString(),
        tmp.resolve(name + "/" + out).toString(),
        d,
        config,
        INGESTED_AT,
        dryRun,
        false,
        false,
        exports);
  }

  @Test
  void everySundayOfABackfillIsTheWeeklyRunOfThatSunday() throws IOException {
    LeadloopConfig config =
        ConfigLoader.load(TestPaths.shared().resolve("conformance/case-3/config.yaml"));
    Path landing = tmp.resolve("landing");
    new Generator(new GenerateOptions(300, 7, landing)).execute();
    // Four Sundays: the first one's entries have matured (21 days) by the last one's lift.
    LocalDate from = LocalDate.parse("2026-09-06");
    LocalDate to = LocalDate.parse("2026-09-27");
    List<LocalDate> sundays = Backfill.sundays(from, to);
    assertThat(sundays).hasSize(4);

    List<WeeklyJob.Result> backfill =
        Backfill.run(spark(), from, to, options(landing, "backfill", to, config));
    assertThat(backfill)
        .extracting(r -> r.summary().asOf())
        .containsExactly("2026-09-06", "2026-09-13", "2026-09-20", "2026-09-27");
    assertThat(backfill.get(0).factsComputed()).isEqualTo("full: 4 as-ofs in one pass");
    for (int i = 0; i < sundays.size(); i++) {
      new WeeklyJob(spark(), options(i == 0 ? landing : null, "weekly", sundays.get(i), config))
          .execute();
    }

    Map<String, String> backfillFiles = files(tmp.resolve("backfill/out"));
    Map<String, String> weeklyFiles = files(tmp.resolve("weekly/out"));
    assertThat(backfillFiles.keySet()).isEqualTo(weeklyFiles.keySet());
    // every Sunday has its metrics, segments, export and report
    assertThat(backfillFiles.keySet())
        .contains(
            "2026-09-06/metrics/cohort_funnel.csv",
            "2026-09-27/metrics/segment_lift.csv",
            "2026-09-13/segments/members.csv",
            "2026-09-20/report.html");
    backfillFiles.forEach((f, text) -> assertThat(text).as(f).isEqualTo(weeklyFiles.get(f)));

    assertSameTables(sundays);

    // A backfill without exports enters no members, so its segments are part of the plan
    // (SegmentsPlan): on the same warehouses, which now hold the entries of all four Sundays, it
    // writes what weekly dry runs (which enter none either) write Sunday by Sunday; each Sunday
    // reads the entries of the Sundays before it only. The reports differ only in their exports
    // table (a dry run's counts; none).
    // With a plan budget of one lead-week per GiB of heap, each Sunday is a plan of its own (as at
    // 1M persons with a 4 GiB driver): the later plan reads what the earlier one stored.
    List<LocalDate> later = sundays.subList(2, sundays.size());
    List<WeeklyJob.Result> planned;
    System.setProperty(Plans.LEAD_WEEKS_KEY, "1");
    try {
      planned =
          Backfill.run(
              spark(),
              later.get(0),
              to,
              options(null, "backfill", "out2", to, config, false, false));
    } finally {
      System.clearProperty(Plans.LEAD_WEEKS_KEY);
    }
    assertThat(planned).hasSize(2);
    assertThat(planned.get(1).factsComputed()).doesNotContain("as-ofs in one pass");
    for (LocalDate d : later) {
      new WeeklyJob(spark(), options(null, "weekly", "out2", d, config, true, true)).execute();
    }
    Map<String, String> plannedFiles = files(tmp.resolve("backfill/out2"));
    Map<String, String> dryRuns = files(tmp.resolve("weekly/out2"));
    assertThat(plannedFiles.keySet()).isEqualTo(dryRuns.keySet());
    assertThat(plannedFiles.keySet())
        .contains(
            "2026-09-20/segments/members.csv",
            "2026-09-27/segments/assignments.csv",
            "2026-09-20/segments/exclusions.csv",
            "2026-09-27/metrics/segment_lift.csv");
    plannedFiles.forEach(
        (f, text) ->
            assertThat(withoutExports(text)).as(f).isEqualTo(withoutExports(dryRuns.get(f))));
    assertSameTables(sundays);
  }

  /**
   * Each Sunday's rows of every table with an as-of are the same in both warehouses: the rows of
   * all the Sundays (their as-of kept) of every table, in one query ({@link SameRows}).
   */
  private void assertSameTables(List<LocalDate> sundays) throws IOException {
    Warehouse a = new Warehouse(spark(), tmp.resolve("backfill/wh").toString());
    Warehouse b = new Warehouse(spark(), tmp.resolve("weekly/wh").toString());
    List<String> tables = tables(tmp.resolve("weekly/wh"));
    SameRows same = new SameRows();
    List<String> compared = new java.util.ArrayList<>();
    for (String t : tables) {
      if (!Arrays.asList(b.read(t).columns()).contains("as_of")) {
        continue;
      }
      same.add(t, slice(a, t, sundays), slice(b, t, sundays));
      compared.add(t);
    }
    // the facts, every mart (with the lift, exclusions, settings and marks) and the segments
    assertThat(compared)
        .as("tables with an as-of")
        .contains("int_leads", "int_appointments", MartStore.TABLE, "segment_assignments");
    assertThat(b.read(MartStore.TABLE).select(MartStore.MART).distinct().count())
        .as("marts stored")
        .isEqualTo(Marts.ALL.size() + 3);
    same.assertSame();
  }

  /**
   * The files under {@code out} but run.json (its run id and step timings differ), run ids masked.
   */
  private static Map<String, String> files(Path out) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> s = Files.walk(out)) {
      for (Path f : s.filter(Files::isRegularFile).toList()) {
        String rel = out.relativize(f).toString().replaceAll(RUN_ID, "RUN");
        if (!rel.endsWith("run.json") && !rel.contains("/.")) {
          String text = Files.readString(f, StandardCharsets.UTF_8).replaceAll(RUN_ID, "RUN");
          files.put(rel, text.replaceAll("[0-9]+\\.[0-9]+ s\\b", "X s"));
        }
      }
    }
    return files;
  }

  /** A report without its exports table (its caption to the end of the table). */
  private static String withoutExports(String text) {
    return text.replaceAll("(?s)<caption>Exports.*?</table>", "EXPORTS");
  }

  private static List<String> tables(Path wh) throws IOException {
    try (Stream<Path> s = Files.list(wh)) {
      return s.filter(p -> Files.isDirectory(p.resolve("_delta_log")))
          .map(p -> p.getFileName().toString())
          .sorted()
          .toList();
    }
  }

  /** The Sundays' rows but their run id. */
  private static Dataset<Row> slice(Warehouse wh, String table, List<LocalDate> sundays) {
    Dataset<Row> rows =
        wh.read(table)
            .where(col("as_of").isin(sundays.stream().map(java.sql.Date::valueOf).toArray()));
    if (table.equals(MartStore.TABLE)) {
      // the marks name the run that stored the marts
      return rows.withColumn(
          "mart_marks",
          col("mart_marks")
              .dropFields(
                  scala.jdk.javaapi.CollectionConverters.asScala(List.of("run_id")).toSeq()));
    }
    return Arrays.asList(rows.columns()).contains("run_id") ? rows.drop("run_id") : rows;
  }
}
