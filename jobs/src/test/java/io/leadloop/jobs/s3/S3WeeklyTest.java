package io.leadloop.jobs.s3;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadloop.common.SparkTestBase;
import io.leadloop.common.config.ConfigLoader;
import io.leadloop.jobs.SharedRuns;
import io.leadloop.jobs.TestPaths;
import io.leadloop.jobs.cluster.Outputs;
import io.leadloop.jobs.storage.ObjectStores;
import io.leadloop.jobs.weekly.WeeklyJob;
import io.leadloop.jobs.weekly.WeeklyOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The weekly job with landing, warehouse and out on S3 (MinIO or S3Proxy, see {@link S3Server}),
 * compared with a local-folder run of the same inputs: the same metric CSVs, segment members and
 * exports, and the shared conformance checker passes on the outputs read back from S3.
 */
@org.junit.jupiter.api.Tag("objectstore")
class S3WeeklyTest extends SparkTestBase {
  static final LocalDate AS_OF = LocalDate.parse("2026-09-30");
  static final Instant INGESTED_AT = Instant.parse("2026-11-23T00:00:00Z");
  static S3Server server;
  static String bucket;

  @BeforeAll
  static void startServer() throws Exception {
    server = S3Server.start();
    bucket = server.createBucket("leadloop");
    server.configure(spark().sparkContext().hadoopConfiguration(), bucket);
    System.out.println("S3 server: " + server + ", bucket " + bucket);
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      try {
        S3Server.unconfigure(spark().sparkContext().hadoopConfiguration(), bucket);
      } finally {
        server.close();
      }
    }
  }

  static WeeklyOptions options(
      java.nio.file.Path caseDir, String landing, String warehouse, String out) {
    return new WeeklyOptions(
        landing,
        warehouse,
        out,
        AS_OF,
        ConfigLoader.load(caseDir.resolve("config.yaml")),
        INGESTED_AT,
        false);
  }

  @Test
  void weeklyOnS3MatchesTheLocalRun(@TempDir java.nio.file.Path tmp) throws Exception {
    java.nio.file.Path c = TestPaths.shared().resolve("conformance/case-1");
    int uploaded = server.upload(c.resolve("landing"), bucket, "landing");
    assertThat(uploaded).isGreaterThan(5);
    String s3 = "s3a://" + bucket;

    // The local run: case-1's weekly run, shared with the conformance and cluster tests.
    SharedRuns.Run local = SharedRuns.conformance(spark(), "case-1");
    assertThat(local.result().summary().asOf()).isEqualTo(AS_OF.toString());
    long t1 = System.nanoTime();
    new WeeklyJob(spark(), options(c, s3 + "/landing", s3 + "/warehouse", s3 + "/out")).execute();
    long t2 = System.nanoTime();
    System.out.printf("case-1 weekly on S3 (%s): %.1f s%n", server.kind(), (t2 - t1) / 1e9);

    java.nio.file.Path fromS3 = tmp.resolve("from-s3");
    assertThat(server.download(bucket, "out", fromS3)).isGreaterThan(10);
    int compared = Outputs.assertSame(local.out(), fromS3);
    System.out.println("identical outputs (local vs S3): " + compared + " files");
    System.out.println(Outputs.check(c.resolve("expected"), fromS3));

    // Published files only: no temporary objects left behind.
    List<String> keys = server.keys(bucket, "out");
    assertThat(keys).noneMatch(k -> k.contains("/.") || k.endsWith(".tmp"));
    assertManifestMatches(fromS3.resolve("exports/outreach/" + AS_OF));
    // The warehouse is Delta on S3.
    assertThat(server.keys(bucket, "warehouse"))
        .anyMatch(k -> k.startsWith("warehouse/ingested_files/_delta_log/"));
    assertThat(spark().read().format("delta").load(s3 + "/warehouse/ingested_files").count())
        .isEqualTo(
            spark()
                .read()
                .format("delta")
                .load(local.warehouse().resolve("ingested_files").toString())
                .count());
  }

  @Test
  void objectStoreFoldersArePublishedManifestLast() throws Exception {
    Configuration conf = spark().sparkContext().hadoopConfiguration();
    FileSystem fs = FileSystem.get(URI.create("s3a://" + bucket + "/"), conf);
    assertThat(ObjectStores.atomicDirectoryRename(fs)).isFalse();
    assertThat(ObjectStores.atomicDirectoryRename(FileSystem.getLocal(conf))).isTrue();
    assertThat(ObjectStores.atomicDirectoryRename(FileSystem.getLocal(conf).getRaw())).isTrue();

    Path target = new Path("s3a://" + bucket + "/publish/exports/d/2026-09-27");
    Map<String, String> first = new LinkedHashMap<>();
    first.put("members.csv", "person_id\nP1\n");
    first.put("members.jsonl", "{\"person_id\":\"P1\"}\n");
    first.put("manifest.json", "{\"run\":1}\n");
    // After each file: is the manifest there yet? Only after the last one.
    List<Boolean> manifestThere = new java.util.ArrayList<>();
    ObjectStores.publishManifestLast(
        fs,
        target,
        first,
        "manifest.json",
        () -> manifestThere.add(exists(fs, new Path(target, "manifest.json"))));
    assertThat(manifestThere).containsExactly(false, false, true);
    assertThat(server.keys(bucket, "publish/exports/d/2026-09-27"))
        .containsExactly(
            "publish/exports/d/2026-09-27/manifest.json",
            "publish/exports/d/2026-09-27/members.csv",
            "publish/exports/d/2026-09-27/members.jsonl");

    // Republishing with fewer files: the stale file goes, the new manifest comes last.
    Map<String, String> second = new LinkedHashMap<>();
    second.put("members.csv", "person_id\nP2\n");
    second.put("manifest.json", "{\"run\":2}\n");
    ObjectStores.publishManifestLast(fs, target, second, "manifest.json", () -> {});
    assertThat(server.keys(bucket, "publish/exports/d/2026-09-27"))
        .containsExactly(
            "publish/exports/d/2026-09-27/manifest.json",
            "publish/exports/d/2026-09-27/members.csv");
    assertThat(read(fs, new Path(target, "members.csv"))).isEqualTo("person_id\nP2\n");
    assertThat(read(fs, new Path(target, "manifest.json"))).isEqualTo("{\"run\":2}\n");
  }

  static boolean exists(FileSystem fs, Path p) {
    try {
      return fs.exists(p);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static String read(FileSystem fs, Path p) throws java.io.IOException {
    try (var in = fs.open(p)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** manifest.json lists every other file of the export folder with its sha256. */
  static void assertManifestMatches(java.nio.file.Path folder) throws Exception {
    JsonNode m = new ObjectMapper().readTree(Files.readString(folder.resolve("manifest.json")));
    List<String> listed = new java.util.ArrayList<>();
    for (JsonNode f : m.get("files")) {
      String name = f.get("path").asText();
      listed.add(name);
      if (!name.equals("manifest.json")) {
        byte[] bytes = Files.readAllBytes(folder.resolve(name));
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)))
            .as(name)
            .isEqualTo(f.get("sha256").asText());
      }
    }
    try (var s = Files.list(folder)) {
      assertThat(
              s.map(p -> p.getFileName().toString())
                  .filter(n -> !n.equals("manifest.json"))
                  .sorted()
                  .toList())
          .isEqualTo(listed.stream().filter(n -> !n.equals("manifest.json")).sorted().toList());
    }
  }
}
