package io.leadloop.jobs.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadloop.common.SparkTestBase;
import io.leadloop.common.config.ConfigLoader;
import io.leadloop.common.config.LeadloopConfig;
import io.leadloop.common.spark.Warehouse;
import io.leadloop.jobs.Fixture;
import io.leadloop.jobs.facts.Facts;
import io.leadloop.jobs.run.RunContext;
import io.leadloop.jobs.run.StepTimer;
import io.leadloop.jobs.segments.SegmentsStep;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Destination files, diffs against the previous export, manifests, and identical re-runs. */
class ExportTest extends SparkTestBase {
  private static final LeadloopConfig CONFIG =
      ConfigLoader.fromYaml(
          """
          consent_default: {marketing: allow_unless_opt_out, care_coordination: allow_unless_opt_out}
          destinations:
            - name: crm
              fields: [person_id, segment, recommended_channel, as_of]
              formats: [csv, jsonl]
            - name: sms_only
              channels: [sms]
              fields: [person_id, offer_code]
          """,
          "t");

  @TempDir Path tmp;

  /** Week 1: A stalled, B missed. Week 2: A gone (booked), B now stalled, C new stalled. */
  private static Fixture week(boolean second) {
    Fixture fx =
        new Fixture()
            .lead("lead_id=LA; person_id=A; created_at=2026-09-01T00:00Z")
            .appt(
                "appointment_id=AB; person_id=B; booked_at=2026-08-01T00:00Z; scheduled_start=2026-09-20T00:00Z; status=noshow");
    if (second) {
      fx.appt(
              "appointment_id=AA; person_id=A; lead_id=LA; booked_at=2026-10-02T00:00Z; scheduled_start=2026-10-03T00:00Z; status=fulfilled")
          .appt(
              "appointment_id=AB2; person_id=B; booked_at=2026-09-21T00:00Z; scheduled_start=2026-09-22T00:00Z; status=fulfilled")
          .lead("lead_id=LB; person_id=B; created_at=2026-09-30T00:00Z")
          .lead("lead_id=LC; person_id=C; created_at=2026-10-01T00:00Z");
    }
    return fx;
  }

  private void run(Warehouse wh, String asOf, String runId, boolean second) {
    Facts f = week(second).facts(spark(), CONFIG, asOf);
    new SegmentsStep(
            RunContext.of(
                wh, CONFIG, Fixture.cutoff(CONFIG, asOf), tmp.resolve("out").toString(), runId),
            false,
            true)
        .execute(f, new StepTimer());
  }

  private String read(String rel) throws IOException {
    return Files.readString(tmp.resolve("out/exports").resolve(rel));
  }

  @Test
  void diffsManifestsAndIdenticalReruns() throws IOException {
    Warehouse wh = new Warehouse(spark(), tmp.resolve("wh").toString());
    run(wh, "2026-09-30", "run-1", false);
    // no previous export: everyone is added; stalled_lead prefers phone, missed sms
    assertThat(read("crm/2026-09-30/members.csv"))
        .isEqualTo(
            "person_id,segment,recommended_channel,as_of\nA,stalled_lead,phone,2026-09-30\nB,missed_appointment,sms,2026-09-30\n");
    assertThat(read("crm/2026-09-30/members.jsonl"))
        .isEqualTo(
            "{\"person_id\":\"A\",\"segment\":\"stalled_lead\",\"recommended_channel\":\"phone\",\"as_of\":\"2026-09-30\"}\n"
                + "{\"person_id\":\"B\",\"segment\":\"missed_appointment\",\"recommended_channel\":\"sms\",\"as_of\":\"2026-09-30\"}\n");
    assertThat(read("crm/2026-09-30/added.csv"))
        .isEqualTo("person_id,segment\nA,stalled_lead\nB,missed_appointment\n");
    assertThat(read("crm/2026-09-30/removed.csv")).isEqualTo("person_id,segment\n");
    // sms_only: only B (recommended sms); no segment sent, so diffs carry person_id alone
    assertThat(read("sms_only/2026-09-30/members.csv"))
        .isEqualTo("person_id,offer_code\nB,reschedule_help\n");
    assertThat(read("sms_only/2026-09-30/added.csv")).isEqualTo("person_id\nB\n");
    JsonNode manifest = new ObjectMapper().readTree(read("crm/2026-09-30/manifest.json"));
    assertThat(manifest.get("spec_version").asInt()).isEqualTo(1);
    assertThat(manifest.get("destination").asText()).isEqualTo("crm");
    assertThat(manifest.get("run_id").asText()).isEqualTo("run-1");
    JsonNode members = manifest.get("files").get(0);
    assertThat(members.get("path").asText()).isEqualTo("members.csv");
    assertThat(members.get("rows").asInt()).isEqualTo(2);
    assertThat(members.get("sha256").asText())
        .isEqualTo(sha256(read("crm/2026-09-30/members.csv")));

    // a re-run of the same as-of: identical files but for run_id
    String before =
        read("crm/2026-09-30/members.csv")
            + read("crm/2026-09-30/added.csv")
            + read("crm/2026-09-30/removed.csv");
    String manifestBefore = read("crm/2026-09-30/manifest.json");
    run(wh, "2026-09-30", "run-2", false);
    assertThat(
            read("crm/2026-09-30/members.csv")
                + read("crm/2026-09-30/added.csv")
                + read("crm/2026-09-30/removed.csv"))
        .isEqualTo(before);
    assertThat(read("crm/2026-09-30/manifest.json"))
        .isEqualTo(manifestBefore.replace("run-1", "run-2"));

    // next week: diff against 2026-09-30. A left; B changed segment (removed and added again); C
    // new
    run(wh, "2026-10-07", "run-3", true);
    assertThat(read("crm/2026-10-07/added.csv"))
        .isEqualTo("person_id,segment\nB,stalled_lead\nC,stalled_lead\n");
    assertThat(read("crm/2026-10-07/removed.csv"))
        .isEqualTo("person_id,segment\nA,stalled_lead\nB,missed_appointment\n");
    // sms_only: B is no longer sent (recommended phone now): removed
    assertThat(read("sms_only/2026-10-07/removed.csv")).isEqualTo("person_id\nB\n");
    // no temporary folders are left behind
    try (var s = Files.list(tmp.resolve("out/exports/crm"))) {
      assertThat(s.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("2026-09-30", "2026-10-07");
    }
  }

  /** The checksum worked out here, independently of the writer's streaming digest. */
  private static String sha256(String text) {
    try {
      return java.util.HexFormat.of()
          .formatHex(
              java.security.MessageDigest.getInstance("SHA-256")
                  .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
