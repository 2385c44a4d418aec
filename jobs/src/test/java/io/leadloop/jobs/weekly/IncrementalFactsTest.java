package io.leadloop.jobs.weekly;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.leadloop.common.SparkTestBase;
import io.leadloop.common.config.ConfigLoader;
import io.leadloop.common.config.LeadloopConfig;
import io.leadloop.common.metrics.Cutoff;
import io.leadloop.common.schema.Entity;
import io.leadloop.common.spark.Warehouse;
import io.leadloop.jobs.SameRows;
import io.leadloop.jobs.facts.Facts;
import io.leadloop.jobs.facts.FactsBuilder;
import io.leadloop.jobs.ingest.IngestAction;
import io.leadloop.jobs.ingest.Tables;
import io.leadloop.jobs.run.RunContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Facts started from an earlier as-of's stored facts ({@link FactsStep}) equal facts computed in
 * full, on references across persons placed by hand.
 */
public class IncrementalFactsTest extends SparkTestBase {
  public static final LeadloopConfig CONFIG = ConfigLoader.defaults();
  static final String LEADS =
      "lead_id,person_id,created_at,updated_at,source,inquiry_channel," + "service_line\n";
  static final String APPTS =
      "appointment_id,person_id,lead_id,booked_at,scheduled_start,status,"
          + "updated_at,service_line\n";

  @TempDir Path tmp;

  static void write(Path p, String text) throws IOException {
    Files.createDirectories(p.getParent());
    Files.writeString(p, text, StandardCharsets.UTF_8);
  }

  /** Ingests what is new in {@code landing}, then builds and stores the facts as of {@code d}. */
  static FactsStep.Result run(Warehouse wh, Path landing, LocalDate d, boolean fullRefresh) {
    new IngestAction(
            wh, landing.toString(), Instant.parse("2026-11-23T00:00:00Z"), CONFIG, fullRefresh)
        .execute();
    return facts(wh, d, fullRefresh, true);
  }

  /** Builds and stores the facts as of {@code d}. */
  static FactsStep.Result facts(
      Warehouse wh, LocalDate d, boolean fullRefresh, boolean incremental) {
    RunContext run =
        RunContext.of(wh, CONFIG, new Cutoff(d, ZoneOffset.UTC), wh.root() + "/out", "run-" + d);
    List<Dataset<Row>> cached = new ArrayList<>();
    try {
      return new FactsStep(List.of(run), fullRefresh, incremental)
          .execute(staged(wh), Tables.ledgerFiles(wh), cached);
    } finally {
      cached.forEach(Dataset::unpersist);
    }
  }

  public static Map<Entity, Dataset<Row>> staged(Warehouse wh) {
    Map<Entity, Dataset<Row>> staged = new EnumMap<>(Entity.class);
    for (Entity e : Entity.values()) {
      staged.put(e, Tables.staged(wh, e));
    }
    return staged;
  }

  /** The stored facts of {@code d} are row for row those computed in full from the staged rows. */
  static void assertEqualToFull(Warehouse wh, LocalDate d) {
    assertFactsEqual(wh, d, FactsBuilder.build(staged(wh), new Cutoff(d, ZoneOffset.UTC), CONFIG));
  }

  /** The stored facts of {@code d} are row for row {@code full}'s. */
  public static void assertFactsEqual(Warehouse wh, LocalDate d, Facts full) {
    factsOf(new SameRows(), wh, d, full).assertSameAndNonEmpty();
  }

  /** Adds the stored facts of {@code d} against {@code full}'s to {@code same}. */
  public static SameRows factsOf(SameRows same, Warehouse wh, LocalDate d, Facts full) {
    String pred = "as_of = '" + d + "'";
    return same.add(
            "int_leads " + d, wh.read(Facts.INT_LEADS).where(pred).drop("as_of"), full.leads())
        .add(
            "int_appointments " + d,
            wh.read(Facts.INT_APPOINTMENTS).where(pred).drop("as_of"),
            full.appointments());
  }

  static Row fact(Warehouse wh, String table, String key, String id, LocalDate d) {
    return wh.read(table).where("as_of = '" + d + "'").where(col(key).equalTo(id)).head();
  }

  @Test
  void referencesAcrossPersonsAreRecomputedOnBothSides() throws IOException {
    Path landing = tmp.resolve("landing");
    StringBuilder leads = new StringBuilder(LEADS);
    leads.append("L1,P1,2026-03-02T10:00Z,,paid_search,web_form,imaging\n");
    leads.append("L2,P2,2026-03-03T10:00Z,,paid_search,web_form,imaging\n");
    leads.append("L4,P4,2026-03-05T10:00Z,,paid_search,web_form,imaging\n");
    for (int i = 5; i <= 10; i++) { // persons no change reaches: kept from the earlier as-of
      leads.append(
          "L" + i + ",P" + i + ",2026-03-0" + (i - 4) + "T12:00Z,,referral,phone,dental\n");
    }
    write(landing.resolve("leads/l.csv"), leads.toString());
    // A2 (P2) names P1's lead, A3 (P3, no lead of its own) names P2's lead; A4 starts in April.
    write(
        landing.resolve("appointments/a.csv"),
        APPTS
            + "A2,P2,L1,2026-03-20T00:00Z,2026-03-25T00:00Z,fulfilled,,imaging\n"
            + "A3,P3,L2,2026-03-21T00:00Z,2026-03-26T00:00Z,fulfilled,,imaging\n"
            + "A4,P4,,2026-03-06T00:00Z,2026-04-20T00:00Z,booked,,imaging\n");
    Warehouse wh = new Warehouse(spark(), tmp.resolve("wh").toString());
    LocalDate d0 = LocalDate.parse("2026-03-31");
    LocalDate d1 = LocalDate.parse("2026-04-30");
    assertThat(run(wh, landing, d0, false).description())
        .isEqualTo("full: no stored facts of an earlier as-of with this configuration");
    assertThat(
            fact(wh, Facts.INT_LEADS, "lead_id", "L1", d0).<Boolean>getAs("is_booked_first_cycle"))
        .isTrue();

    // A late event recycles L1 on 03-10 (before c0, in batch 2): A2 now comes after L1's recycle.
    write(
        landing.resolve("lead_events/late.jsonl"),
        "{\"event_id\":\"E1\",\"lead_id\":\"L1\",\"occurred_at\":\"2026-03-10T00:00Z\","
            + "\"stage\":\"recycled\",\"reason\":\"no_time_slot\"}\n");
    // Touched: P1 (E1 names L1, batch 2) and P4 (A4's start is in [c0, c1)). Recomputed: and P2
    // (A2 names L1). Read: and P3 (A3 names L2, whose booking L2's facts count).
    FactsStep.Result incremental = run(wh, landing, d1, false);
    assertEqualToFull(wh, d1);
    assertThat(incremental.description())
        .isEqualTo(
            "incremental from 2026-03-31 (batches after 1): 2 persons touched, 3 recomputed,"
                + " 4 read");
    assertThat(incremental.start().map(FactsStep.Start::asOf)).contains(d0);
    Row l1 = fact(wh, Facts.INT_LEADS, "lead_id", "L1", d1);
    assertThat(l1.<Boolean>getAs("is_booked_first_cycle")).isFalse();
    assertThat(l1.<Boolean>getAs("is_booked_from_recycled")).isTrue();
    assertThat(
            fact(wh, Facts.INT_LEADS, "lead_id", "L2", d1).<Boolean>getAs("is_booked_first_cycle"))
        .isTrue();
    assertThat(
            fact(wh, Facts.INT_APPOINTMENTS, "appointment_id", "A2", d1)
                .<Boolean>getAs("is_recycled_booking"))
        .isTrue();
    assertThat(
            fact(wh, Facts.INT_APPOINTMENTS, "appointment_id", "A4", d1)
                .<Boolean>getAs("is_unresolved"))
        .isTrue();

    // Without --incremental-facts, the facts are computed in full (the default).
    FactsStep.Result plain = facts(wh, d1, false, false);
    assertThat(plain.description())
        .isEqualTo("full: the default (--incremental-facts starts from an earlier as-of)");
    assertThat(plain.start()).isEmpty();

    // --full-refresh computes in full; so does the next as-of after a full-refresh ingest alone
    // (the mark of 05-07 names batches the ledger no longer holds). Computed in full, their rows
    // are FactsBuilder's by construction: only the choice is checked, and that the next as-of
    // starts from them.
    LocalDate d2 = LocalDate.parse("2026-05-07");
    assertThat(run(wh, landing, d2, true).description()).isEqualTo("full: --full-refresh");
    new IngestAction(wh, landing.toString(), Instant.parse("2026-11-23T00:00:00Z"), CONFIG, true)
        .execute();
    LocalDate d3 = LocalDate.parse("2026-05-14");
    assertThat(run(wh, landing, d3, false).description())
        .isEqualTo("full: the ingest tables were rebuilt after 2026-05-07");
    assertThat(run(wh, landing, d3.plusDays(7), false).description())
        .startsWith("incremental from 2026-05-14 (batches after 4):");
    assertEqualToFull(wh, d3.plusDays(7));
  }
}
