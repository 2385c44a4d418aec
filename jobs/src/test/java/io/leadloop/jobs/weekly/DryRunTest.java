package io.leadloop.jobs.weekly;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadloop.common.SparkTestBase;
import io.leadloop.common.config.ConfigLoader;
import io.leadloop.common.config.LeadloopConfig;
import io.leadloop.common.spark.Warehouse;
import io.leadloop.jobs.export.ExportHistory;
import io.leadloop.jobs.run.RunSummary;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.RowFactory;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One small {@code weekly --dry-run} as of 2026-09-30 (c = 2026-10-01T00:00Z, UTC), checked against
 * segments.md ("weekly --dry-run does everything but write and register exports, and prints counts
 * per segment, tier, channel, group ... and exclusion rule, and the diff sizes") and metrics.md's
 * run.json ("appointments_unlinked counts qualifying bookings linked to no lead").
 */
class DryRunTest extends SparkTestBase {
  private static final LeadloopConfig CONFIG =
      ConfigLoader.fromYaml(
          """
          consent_default: {marketing: allow_unless_opt_out, care_coordination: allow_unless_opt_out}
          destinations:
            - name: crm
              fields: [person_id, segment]
          """,
          "t");
  private static final LocalDate AS_OF = LocalDate.parse("2026-09-30");

  @TempDir static Path tmp;
  private static RunSummary summary;
  private static String printed;

  private static void write(Path landing, String file, String... lines) throws IOException {
    Path p = landing.resolve(file);
    Files.createDirectories(p.getParent());
    Files.writeString(p, String.join("\n", lines) + "\n");
  }

  @BeforeAll
  static void dryRun() throws IOException {
    Path landing = tmp.resolve("landing");
    write(
        landing,
        "leads/leads.csv",
        "lead_id,person_id,created_at,source,inquiry_channel,service_line",
        "L1,P1,2026-09-01T00:00:00Z,paid_search,web_form,imaging",
        "L2,P2,2026-09-05T00:00:00Z,paid_search,web_form,imaging",
        "L4,P4,2026-09-10T00:00:00Z,paid_search,web_form,imaging",
        "L8,P8,2026-01-01T00:00:00Z,paid_search,web_form,imaging");
    // Link (metrics.md): the named lead when it exists at c, else the person's lead with the
    // greatest created_at <= booked_at within 180 days, else unlinked. Qualifying: booked_at < c
    // and status booked, arrived, checked-in, fulfilled, noshow or cancelled.
    write(
        landing,
        "appointments/appointments.csv",
        "appointment_id,person_id,lead_id,booked_at,scheduled_start,status,updated_at,service_line",
        // names L1: linked
        "A1,P1,L1,2026-09-02T00:00:00Z,2026-09-10T00:00:00Z,noshow,,imaging",
        // P2's lead L2 created the day before: linked
        "A2,P2,,2026-09-06T00:00:00Z,2026-10-05T00:00:00Z,booked,,imaging",
        // P3 has no lead: unlinked (1)
        "A3,P3,,2026-09-01T00:00:00Z,2026-09-03T00:00:00Z,booked,,imaging",
        // P4's only lead is created after the booking: unlinked (2)
        "A4,P4,,2026-09-05T00:00:00Z,2026-09-08T00:00:00Z,fulfilled,,imaging",
        // proposed: not a qualifying booking
        "A5,P5,,2026-09-01T00:00:00Z,,proposed,,imaging",
        // cancelled is qualifying, and P6 has no lead: unlinked (3)
        "A6,P6,,2026-08-01T00:00:00Z,,cancelled,2026-08-20T00:00:00Z,imaging",
        // booked at c: does not exist at c
        "A7,P7,,2026-10-01T00:00:00Z,2026-10-03T00:00:00Z,booked,,imaging",
        // LX is no lead; P8's lead is 212 days older than the booking (> 180): unlinked (4)
        "A8,P8,LX,2026-08-01T00:00:00Z,2026-08-03T00:00:00Z,fulfilled,,imaging",
        // entered-in-error: not qualifying
        "A9,P9,,2026-09-01T00:00:00Z,2026-09-03T00:00:00Z,entered-in-error,,imaging");
    write(
        landing,
        "suppression/dnc.csv",
        "person_id,reason,added_at",
        "P6,patient_request,2026-05-01T00:00:00Z");
    // The crm destination's previous export (2026-09-23) sent P1 and P9, as a real run registers
    // it (register adds the marker row).
    Warehouse wh = new Warehouse(spark(), tmp.resolve("wh").toString());
    Date prev = Date.valueOf("2026-09-23");
    new ExportHistory(wh)
        .register(
            "crm",
            Map.of(LocalDate.parse("2026-09-23"), "run-0"),
            spark()
                .createDataFrame(
                    List.of(
                        RowFactory.create("crm", prev, "run-0", "P1", "missed_appointment"),
                        RowFactory.create("crm", prev, "run-0", "P9", "stalled_lead")),
                    ExportHistory.SCHEMA));
    PrintStream out = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      summary =
          new WeeklyJob(
                  spark(),
                  new WeeklyOptions(
                      landing.toString(),
                      wh.root(),
                      tmp.resolve("out").toString(),
                      AS_OF,
                      CONFIG,
                      Instant.parse("2026-11-23T00:00:00Z"),
                      true))
              .execute()
              .summary();
    } finally {
      System.setOut(out);
    }
    printed = captured.toString(StandardCharsets.UTF_8);
    System.out.print(printed);
  }

  /** A3, A4, A6 and A8 (see the landing file). */
  @Test
  void runJsonCountsUnlinkedQualifyingBookings() throws IOException {
    JsonNode run = new ObjectMapper().readTree(tmp.resolve("out/2026-09-30/run.json").toFile());
    assertThat(run.get("appointments_unlinked").asLong()).isEqualTo(4);
    // appointments with booked_at < c: all but A7
    assertThat(run.at("/entities/appointments/current_rows").asLong()).isEqualTo(8);
  }

  /**
   * Candidates: P1 missed_appointment (no-show 2026-09-10, 21 days before c: lapsed; sms first); P4
   * stalled_lead (lead of 09-10 with no booking since: fresh; phone first); P6 missed_appointment
   * (cancelled 08-20) but suppressed. Against the 2026-09-23 export (P1, P9): P4 added, P9 removed.
   */
  @Test
  void countsAreComputedAndPrinted() {
    RunSummary.Segments seg = summary.segments();
    assertThat(seg.membersBySegment())
        .isEqualTo(Map.of("missed_appointment", 1L, "stalled_lead", 1L));
    assertThat(seg.membersByTier()).isEqualTo(Map.of("lapsed", 1L, "fresh", 1L));
    assertThat(seg.membersByChannel()).isEqualTo(Map.of("sms", 1L, "phone", 1L));
    assertThat(seg.exclusions()).isEqualTo(Map.of("missed_appointment/suppressed", 1L));
    assertThat(seg.exports()).isEqualTo(Map.of("crm", new RunSummary.Export(2, 1, 1)));
    assertThat(seg.dryRun()).isTrue();
    // printed as run.json's segments, on one line
    assertThat(printed)
        .contains("dry run (no export written): {")
        .contains("\"members_by_segment\":{\"missed_appointment\":1,\"stalled_lead\":1}")
        .contains("\"members_by_tier\":{\"fresh\":1,\"lapsed\":1}")
        .contains("\"members_by_channel\":{\"phone\":1,\"sms\":1}")
        .contains("\"exclusions\":{\"missed_appointment/suppressed\":1}")
        .contains("\"exports\":{\"crm\":{\"members\":2,\"added\":1,\"removed\":1}}");
  }

  @Test
  void noExportIsWrittenOrRegistered() {
    SoftAssertions soft = new SoftAssertions();
    soft.assertThat(tmp.resolve("out/exports")).doesNotExist();
    Warehouse wh = new Warehouse(spark(), tmp.resolve("wh").toString());
    // only the three rows registered before the run
    soft.assertThat(
            wh.read(ExportHistory.TABLE, ExportHistory.SCHEMA).collectAsList().stream()
                .map(r -> r.get(1) + " " + r.get(3)))
        .containsExactlyInAnyOrder("2026-09-23 P1", "2026-09-23 P9", "2026-09-23 null");
    soft.assertAll();
    // the rest of the run is written
    assertThat(tmp.resolve("out/2026-09-30/segments/members.csv"))
        .hasContent(
            "person_id,segment,tier,purpose,service_line,location_id,language,"
                + "permitted_channels,recommended_channel,offer_code,as_of,run_id\n"
                + "P1,missed_appointment,lapsed,care_coordination,imaging,,,"
                + "sms|phone|email|mail,sms,reschedule_help,2026-09-30,"
                + summary.runId()
                + "\n"
                + "P4,stalled_lead,fresh,marketing,imaging,,,phone|email|sms|mail,phone,"
                + "scheduling_link,2026-09-30,"
                + summary.runId()
                + "\n");
  }
}
