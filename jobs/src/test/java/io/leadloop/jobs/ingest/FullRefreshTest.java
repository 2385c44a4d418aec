package io.leadloop.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadloop.common.SparkTestBase;
import io.leadloop.common.config.ConfigLoader;
import io.leadloop.common.schema.Entity;
import io.leadloop.common.spark.Warehouse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --full-refresh}: the ingest tables are rebuilt from the landing files alone. */
class FullRefreshTest extends SparkTestBase {
  @TempDir Path tmp;

  private static void write(Path p, String text) throws IOException {
    Files.createDirectories(p.getParent());
    Files.writeString(p, text, StandardCharsets.UTF_8);
  }

  private static IngestResult ingest(Warehouse wh, Path landing, boolean full) {
    return new IngestAction(
            wh,
            landing.toString(),
            Instant.parse("2026-10-01T00:00:00Z"),
            ConfigLoader.defaults(),
            full)
        .execute();
  }

  private static List<String> ids(Warehouse wh, Entity e, String key) {
    return Tables.staged(wh, e).orderBy(key).select(key).collectAsList().stream()
        .map(r -> r.getString(0))
        .toList();
  }

  @Test
  void fullRefreshRebuildsFromTheLandingFilesAlone() throws IOException {
    Path landing = tmp.resolve("landing");
    write(
        landing.resolve("leads/a.csv"),
        IngestActionTest.LEADS_HEADER
            + "\nL1,P1,2026-03-02T10:00Z,,referral,web_form,imaging,\n"
            + "L2,P2,2026-03-03T10:00Z,,,phone,imaging,\n"); // line 3: missing source
    write(
        landing.resolve("leads/b.csv"),
        IngestActionTest.LEADS_HEADER + "\nL3,P3,2026-03-04T10:00Z,,event,chat,dental,\n");
    write(
        landing.resolve("lead_events/e.jsonl"),
        "{\"event_id\": \"E1\", \"lead_id\": \"L1\", \"occurred_at\": \"2026-03-06T00:00Z\","
            + " \"stage\": \"recycled\"}\n"
            + "{\"event_id\": \"E2\", \"lead_id\": \"L3\", \"occurred_at\": \"2026-03-06T00:00Z\","
            + " \"stage\": \"new\"}\n");
    Warehouse wh = new Warehouse(spark(), tmp.resolve("wh").toString());
    assertThat(ingest(wh, landing, false).batchId()).isEqualTo(1);
    assertThat(ids(wh, Entity.LEADS, "lead_id")).containsExactly("L1", "L3");
    assertThat(ids(wh, Entity.LEAD_EVENTS, "event_id")).containsExactly("E1", "E2");

    // b.csv leaves the landing location: an ordinary run keeps what was ingested ...
    Files.delete(landing.resolve("leads/b.csv"));
    IngestResult same = ingest(wh, landing, false);
    assertThat(same.rowsRead()).isZero();
    assertThat(ids(wh, Entity.LEADS, "lead_id")).containsExactly("L1", "L3");

    // ... a full refresh rebuilds from a.csv and e.jsonl alone: L3 is gone and E2 now names an
    // unknown lead; a.csv's rejected row is in rejects and raw_leads once
    for (long batch = 2; batch <= 3; batch++) {
      IngestResult r = ingest(wh, landing, true);
      assertThat(r.batchId()).as("batch ids keep increasing").isEqualTo(batch);
      assertThat(r.entities().get("leads").rowsRead()).isEqualTo(2);
      assertThat(ids(wh, Entity.LEADS, "lead_id")).containsExactly("L1");
      assertThat(ids(wh, Entity.LEAD_EVENTS, "event_id")).containsExactly("E1");
      assertThat(
              Tables.ledger(wh)
                  .select("source_file")
                  .orderBy("source_file")
                  .collectAsList()
                  .stream()
                  .map(x -> x.getString(0))
                  .toList())
          .containsExactly("a.csv", "e.jsonl");
      Map<String, Long> rejects = new java.util.TreeMap<>();
      for (Row x : Tables.rejects(wh).groupBy("reason").count().collectAsList()) {
        rejects.put(x.getString(0), x.getLong(1));
      }
      assertThat(rejects)
          .containsExactlyInAnyOrderEntriesOf(
              Map.of("missing_source", 1L, Rejections.UNKNOWN_LEAD, 1L));
      // 2 leads + 2 events, nothing else: committed, and stored (the earlier batches' rows gone)
      assertThat(Tables.raw(wh).count()).isEqualTo(4);
      assertThat(
              wh.read(Tables.raw(Entity.LEADS)).count()
                  + wh.read(Tables.raw(Entity.LEAD_EVENTS)).count())
          .isEqualTo(4);
      assertThat(Tables.staged(wh, Entity.LEADS).count()).isEqualTo(1);
    }
  }
}
