package io.leadloop.jobs.reliability;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.leadloop.common.SparkTestBase;
import io.leadloop.common.config.ConfigLoader;
import io.leadloop.common.schema.Entity;
import io.leadloop.common.spark.Warehouse;
import io.leadloop.jobs.TestPaths;
import io.leadloop.jobs.ingest.ParsedSchema;
import io.leadloop.jobs.ingest.Tables;
import io.leadloop.jobs.weekly.WeeklyJob;
import io.leadloop.jobs.weekly.WeeklyOptions;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole weekly job on the sample plus mutated landing files (truncated lines, quote errors, NUL
 * bytes, BOMs, huge fields, JSON nesting, empty fields, wrong separators; a 0-byte file and a 20
 * MiB single-line file): the run finishes and publishes, and for every landing file the ledger's
 * rows read equal the records the contract finds in it ({@link ReferenceRecords}, not the ingest's
 * parser), each of them either staged or in the raw tables and {@code rejects} with a reason and a
 * message. Invalid UTF-8 is left out: the contract stops the run on it (see {@code
 * IngestActionTest}).
 */
@Tag("slow")
class FuzzWeeklyTest extends SparkTestBase {
  static final int MUTATED = 60;
  private static final Instant AT = Instant.parse("2026-10-01T00:00:00Z");
  @TempDir Path tmp;

  @Test
  void mutatedLandingFilesAreEachAcceptedOrRejectedAndTheRunPublishes() throws Exception {
    Path samples = TestPaths.repoRoot().resolve("data-samples");
    Path landing = tmp.resolve("landing");
    for (Entity e : Entity.values()) {
      Path dir = Files.createDirectories(landing.resolve(e.folder()));
      try (Stream<Path> files = Files.list(samples.resolve(e.folder()))) {
        for (Path f : files.toList()) {
          Files.copy(f, dir.resolve(f.getFileName()));
        }
      }
    }
    Map<Entity, String> bases = FuzzParseTest.SAMPLE_FILES;
    Entity[] entities = bases.keySet().stream().sorted().toArray(Entity[]::new);
    SplittableRandom rnd = new SplittableRandom(20261124);
    Set<String> mutated = new HashSet<>(); // entity/sha256 of the mutated files
    int unreadable = 0;
    for (int i = 0; i < MUTATED; i++) {
      Entity e = entities[i % entities.length];
      String base = bases.get(e);
      int kind = rnd.nextInt(8);
      byte[] bytes =
          FuzzParseTest.mutate(
              FuzzParseTest.sample(base).getBytes(StandardCharsets.UTF_8),
              rnd,
              kind == 7 ? 8 : kind);
      Path f =
          landing.resolve(e.folder()).resolve("fuzz-" + i + base.substring(base.lastIndexOf('.')));
      Files.write(f, bytes);
      if (ReferenceRecords.of(f).unreadable() != null) {
        // e.g. a mutated header that repeats a column: the contract stops the run on such a
        // file (IngestActionTest); it is left out here
        Files.delete(f);
        unreadable++;
      } else {
        mutated.add(e.folder() + "/" + sha256(f));
      }
    }
    Files.createFile(landing.resolve("touches/fuzz-empty.csv"));
    Path huge = landing.resolve("touches/fuzz-huge.jsonl");
    try (OutputStream o = Files.newOutputStream(huge)) {
      o.write("{\"touch_id\": \"".getBytes(StandardCharsets.US_ASCII));
      byte[] chunk = "x".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII);
      for (int i = 0; i < 20; i++) {
        o.write(chunk);
      }
      o.write("\"}\n".getBytes(StandardCharsets.US_ASCII));
    }
    // every data file of the landing folder (samples included) -> the records the contract finds
    // in it, counted by ReferenceRecords, not by the ingest's own parser
    Map<String, Long> expected = new HashMap<>();
    for (Entity e : Entity.values()) {
      try (Stream<Path> files = Files.list(landing.resolve(e.folder()))) {
        for (Path f : files.sorted().toList()) {
          if (f.getFileName().toString().matches("(?i).*\\.(csv|jsonl|ndjson)(\\.gz)?")) {
            ReferenceRecords.Count n = ReferenceRecords.of(f);
            assertThat(n.unreadable()).as(f.toString()).isNull();
            expected.putIfAbsent(e.folder() + "/" + sha256(f), n.records());
          }
        }
      }
    }
    assertThat(expected.get("touches/" + sha256(landing.resolve("touches/fuzz-empty.csv"))))
        .isZero();
    assertThat(expected.get("touches/" + sha256(huge))).isOne();

    Path wh = tmp.resolve("wh");
    Path out = tmp.resolve("out");
    new WeeklyJob(
            spark(),
            new WeeklyOptions(
                landing.toString(),
                wh.toString(),
                out.toString(),
                LocalDate.parse("2026-09-27"),
                ConfigLoader.load(samples.resolve("config.yaml")),
                AT,
                false))
        .execute();
    assertThat(out.resolve("2026-09-27/run.json")).exists();
    assertThat(out.resolve("2026-09-27/metrics/cohort_funnel.csv")).exists();

    Warehouse w = new Warehouse(spark(), wh.toString());
    Map<String, long[]> ledger = new HashMap<>();
    for (Row r : Tables.ledger(w).collectAsList()) {
      String key = r.getAs("entity") + "/" + r.getAs("file_sha256");
      long read = r.getAs("rows_read");
      long accepted = r.getAs("rows_accepted");
      long rejected = r.getAs("rows_rejected");
      assertThat(accepted + rejected).as(key).isEqualTo(read);
      assertThat(ledger.put(key, new long[] {read, accepted, rejected})).as(key).isNull();
    }
    assertThat(ledger.keySet()).isEqualTo(expected.keySet());
    Map<String, Long> raw = countByFile(Tables.raw(w));
    Map<String, Long> rejects = countByFile(w.read(Tables.REJECTS));
    Map<String, Long> staged = new HashMap<>();
    for (Entity e : Entity.values()) {
      countByFile(
              Tables.staged(w, e)
                  .withColumn("entity", org.apache.spark.sql.functions.lit(e.folder())))
          .forEach(staged::put);
    }
    for (var e : ledger.entrySet()) {
      String k = e.getKey();
      long[] n = e.getValue();
      assertThat(n[0]).as("rows read of " + k).isEqualTo(expected.get(k));
      assertThat(raw.getOrDefault(k, 0L)).as("raw rows of " + k).isEqualTo(n[0]);
      assertThat(rejects.getOrDefault(k, 0L)).as("rejects of " + k).isEqualTo(n[2]);
      assertThat(staged.getOrDefault(k, 0L)).as("staged rows of " + k).isEqualTo(n[1]);
    }
    assertThat(
            w.read(Tables.REJECTS)
                .where(
                    "reason IS NULL OR trim(reason) = '' OR message IS NULL OR trim(message) = ''")
                .count())
        .isZero();
    long fuzzRejects = 0;
    for (String k : mutated) {
      fuzzRejects += ledger.get(k)[2];
    }
    System.out.printf(
        "fuzz weekly: %d landing files (%d mutated distinct, %d unreadable left out), %d rows read,"
            + " %d rejected in mutated files%n",
        ledger.size(),
        mutated.size(),
        unreadable,
        raw.values().stream().mapToLong(Long::longValue).sum(),
        fuzzRejects);
    assertThat(fuzzRejects).isPositive();
    assertThat(unreadable).isLessThan(MUTATED / 4);
  }

  private static Map<String, Long> countByFile(org.apache.spark.sql.Dataset<Row> rows) {
    Map<String, Long> m = new HashMap<>();
    for (Row r :
        rows.groupBy(col("entity"), col(ParsedSchema.FILE_SHA256)).count().collectAsList()) {
      m.put(r.getString(0) + "/" + r.getString(1), r.getLong(2));
    }
    return m;
  }

  private static String sha256(Path f) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
  }
}
