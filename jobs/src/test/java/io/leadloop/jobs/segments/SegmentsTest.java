package io.leadloop.jobs.segments;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadloop.common.SparkTestBase;
import io.leadloop.common.config.ConfigLoader;
import io.leadloop.common.config.LeadloopConfig;
import io.leadloop.jobs.Fixture;
import io.leadloop.jobs.Rows;
import io.leadloop.jobs.facts.Facts;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * segments.md rule by rule, as of 2026-09-30 (cutoff c = 2026-10-01T00:00Z, UTC). Persons are named
 * by the rule they exercise; every candidate gets an email opt-in unless the test is about consent
 * (both purposes default to opt_in_required).
 */
class SegmentsTest extends SparkTestBase {
  private static final LeadloopConfig CONFIG =
      ConfigLoader.fromYaml("follow_up_days: {Primary Care: 180, imaging: 30}", "t");
  private static Map<String, Map<String, String>> members;
  private static Map<String, String> exclusions;

  private static Fixture ok(Fixture fx, String p) {
    return fx.consent(
        "person_id=" + p + "; channel=email; status=opt_in; recorded_at=2026-01-01T00:00Z");
  }

  private static Fixture stalled(Fixture fx, String p, String extra) {
    return ok(fx, p)
        .lead("lead_id=L" + p + "; person_id=" + p + "; created_at=2026-09-01T00:00Z; " + extra);
  }

  @BeforeAll
  static void evaluate() {
    Fixture fx = new Fixture();
    // missed_appointment: noshow 6 days before c (recent), cancelled 88 days before (lapsed, at
    // its updated_at), noshow 92 days before (too old), cancelled-then-seen (not missed), and the
    // 14-day and 90-day edges (miss exactly 14 / 90 days before c: recent / lapsed)
    ok(fx, "M1")
        .appt(
            "appointment_id=AM1; person_id=M1; booked_at=2026-09-01T00:00Z; scheduled_start=2026-09-25T00:00Z; status=noshow; location_id=north");
    ok(fx, "M2")
        .appt(
            "appointment_id=AM2; person_id=M2; booked_at=2026-06-01T00:00Z; scheduled_start=2026-11-01T00:00Z; status=booked")
        .appt(
            "appointment_id=AM2; person_id=M2; booked_at=2026-06-01T00:00Z; status=cancelled; updated_at=2026-07-05T00:00Z");
    ok(fx, "M3")
        .appt(
            "appointment_id=AM3; person_id=M3; booked_at=2026-06-01T00:00Z; scheduled_start=2026-07-01T00:00Z; status=noshow");
    ok(fx, "M4")
        .appt(
            "appointment_id=AM4a; person_id=M4; booked_at=2026-09-01T00:00Z; status=cancelled; updated_at=2026-09-20T00:00Z")
        .appt(
            "appointment_id=AM4b; person_id=M4; booked_at=2026-09-20T00:00Z; scheduled_start=2026-09-22T00:00Z; status=fulfilled");
    ok(fx, "M5")
        .appt(
            "appointment_id=AM5; person_id=M5; booked_at=2026-09-01T00:00Z; scheduled_start=2026-09-17T00:00Z; status=noshow");
    ok(fx, "M6")
        .appt(
            "appointment_id=AM6; person_id=M6; booked_at=2026-06-01T00:00Z; scheduled_start=2026-07-03T00:00Z; status=noshow");
    // stalled_lead
    stalled(fx, "S1", "service_line=orthopedics; location_id=south; language=es")
        .consent("person_id=S1; channel=phone; status=opt_in; recorded_at=2026-01-01T00:00Z");
    ok(fx, "S2")
        .lead(
            "lead_id=LS2; person_id=S2; created_at=2026-09-29T00:00:01Z"); // c - 2 d + 1 s: too new
    ok(fx, "S3")
        .lead("lead_id=LS3; person_id=S3; created_at=2026-09-29T00:00:00Z"); // exactly c - 2 d
    ok(fx, "S4")
        .lead("lead_id=LS4a; person_id=S4; created_at=2026-08-01T00:00Z")
        .lead("lead_id=LS4b; person_id=S4; created_at=2026-09-01T00:00Z")
        .event("event_id=ES4; lead_id=LS4b; occurred_at=2026-09-02T00:00Z; stage=closed_lost");
    stalled(fx, "S5", "")
        .event(
            "event_id=ES5; lead_id=LS5; occurred_at=2026-09-05T00:00Z; stage=recycled; reason=No Time Slot");
    stalled(fx, "S6", "score=e");
    ok(fx, "S8")
        .lead("lead_id=LS8; person_id=S8; created_at=2026-04-04T00:00Z"); // exactly c - 180 d
    ok(fx, "S8b")
        .lead("lead_id=LS8b; person_id=S8b; created_at=2026-04-03T23:59:59Z"); // 1 s too old
    stalled(fx, "S9", "service_line=Behavioral Health");
    // lapsed_care (primary_care 180 d, imaging 30 d)
    ok(fx, "C1")
        .appt(
            "appointment_id=AC1; person_id=C1; booked_at=2026-02-01T00:00Z; scheduled_start=2026-03-01T00:00Z; status=fulfilled; service_line=primary_care");
    ok(fx, "C2")
        .appt(
            "appointment_id=AC2a; person_id=C2; booked_at=2026-07-01T00:00Z; scheduled_start=2026-08-01T00:00Z; status=arrived; service_line=imaging; location_id=east")
        .appt(
            "appointment_id=AC2b; person_id=C2; booked_at=2026-03-01T00:00Z; scheduled_start=2026-03-20T00:00Z; status=fulfilled; service_line=primary_care");
    ok(fx, "C3")
        .appt(
            "appointment_id=AC3; person_id=C3; booked_at=2025-02-01T00:00Z; scheduled_start=2025-03-01T00:00Z; status=fulfilled; service_line=primary_care");
    // exclusions, in order
    stalled(fx, "X1", "")
        .suppression("person_id=X1; added_at=2026-05-01T00:00Z")
        .appt(
            "appointment_id=AX1; person_id=X1; booked_at=2026-09-20T00:00Z; scheduled_start=2026-10-05T00:00Z; status=pending");
    stalled(fx, "X2", "")
        .suppression("person_id=X2; added_at=2026-05-01T00:00Z; expires_at=2026-10-01T00:00:00Z");
    stalled(fx, "X3", "")
        .suppression("person_id=X3; added_at=2026-05-01T00:00Z; expires_at=2026-10-01T00:00:01Z");
    stalled(fx, "X4", "").suppression("person_id=X4; added_at=2026-10-01T00:00:00Z");
    stalled(fx, "X5", "")
        .appt(
            "appointment_id=AX5; person_id=X5; booked_at=2026-09-20T00:00Z; scheduled_start=2026-10-05T00:00Z; status=pending");
    fx.lead("lead_id=LX6; person_id=X6; created_at=2026-09-01T00:00Z");
    stalled(fx, "X7", "")
        .consent("person_id=X7; channel=email; status=opt_out; recorded_at=2026-01-01T00:00Z");
    stalled(fx, "X8", "")
        .touch(
            "touch_id=TX8; person_id=X8; occurred_at=2026-09-10T00:00Z; channel=email; direction=inbound; outcome=unsubscribed");
    stalled(fx, "X9", "")
        .touch("touch_id=TX91; person_id=X9; occurred_at=2026-09-24T00:00Z; channel=sms")
        .touch("touch_id=TX92; person_id=X9; occurred_at=2026-09-25T00:00Z; channel=mail")
        .touch(
            "touch_id=TX93; person_id=X9; occurred_at=2026-09-26T00:00Z; channel=phone; outcome=no_answer");
    stalled(fx, "X10", "")
        .touch("touch_id=TX10; person_id=X10; occurred_at=2026-09-29T12:00Z; channel=email");
    stalled(fx, "X10b", "")
        .touch(
            "touch_id=TX10b; person_id=X10b; occurred_at=2026-09-30T00:00Z; channel=email; outcome=bounced");
    stalled(fx, "X11", "");
    for (int i = 1; i <= 3; i++) {
      fx.event(
          "event_id=EX11"
              + i
              + "; lead_id=LX11; occurred_at=2026-09-0"
              + (i + 1)
              + "T00:00Z; stage=recycled; reason=no_response");
    }
    stalled(fx, "X12", "intent=clinical_question");
    stalled(fx, "X13", "audience=referral_partner");
    Facts f = fx.facts(spark(), CONFIG, "2026-09-30");
    Dataset<Row> evaluated = Segments.evaluate(f, Fixture.cutoff(CONFIG, "2026-09-30"), CONFIG);
    members = new TreeMap<>();
    Rows.of(Segments.members(evaluated, "2026-09-30", "run-1"))
        .forEach(m -> members.put(m.get("person_id"), m));
    exclusions = new TreeMap<>();
    Rows.of(Segments.exclusions(evaluated))
        .forEach(r -> exclusions.put(r.get("segment") + "/" + r.get("rule"), r.get("persons")));
  }

  @Test
  void membersAreExactlyTheQualifyingCandidates() {
    assertThat(members.keySet())
        .containsExactlyInAnyOrder(
            "M1", "M2", "M5", "M6", "S1", "S3", "S5", "S8", "S9", "C1", "C2", "X2", "X4", "X10b");
  }

  @Test
  void missedAppointmentTiersAndFields() {
    assertThat(members.get("M1"))
        .containsEntry("segment", "missed_appointment")
        .containsEntry("tier", "recent")
        .containsEntry("purpose", "care_coordination")
        .containsEntry("service_line", "imaging")
        .containsEntry("location_id", "north")
        .containsEntry("language", "")
        .containsEntry("permitted_channels", "email")
        .containsEntry("recommended_channel", "email")
        .containsEntry("offer_code", "reschedule_help")
        .containsEntry("as_of", "2026-09-30")
        .containsEntry("run_id", "run-1");
    assertThat(members.get("M2")).containsEntry("tier", "lapsed");
    assertThat(members.get("M5")).containsEntry("tier", "recent");
    assertThat(members.get("M6")).containsEntry("tier", "lapsed");
  }

  @Test
  void stalledLeadFields() {
    assertThat(members.get("S1"))
        .containsEntry("segment", "stalled_lead")
        .containsEntry("tier", "fresh")
        .containsEntry("purpose", "marketing")
        .containsEntry("service_line", "orthopedics")
        .containsEntry("location_id", "south")
        .containsEntry("language", "es")
        // stalled_lead preference: phone, email, sms, mail
        .containsEntry("permitted_channels", "phone|email")
        .containsEntry("recommended_channel", "phone")
        .containsEntry("offer_code", "scheduling_link");
    assertThat(members.get("S5"))
        .containsEntry("tier", "recycled")
        .containsEntry("offer_code", "new_availability");
    // a sensitive service line is not sent for marketing
    assertThat(members.get("S9")).containsEntry("service_line", "");
  }

  @Test
  void lapsedCareTakesTheMostOverdueLine() {
    // C1: 2026-03-01 -> c is 214 days, > 180 and <= 360: due
    assertThat(members.get("C1"))
        .containsEntry("segment", "lapsed_care")
        .containsEntry("tier", "due")
        .containsEntry("service_line", "primary_care")
        .containsEntry("offer_code", "follow_up_visit");
    // C2: imaging 61 - 30 = 31 days overdue beats primary_care 195 - 180 = 15
    assertThat(members.get("C2"))
        .containsEntry("service_line", "imaging")
        .containsEntry("location_id", "east");
  }

  @Test
  void exclusionsAreRecordedUnderTheFirstRule() {
    assertThat(exclusions)
        .isEqualTo(
            Map.of(
                "stalled_lead/suppressed", "2", // X1 (also open), X3
                "stalled_lead/open_appointment", "1", // X5
                "stalled_lead/no_permitted_channel", "3", // X6 none, X7 tie, X8 unsubscribed
                "stalled_lead/frequency_cap", "1", // X9
                "stalled_lead/cooldown", "1", // X10
                "stalled_lead/max_cycles", "1", // X11
                "stalled_lead/clinical_route", "1", // X12
                "stalled_lead/referral_partner_track", "1")); // X13
  }

  @Test
  void consentTieOptOutWins() {
    List<String> noChannel =
        members.keySet().stream()
            .filter(p -> p.equals("X7") || p.equals("X8"))
            .collect(Collectors.toList());
    assertThat(noChannel).isEmpty();
  }
}
