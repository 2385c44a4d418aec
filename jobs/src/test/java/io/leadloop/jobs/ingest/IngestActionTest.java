package io.leadloop.jobs.ingest;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leadloop.common.DeltaCommits;
import io.leadloop.common.LeadloopException;
import io.leadloop.common.SparkTestBase;
import io.leadloop.common.config.ConfigLoader;
import io.leadloop.common.schema.Entity;
import io.leadloop.common.spark.Warehouse;
import io.leadloop.jobs.Rows;
import io.leadloop.jobs.facts.AsOf;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Landing → Delta: counts, rejects, skipped copies, ignored files, re-runs, batches, failures. */
class IngestActionTest extends SparkTestBase {
  @TempDir Path tmp;

  static final String LEADS_HEADER =
      "LEAD_ID,Person_ID,created_at,updated_at,source,inquiry_channel,service_line,crm_note";

  private static void write(Path p, String text) throws IOException {
    Files.createDirectories(p.getParent());
    Files.writeString(p, text, StandardCharsets.UTF_8);
  }

  private static void gzip(Path p, String text) throws IOException {
    Files.createDirectories(p.getParent());
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(p))) {
      o.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  private IngestResult ingest(Warehouse wh, Path landing, String at) {
    return new IngestAction(wh, landing.toString(), Instant.parse(at), ConfigLoader.defaults())
        .execute();
  }

  private String statsColumns(Warehouse wh, String table) {
    return spark()
        .sql("SHOW TBLPROPERTIES delta.`" + wh.path(table) + "` ('delta.dataSkippingStatsColumns')")
        .head()
        .getString(1);
  }

  @Test
  void batchesCountRejectSkipAndRerun() throws IOException {
    Path landing = tmp.resolve("landing");
    String leads =
        "\uFEFF"
            + LEADS_HEADER
            + "\n"
            + "L1,P1,2026-03-02T10:00Z,,Paid Search,web_form,imaging,\"note, with comma\"\n" // line
            // 2
            + "L1,P1,2026-03-02T10:00Z,2026-03-05T00:00Z,referral,web_form,imaging,\n" // line 3:
            // newer
            // version
            + "L2,P2,2026-03-03T10:00Z,,,phone,imaging,\n" // line 4: missing source
            + "L2,P2,2026-03-03T10:00Z\n" // line 5: malformed (3 fields)
            + "\n"
            + "L3,P3,2026-03-04T10:00Z,,event,chat,dental,\n"; // line 7
    write(landing.resolve("leads/a.csv"), leads);
    write(landing.resolve("leads/b_copy.csv"), leads); // the same bytes under another name
    write(landing.resolve("leads/README.txt"), "export notes, not data");
    write(landing.resolve("touches/_SUCCESS"), "");
    gzip(
        landing.resolve("lead_events/e.JSONL.GZ"),
        "{\"event_id\": \"E1\", \"lead_id\": \"L1\", \"occurred_at\": \"2026-03-06T00:00Z\", \"stage\": \"recycled\"}\n"
            + "{\"event_id\": \"E2\", \"lead_id\": \"L404\", \"occurred_at\": \"2026-03-06T00:00Z\", \"stage\": \"new\"}\n"
            + "{\"event_id\": \"E3\", \"lead_id\": \"L2\", \"occurred_at\": \"2026-03-06T00:00Z\", \"stage\": \"new\"}\n");
    Warehouse wh = new Warehouse(spark(), tmp.resolve("wh").toString());

    IngestResult first = ingest(wh, landing, "2026-10-01T00:00:00Z");
    assertThat(first.batchId()).isEqualTo(1);
    // statistics only on the file hash the replaceWhere filters on (not on every raw line)
    assertThat(statsColumns(wh, Tables.raw(Entity.LEADS))).isEqualTo("file_sha256");
    // the staged rows are the raw table's accepted rows: there is no stg_ table to write
    assertThat(wh.exists(Tables.staged(Entity.LEADS))).isFalse();
    // a.csv: 5 records read (the blank line is not one); L1 twice and L3 accepted
    assertThat(first.entities().get("leads"))
        .isEqualTo(
            new IngestResult.EntityCounts(
                5, 3, 2, Map.of("malformed_line", 1L, "missing_source", 1L)));
    // E2 names no lead; E3 names L2, which was rejected, so it is unknown too
    assertThat(first.entities().get("lead_events"))
        .isEqualTo(new IngestResult.EntityCounts(3, 1, 2, Map.of("unknown_lead", 2L)));
    assertThat(first.skipped()).containsExactly("leads/b_copy.csv");
    assertThat(first.ignored()).containsExactlyInAnyOrder("leads/README.txt", "touches/_SUCCESS");
    List<Map<String, String>> rejects =
        Rows.of(
            Tables.rejects(wh)
                .orderBy("entity", "line")
                .select("entity", "source_file", "line", "reason", "message"));
    assertThat(rejects)
        .extracting(r -> r.get("source_file") + ":" + r.get("line") + ":" + r.get("reason"))
        .containsExactly(
            "e.JSONL.GZ:2:unknown_lead",
            "e.JSONL.GZ:3:unknown_lead",
            "a.csv:4:missing_source",
            "a.csv:5:malformed_line");
    assertThat(rejects.get(2).get("message")).contains("a.csv line 4").contains("source");
    // the raw layer keeps every record as read, extra columns included
    assertThat(Tables.raw(wh).where(col("entity").equalTo("leads")).count()).isEqualTo(5);
    assertThat(
            Rows.one(
                Tables.raw(wh)
                    .where(col("line").equalTo(2))
                    .where(col("entity").equalTo("leads"))
                    .selectExpr("raw_fields['crm_note'] AS note"),
                "note",
                "note, with comma"))
        .isNotNull();
    // raw_fields: an accepted record keeps only the columns the contract does not name (crm_note),
    // a record its own checks reject keeps every field, a malformed one has none
    assertThat(
            Rows.of(
                Tables.raw(wh)
                    .where(col("entity").equalTo("leads"))
                    .orderBy("line")
                    .selectExpr(
                        "line",
                        "array_join(sort_array(map_keys(raw_fields)), '|') AS keys",
                        "raw_fields['lead_id'] AS lead_id")))
        .extracting(r -> r.get("line") + ":" + r.get("keys") + ":" + r.get("lead_id"))
        .containsExactly(
            "2:crm_note:",
            "3:crm_note:",
            "4:created_at|crm_note|inquiry_channel|lead_id|person_id|service_line|source|updated_at:L2",
            "5::",
            "7:crm_note:");
    assertThat(
            Rows.one(
                Tables.raw(wh)
                    .where(col("entity").equalTo("lead_events"))
                    .where(col("line").equalTo(1))
                    .selectExpr("line", "raw_fields IS NULL AS none"),
                "line",
                "1"))
        .containsEntry("none", "true");
    // the newest version of L1 wins
    var l1 = Rows.one(AsOf.latest(Tables.staged(wh, Entity.LEADS), Entity.LEADS), "lead_id", "L1");
    assertThat(l1).containsEntry("source", "referral").containsEntry("line", "3");

    long ledgerVersion = wh.version(Tables.LEDGER);
    long rawVersion = wh.version(Tables.raw(Entity.LEADS));
    IngestResult again = ingest(wh, landing, "2026-10-02T00:00:00Z");
    assertThat(again.rowsRead()).isZero();
    assertThat(again.skipped())
        .containsExactlyInAnyOrder("leads/a.csv", "leads/b_copy.csv", "lead_events/e.JSONL.GZ");
    assertThat(wh.version(Tables.LEDGER)).isEqualTo(ledgerVersion);
    assertThat(wh.version(Tables.raw(Entity.LEADS))).isEqualTo(rawVersion);
    assertThat(Tables.staged(wh, Entity.LEADS).count()).isEqualTo(3);

    // batch 2: an event for L1 (a lead of batch 1) is known; a version of L3 with the same
    // updated_at as batch 1's wins by the later batch
    write(
        landing.resolve("lead_events/f.jsonl"),
        "{\"event_id\": \"E4\", \"lead_id\": \"L3\", \"occurred_at\": \"2026-03-07T00:00Z\", \"stage\": \"contacted\"}\n");
    write(
        landing.resolve("leads/c.csv"),
        LEADS_HEADER + "\nL3,P3,2026-03-04T10:00Z,2026-03-04T10:00Z,social,chat,dental,\n");
    IngestResult second = ingest(wh, landing, "2026-10-03T00:00:00Z");
    assertThat(second.batchId()).isEqualTo(2);
    assertThat(second.entities().get("lead_events").rowsAccepted()).isEqualTo(1);
    var l3 = Rows.one(AsOf.latest(Tables.staged(wh, Entity.LEADS), Entity.LEADS), "lead_id", "L3");
    assertThat(l3).containsEntry("source", "social").containsEntry("batch_id", "2");
  }

  /**
   * A first ingest into an empty warehouse commits each table once: the six raw tables (each
   * created by its batch's write, with its properties in that same commit), rejects and the ledger.
   * Every entity's file has the same name, so counts that mixed entities up would show.
   */
  @Test
  void aFreshIngestCommitsEachTableOnceWithItsProperties() throws IOException {
    Path landing = tmp.resolve("landing4");
    write(
        landing.resolve("leads/x.csv"),
        LEADS_HEADER
            + "\nL1,P1,2026-03-02T10:00Z,,event,web_form,imaging,\n"
            + "L2,P2,2026-03-03T10:00Z,,referral,phone,imaging,\n"
            + "L3,P3,2026-03-04T10:00Z,,,chat,dental,\n"); // no source
    write(
        landing.resolve("lead_events/x.csv"),
        "event_id,lead_id,occurred_at,stage\n"
            + "E1,L1,2026-03-05T00:00Z,new\n"
            + "E2,L3,2026-03-05T00:00Z,new\n"); // L3 was rejected: unknown
    write(
        landing.resolve("touches/x.csv"),
        "touch_id,person_id,occurred_at,channel\nT1,P1,2026-03-02T11:00Z,sms\n");
    write(
        landing.resolve("appointments/x.csv"),
        "appointment_id,person_id,booked_at,scheduled_start,status,service_line\n"
            + "A1,P1,2026-03-03T10:00Z,2026-03-10T10:00Z,booked,imaging\n");
    write(
        landing.resolve("consent/x.csv"),
        "person_id,channel,status,recorded_at\n"
            + "P1,email,opt_in,2026-03-01T00:00Z\n"
            + "P2,sms,opt_out,2026-03-01T00:00Z\n");
    write(
        landing.resolve("suppression/x.csv"),
        "person_id,reason,added_at\nP9,deceased,2026-03-01T00:00Z\n");
    Warehouse wh = new Warehouse(spark(), tmp.resolve("wh4").toString());
    long before = Warehouse.commits();

    IngestResult r = ingest(wh, landing, "2026-10-01T00:00:00Z");

    assertThat(Warehouse.commits() - before).isEqualTo(6 + 1 + 1);
    for (Entity e : Entity.values()) {
      assertThat(commitFiles(wh, Tables.raw(e))).containsExactly("00000000000000000000.json");
      assertThat(configuration(wh, Tables.raw(e)))
          .containsExactlyInAnyOrderEntriesOf(IngestAction.RAW_PROPERTIES);
    }
    assertThat(commitFiles(wh, Tables.REJECTS)).containsExactly("00000000000000000000.json");
    assertThat(commitFiles(wh, Tables.LEDGER)).containsExactly("00000000000000000000.json");
    assertThat(r.entities())
        .containsEntry(
            "leads", new IngestResult.EntityCounts(3, 2, 1, Map.of("missing_source", 1L)))
        .containsEntry(
            "lead_events",
            new IngestResult.EntityCounts(2, 1, 1, Map.of(Rejections.UNKNOWN_LEAD, 1L)))
        .containsEntry("touches", new IngestResult.EntityCounts(1, 1, 0, Map.of()))
        .containsEntry("appointments", new IngestResult.EntityCounts(1, 1, 0, Map.of()))
        .containsEntry("consent", new IngestResult.EntityCounts(2, 2, 0, Map.of()))
        .containsEntry("suppression", new IngestResult.EntityCounts(1, 1, 0, Map.of()));
    assertThat(
            Rows.of(Tables.ledger(wh).orderBy("entity").select("entity", "rows_read")).stream()
                .map(x -> x.get("entity") + "=" + x.get("rows_read"))
                .toList())
        .containsExactly(
            "appointments=1",
            "consent=2",
            "lead_events=2",
            "leads=3",
            "suppression=1",
            "touches=1");
  }

  private static List<String> commitFiles(Warehouse wh, String table) throws IOException {
    try (var files = Files.list(Path.of(wh.path(table), "_delta_log"))) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(n -> n.matches("\\d{20}\\.json"))
          .sorted()
          .toList();
    }
  }

  /** The table properties the metaData action of a table's first commit sets. */
  private static Map<String, String> configuration(Warehouse wh, String table) throws IOException {
    return DeltaCommits.configuration(Path.of(wh.path(table)), 0);
  }

  /**
   * A warehouse of a release before the raw tables kept its staged rows in a {@code stg_<entity>}
   * table, which nothing reads any more: an ingest and a read refuse it, naming the table and the
   * fix, instead of missing its rows; a full refresh rebuilds it from the landing files and drops
   * the old table.
   */
  @Test
  void aWarehouseOfTheEarlierLayoutIsRefusedUntilAFullRefresh() throws IOException {
    Path landing = tmp.resolve("landing3");
    write(
        landing.resolve("leads/a.csv"),
        LEADS_HEADER
            + "\nL1,P1,2026-03-02T10:00Z,,event,web_form,imaging,\n"
            + "L2,P2,2026-03-02T11:00Z,,event,web_form,imaging,\n");
    Warehouse wh = new Warehouse(spark(), tmp.resolve("wh3").toString());
    ingest(wh, landing, "2026-10-01T00:00:00Z");
    // the earlier layout: batch 1's staged rows in stg_leads, none in raw_leads
    List<Row> rows = Tables.staged(wh, Entity.LEADS).collectAsList();
    wh.append(
        Tables.staged(Entity.LEADS),
        spark().createDataFrame(rows, ParsedSchema.staged(Entity.LEADS)));
    wh.deleteAll(Tables.raw(Entity.LEADS));
    write(
        landing.resolve("leads/b.csv"),
        LEADS_HEADER + "\nL3,P3,2026-03-04T10:00Z,,event,chat,dental,\n");

    assertThatThrownBy(() -> ingest(wh, landing, "2026-10-02T00:00:00Z"))
        .isInstanceOf(LeadloopException.class)
        .hasMessageContaining("Cannot read leads")
        .hasMessageContaining("stg_leads")
        .hasMessageContaining("--full-refresh");
    assertThatThrownBy(() -> Tables.staged(wh, Entity.LEADS))
        .isInstanceOf(LeadloopException.class)
        .hasMessageContaining("stg_leads");
    // nothing of the refused run is visible: the ledger still holds a.csv alone
    assertThat(
            Tables.ledger(wh)
                .select("source_file")
                .as(org.apache.spark.sql.Encoders.STRING())
                .collectAsList())
        .containsExactly("a.csv");

    new IngestAction(
            wh,
            landing.toString(),
            Instant.parse("2026-10-02T00:00:00Z"),
            ConfigLoader.defaults(),
            true)
        .execute();
    assertThat(wh.exists(Tables.staged(Entity.LEADS))).isFalse();
    assertThat(
            Tables.staged(wh, Entity.LEADS).orderBy("lead_id").collectAsList().stream()
                .map(r -> r.getAs("lead_id") + "@" + r.getAs("batch_id"))
                .toList())
        .containsExactly("L1@2", "L2@2", "L3@2");
  }

  @Test
  void aFileOverTheRejectShareStopsTheRunWithNothingVisible() throws IOException {
    Path landing = tmp.resolve("landing3");
    // 4 records, 2 rejected (line 3: no source; line 4: 3 fields): 50% > 25%. b.csv, 1 of 4
    // rejected (25%), is at the limit and passes.
    write(
        landing.resolve("leads/a.csv"),
        LEADS_HEADER
            + "\nL1,P1,2026-03-02T10:00Z,,referral,web_form,imaging,\n"
            + "L2,P2,2026-03-03T10:00Z,,,phone,imaging,\n"
            + "L3,P3,2026-03-03T10:00Z\n"
            + "L4,P4,2026-03-04T10:00Z,,event,chat,dental,\n");
    write(
        landing.resolve("leads/b.csv"),
        LEADS_HEADER
            + "\nL5,P5,2026-03-02T10:00Z,,referral,web_form,imaging,\n"
            + "L6,P6,2026-03-03T10:00Z,,,phone,imaging,\n"
            + "L7,P7,2026-03-03T10:00Z,,event,chat,dental,\n"
            + "L8,P8,2026-03-04T10:00Z,,event,chat,dental,\n");
    Warehouse wh = new Warehouse(spark(), tmp.resolve("wh3").toString());
    var config = ConfigLoader.fromYaml("max_reject_share: 0.25\n", "config.yaml");
    assertThatThrownBy(
            () ->
                new IngestAction(
                        wh, landing.toString(), Instant.parse("2026-10-01T00:00:00Z"), config)
                    .execute())
        .isInstanceOf(LeadloopException.class)
        .hasMessage(
            "Cannot ingest leads/a.csv: 2 of 4 rows rejected (50.0% > max_reject_share 25.0%);"
                + " top reasons: malformed_line 1, missing_source 1");
    assertThat(wh.exists(Tables.LEDGER)).isFalse();
    assertThat(Tables.staged(wh, Entity.LEADS).count()).isZero();

    // without a.csv, the batch is ingested, b.csv's bad row among the rejects
    Files.delete(landing.resolve("leads/a.csv"));
    IngestResult ok =
        new IngestAction(wh, landing.toString(), Instant.parse("2026-10-01T00:00:00Z"), config)
            .execute();
    assertThat(ok.entities().get("leads").rowsAccepted()).isEqualTo(3);
    assertThat(Tables.staged(wh, Entity.LEADS).count()).isEqualTo(3);
    assertThat(Tables.rejects(wh).count()).isEqualTo(1);
  }

  @Test
  void unreadableFilesStopTheRunWithNothingVisible() throws IOException {
    Path landing = tmp.resolve("landing2");
    write(
        landing.resolve("leads/a.csv"),
        LEADS_HEADER + "\nL1,P1,2026-03-02T10:00Z,,x,web_form,imaging,\n");
    write(landing.resolve("touches/broken.csv.gz"), "this is not gzip");
    Warehouse wh = new Warehouse(spark(), tmp.resolve("wh2").toString());
    assertThatThrownBy(() -> ingest(wh, landing, "2026-10-01T00:00:00Z"))
        .satisfies(t -> assertThat(LeadloopException.find(t)).isNotNull())
        .satisfies(
            t ->
                assertThat(LeadloopException.find(t).getMessage())
                    .contains("touches/broken.csv.gz")
                    .contains("gzip"));
    assertThat(wh.exists(Tables.LEDGER)).isFalse();
    assertThat(Tables.staged(wh, Entity.LEADS).count()).isZero();
    // a.csv's record was written to raw_leads before broken.csv.gz failed: without a ledger row
    // it is invisible
    assertThat(wh.read(Tables.raw(Entity.LEADS)).count()).isEqualTo(1);
    assertThat(Tables.raw(wh).count()).isZero();

    Files.delete(landing.resolve("touches/broken.csv.gz"));
    Files.write(
        landing.resolve("touches/latin1.csv"),
        "touch_id,person_id,occurred_at,channel\nT1,P\u00e9,2026-03-02T10:00Z,sms\n"
            .getBytes(StandardCharsets.ISO_8859_1));
    assertThatThrownBy(() -> ingest(wh, landing, "2026-10-01T00:00:00Z"))
        .satisfies(
            t ->
                assertThat(LeadloopException.find(t).getMessage())
                    .contains("touches/latin1.csv")
                    .contains("UTF-8"));

    Files.delete(landing.resolve("touches/latin1.csv"));
    write(landing.resolve("touches/dup.csv"), "touch_id,TOUCH_ID\n1,2\n");
    assertThatThrownBy(() -> ingest(wh, landing, "2026-10-01T00:00:00Z"))
        .satisfies(
            t ->
                assertThat(LeadloopException.find(t).getMessage())
                    .contains("touches/dup.csv")
                    .contains("repeats"));
    assertThat(wh.exists(Tables.LEDGER)).isFalse();
    // each failed attempt (batch 1 again) replaced a.csv's raw record instead of adding one
    assertThat(wh.read(Tables.raw(Entity.LEADS)).count()).isEqualTo(1);
    assertThat(Tables.raw(wh).count()).isZero();
  }
}
