package io.leadloop.jobs.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadloop.common.SparkTestBase;
import io.leadloop.common.config.ConfigLoader;
import io.leadloop.common.schema.Entity;
import io.leadloop.common.spark.Warehouse;
import io.leadloop.jobs.TestPaths;
import io.leadloop.jobs.ingest.Tables;
import io.leadloop.jobs.weekly.WeeklyJob;
import io.leadloop.jobs.weekly.WeeklyOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a real {@code leadloop weekly} JVM with SIGKILL at fault points and checks that the
 * previous export stays intact and that a re-run gives the outputs of an uninterrupted run.
 */
@Tag("slow")
class CrashRecoveryTest extends SparkTestBase {
  private static final String AS_OF = "2026-09-27";
  private static final String AT = "2026-10-01T00:00:00Z";
  @TempDir Path tmp;
  @TempDir static Path classTmp;
  private static Path cleanWh;
  private static Path cleanOut;

  private static Path samples() {
    return TestPaths.repoRoot().resolve("data-samples");
  }

  private static WeeklyJob.Result weekly(Path wh, Path out) {
    return new WeeklyJob(
            spark(),
            new WeeklyOptions(
                samples().toString(),
                wh.toString(),
                out.toString(),
                LocalDate.parse(AS_OF),
                ConfigLoader.load(samples().resolve("config.yaml")),
                Instant.parse(AT),
                false))
        .execute();
  }

  private static List<String> cli(Path wh, Path out) {
    return List.of(
        "weekly",
        "--landing",
        samples().toString(),
        "--warehouse",
        wh.toString(),
        "--out",
        out.toString(),
        "--as-of",
        AS_OF,
        "--config",
        samples().resolve("config.yaml").toString(),
        "--ingested-at",
        AT);
  }

  /**
   * Every published file under {@code out} except those that carry the run id or timings (run.json,
   * the report, segments/members.csv); manifests are compared separately.
   */
  private static Map<String, String> published(Path out) throws Exception {
    Map<String, String> m = new TreeMap<>();
    try (var s = Files.walk(out)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        String rel = out.relativize(p).toString();
        String name = p.getFileName().toString();
        boolean runSpecific =
            name.equals("run.json")
                || name.equals("report.html")
                || rel.equals(AS_OF + "/segments/members.csv");
        if (!runSpecific) {
          m.put(rel, Files.readString(p));
        }
      }
    }
    return m;
  }

  @Test
  void killDuringExportLeavesThePreviousExportIntact() throws Exception {
    Path wh = tmp.resolve("wh");
    Path out = tmp.resolve("out");
    weekly(wh, out);
    Path export = out.resolve("exports/outreach/" + AS_OF);
    Map<String, String> before = published(export);
    assertThat(before).containsKeys("members.csv", "added.csv", "removed.csv", "manifest.json");
    String manifest = Files.readString(export.resolve("manifest.json"));

    killAt("export.file-written", wh, out);

    assertThat(published(export)).isEqualTo(before);
    assertThat(Files.readString(export.resolve("manifest.json"))).isEqualTo(manifest);
  }

  @Test
  void killDuringIngestThenRerunEqualsAnUninterruptedRun() throws Exception {
    Path wh = tmp.resolve("wh");
    Path out = tmp.resolve("out");
    killAt("ingest.raw-touches", wh, out);
    // the batch was not committed: nothing is visible
    assertThat(new Warehouse(spark(), wh.toString()).exists(Tables.LEDGER)).isFalse();

    weekly(wh, out);
    assertEqualsUninterruptedRun(wh, out);
  }

  @Test
  void killBetweenMartsThenRerunEqualsAnUninterruptedRun() throws Exception {
    Path wh = tmp.resolve("wh");
    Path out = tmp.resolve("out");
    // after mart_speed_to_lead's Delta commit, before its CSV and the later marts
    killAt("marts.mart_speed_to_lead", wh, out);
    Warehouse killed = new Warehouse(spark(), wh.toString());
    assertThat(killed.exists(Tables.LEDGER)).isTrue();
    assertThat(killed.exists("mart_speed_to_lead")).isTrue();
    assertThat(killed.exists("mart_attribution")).isFalse();
    assertThat(out.resolve(AS_OF + "/run.json")).doesNotExist();

    weekly(wh, out);
    assertEqualsUninterruptedRun(wh, out);
    // the re-run replaced the as-of's slice of every mart: no duplicated mart rows
    for (String t : List.of("mart_cohort_funnel", "mart_speed_to_lead", "mart_attribution")) {
      assertThat(killed.read(t).count()).as(t).isEqualTo(clean().read(t).count());
    }
  }

  /** Runs {@code leadloop weekly} in a child JVM and SIGKILLs it at the fault point. */
  private void killAt(String faultPoint, Path wh, Path out) throws Exception {
    Path marker = tmp.resolve("marker-" + faultPoint);
    Process p = ChildJvm.start(tmp, faultPoint, marker, cli(wh, out));
    ChildJvm.killAtMarker(p, marker, Duration.ofMinutes(8));
  }

  private static synchronized Warehouse clean() {
    if (cleanWh == null) {
      cleanWh = classTmp.resolve("clean-wh");
      cleanOut = classTmp.resolve("clean-out");
      weekly(cleanWh, cleanOut);
    }
    return new Warehouse(spark(), cleanWh.toString());
  }

  /** Published files and the ingest tables' row counts equal those of an uninterrupted run. */
  private void assertEqualsUninterruptedRun(Path wh, Path out) throws Exception {
    Warehouse a = clean();
    Map<String, String> cleanFiles = published(cleanOut);
    Map<String, String> rerun = published(out);
    cleanFiles.keySet().removeIf(k -> k.endsWith("manifest.json"));
    rerun.keySet().removeIf(k -> k.endsWith("manifest.json"));
    assertThat(rerun.keySet()).isEqualTo(cleanFiles.keySet());
    cleanFiles.forEach((k, v) -> assertThat(rerun.get(k)).as(k).isEqualTo(v));
    // no duplicated rows anywhere: raw (staged rows are raw's accepted ones), rejects and ledger
    // counts equal the clean run's
    Warehouse b = new Warehouse(spark(), wh.toString());
    for (String t :
        List.of("raw_leads", "raw_touches", "raw_appointments", Tables.REJECTS, Tables.LEDGER)) {
      assertThat(b.read(t).count()).as(t).isEqualTo(a.read(t).count());
    }
    for (Entity e : List.of(Entity.LEADS, Entity.TOUCHES, Entity.APPOINTMENTS)) {
      assertThat(Tables.staged(b, e).count())
          .as(Tables.staged(e))
          .isEqualTo(Tables.staged(a, e).count());
    }
  }
}
