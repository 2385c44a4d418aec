package io.leadloop.jobs.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadloop.common.SparkTestBase;
import io.leadloop.common.config.ConfigLoader;
import io.leadloop.common.schema.Entity;
import io.leadloop.common.spark.Warehouse;
import io.leadloop.jobs.SharedRuns;
import io.leadloop.jobs.TestPaths;
import io.leadloop.jobs.ingest.Tables;
import io.leadloop.jobs.metrics.MartStore;
import io.leadloop.jobs.weekly.WeeklyJob;
import io.leadloop.jobs.weekly.WeeklyOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.io.FileUtils;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a real {@code leadloop weekly} JVM with SIGKILL at fault points and checks that the
 * previous export stays intact and that a re-run gives the outputs and warehouse rows of an
 * uninterrupted run (run ids and wall times aside).
 */
@Tag("slow")
class CrashRecoveryTest extends SparkTestBase {
  private static final String AS_OF = "2026-09-27";
  private static final String AT = "2026-10-01T00:00:00Z";
  @TempDir Path tmp;
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

  /** A run id (a random UUID) wherever it appears: in run.json, the report, members, manifests. */
  private static final Pattern RUN_ID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  /** A step's cost in run.json: wall time, Spark jobs, Delta commits (not what a run publishes). */
  private static final Pattern SECONDS =
      Pattern.compile("(\"(?:seconds|spark_jobs|delta_commits)\"\\s*:\\s*)[0-9.Ee+-]+");

  /** Every published file under {@code out}, by path relative to it, as written. */
  private static Map<String, String> published(Path out) throws Exception {
    Map<String, String> m = new TreeMap<>();
    try (var s = Files.walk(out)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        m.put(out.relativize(p).toString(), Files.readString(p));
      }
    }
    return m;
  }

  /** What two runs of the same inputs and as-of share: their text but run ids and step costs. */
  private static String normalized(String text) {
    String t = RUN_ID.matcher(text).replaceAll("<run_id>");
    return SECONDS.matcher(t).replaceAll("$1\"<seconds>\"");
  }

  /** Every Delta table of a warehouse: name -> its rows as sorted JSON, normalized. */
  private static Map<String, List<String>> tables(Path wh) throws Exception {
    Map<String, List<String>> m = new TreeMap<>();
    try (var s = Files.list(wh)) {
      for (Path t : s.filter(p -> Files.isDirectory(p.resolve("_delta_log"))).toList()) {
        List<String> rows = new ArrayList<>();
        for (String json :
            spark().read().format("delta").load(t.toString()).toJSON().collectAsList()) {
          rows.add(normalized(json));
        }
        Collections.sort(rows);
        m.put(t.getFileName().toString(), rows);
      }
    }
    return m;
  }

  @Test
  void killDuringExportLeavesThePreviousExportIntact() throws Exception {
    Path wh = tmp.resolve("wh");
    Path out = tmp.resolve("out");
    // A published week: a copy of the uninterrupted run's (the other tests compare with it).
    clean();
    FileUtils.copyDirectory(cleanWh.toFile(), wh.toFile());
    FileUtils.copyDirectory(cleanOut.toFile(), out.toFile());
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
    assertEqualsUninterruptedRun(wh, out, false);
  }

  @Test
  void killBetweenMartsThenRerunEqualsAnUninterruptedRun() throws Exception {
    Path wh = tmp.resolve("wh");
    Path out = tmp.resolve("out");
    // after mart_speed_to_lead's CSV file; the files are written a few at a time, so which of
    // the others exist depends on timing, but no mart is stored: all are, with their marks, in
    // the commit that ends the run
    killAt("marts.mart_speed_to_lead", wh, out);
    Warehouse killed = new Warehouse(spark(), wh.toString());
    assertThat(killed.exists(Tables.LEDGER)).isTrue();
    assertThat(out.resolve(AS_OF + "/metrics/speed_to_lead.csv")).exists();
    assertThat(killed.exists(MartStore.TABLE)).isFalse();
    assertThat(out.resolve(AS_OF + "/run.json")).doesNotExist();

    weekly(wh, out);
    assertEqualsUninterruptedRun(wh, out, true);
    // the re-run replaced the as-of's slice of every mart: no duplicated mart rows
    for (String t : List.of("mart_cohort_funnel", "mart_speed_to_lead", "mart_attribution")) {
      assertThat(MartStore.read(killed, t).count())
          .as(t)
          .isEqualTo(MartStore.read(clean(), t).count());
    }
  }

  /** Runs {@code leadloop weekly} in a child JVM and SIGKILLs it at the fault point. */
  private void killAt(String faultPoint, Path wh, Path out) throws Exception {
    Path marker = tmp.resolve("marker-" + faultPoint);
    Process p = ChildJvm.start(tmp, faultPoint, marker, cli(wh, out));
    ChildJvm.killAtMarker(p, marker, Duration.ofMinutes(8));
  }

  /** The uninterrupted run: the weekly run of data-samples (shared with the report's test). */
  private static synchronized Warehouse clean() {
    if (cleanWh == null) {
      SharedRuns.Run r = SharedRuns.samples(spark());
      assertThat(r.result().summary().asOf()).isEqualTo(AS_OF);
      cleanWh = r.warehouse();
      cleanOut = r.out();
    }
    return new Warehouse(spark(), cleanWh.toString());
  }

  /**
   * Published files (run.json, the report, members and manifests included) and every warehouse
   * table's rows equal those of an uninterrupted run, but for the run id and wall times. When the
   * killed run had committed the batch ({@code batchCommitted}), the re-run ingests nothing, and
   * its run.json and report say so: rows_* count the files a run ingested (metrics.md).
   */
  private void assertEqualsUninterruptedRun(Path wh, Path out, boolean batchCommitted)
      throws Exception {
    Warehouse a = clean();
    Map<String, String> cleanFiles = published(cleanOut);
    Map<String, String> rerun = published(out);
    String runJson = AS_OF + "/run.json";
    String report = AS_OF + "/report.html";
    assertThat(rerun.keySet()).isEqualTo(cleanFiles.keySet());
    assertThat(cleanFiles)
        .containsKeys(
            runJson,
            report,
            AS_OF + "/segments/members.csv",
            "exports/outreach/" + AS_OF + "/manifest.json");
    assertThat(RUN_ID.matcher(cleanFiles.get(runJson)).results().count())
        .as("run.json names its run")
        .isOne();
    if (batchCommitted) {
      assertThat(runSummary(rerun.get(runJson)))
          .isEqualTo(afterCommittedBatch(runSummary(cleanFiles.get(runJson))));
      String quality = quality(rerun.get(report));
      Map<String, List<String>> expected = new TreeMap<>();
      entityRows(quality(cleanFiles.get(report)))
          .forEach((e, v) -> expected.put(e, List.of("0", "0", "0", v.get(3))));
      assertThat(expected).hasSize(Entity.values().length);
      assertThat(entityRows(quality)).isEqualTo(expected);
      assertThat(quality).as("no rejects this run").contains("No rows for this run.");
      for (Map<String, String> files : List.of(cleanFiles, rerun)) {
        files.remove(runJson);
        files.put(report, files.get(report).replace(quality(files.get(report)), "<quality>"));
      }
    }
    cleanFiles.forEach(
        (k, v) -> assertThat(normalized(rerun.get(k))).as(k).isEqualTo(normalized(v)));
    // no duplicated, missing or different rows anywhere: raw (staged rows are raw's accepted
    // ones), rejects, ledger, facts, marts, segments, export history
    Map<String, List<String>> cleanTables = tables(cleanWh);
    Map<String, List<String>> rerunTables = tables(wh);
    assertThat(cleanTables)
        .containsKeys("raw_leads", "raw_touches", "raw_appointments", Tables.REJECTS, Tables.LEDGER)
        .containsKeys(MartStore.TABLE, "segment_members", "segment_assignments");
    assertThat(rerunTables.keySet()).isEqualTo(cleanTables.keySet());
    cleanTables.forEach(
        (t, rows) -> assertThat(rerunTables.get(t)).as(t).containsExactlyElementsOf(rows));
    Warehouse b = new Warehouse(spark(), wh.toString());
    for (Entity e : List.of(Entity.LEADS, Entity.TOUCHES, Entity.APPOINTMENTS)) {
      List<String> clean = Tables.staged(a, e).toJSON().collectAsList();
      assertThat(Tables.staged(b, e).toJSON().collectAsList())
          .as(Tables.staged(e))
          .containsExactlyInAnyOrderElementsOf(clean);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /** run.json, normalized, as a tree (skipped_files sorted: their order is not specified). */
  private static ObjectNode runSummary(String text) throws Exception {
    ObjectNode root = (ObjectNode) JSON.readTree(normalized(text));
    List<String> skipped = new ArrayList<>();
    root.withArray("skipped_files").forEach(n -> skipped.add(n.asText()));
    Collections.sort(skipped);
    ArrayNode sorted = root.putArray("skipped_files");
    skipped.forEach(sorted::add);
    return root;
  }

  /**
   * The uninterrupted run's summary as a re-run of its batch tells it: nothing read, a new batch
   * id, every data file of the landing folder skipped (already ingested), an ingest step of 0 rows.
   */
  private static ObjectNode afterCommittedBatch(ObjectNode clean) throws Exception {
    ObjectNode r = clean.deepCopy();
    r.with("entities")
        .forEach(
            e -> {
              ObjectNode o = (ObjectNode) e;
              o.put("rows_read", 0).put("rows_accepted", 0).put("rows_rejected", 0);
              o.putObject("rejects_by_reason");
            });
    r.put("batch_id", clean.get("batch_id").asInt() + 1);
    List<String> files = new ArrayList<>();
    for (Entity e : Entity.values()) {
      try (var s = Files.list(samples().resolve(e.folder()))) {
        s.map(p -> p.getFileName().toString())
            .filter(n -> n.matches("(?i).*\\.(csv|jsonl|ndjson)(\\.gz)?"))
            .forEach(n -> files.add(e.folder() + "/" + n));
      }
    }
    Collections.sort(files);
    ArrayNode skipped = r.putArray("skipped_files");
    files.forEach(skipped::add);
    r.withArray("steps")
        .forEach(
            st -> {
              if (st.get("name").asText().equals("ingest")) {
                ((ObjectNode) st).put("rows", 0);
              }
            });
    return r;
  }

  /** The report's data-quality section (from run.json's entities). */
  private static String quality(String html) {
    Matcher m = Pattern.compile("(?s)<section id=\"quality\">.*?</section>").matcher(html);
    assertThat(m.find()).as("a data-quality section").isTrue();
    return m.group();
  }

  /**
   * The rows-per-entity table of a data-quality section: entity -> read, accepted, rejected,
   * current.
   */
  private static Map<String, List<String>> entityRows(String quality) {
    Map<String, List<String>> m = new TreeMap<>();
    Matcher r =
        Pattern.compile(
                "<tr[^>]*><td[^>]*>([a-z_]+)</td><td[^>]*>([^<]*)</td><td[^>]*>([^<]*)</td>"
                    + "<td[^>]*>([^<]*)</td><td[^>]*>([^<]*)</td></tr>")
            .matcher(quality);
    while (r.find()) {
      m.put(r.group(1), List.of(r.group(2), r.group(3), r.group(4), r.group(5)));
    }
    return m;
  }
}
