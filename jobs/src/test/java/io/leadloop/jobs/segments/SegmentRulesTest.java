package io.leadloop.jobs.segments;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadloop.common.SparkTestBase;
import io.leadloop.common.config.ConfigLoader;
import io.leadloop.common.config.LeadloopConfig;
import io.leadloop.common.metrics.Cutoff;
import io.leadloop.jobs.Fixture;
import io.leadloop.jobs.Rows;
import io.leadloop.jobs.facts.Facts;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * segments.md rules that {@link SegmentsTest} leaves out: segment precedence, the 30-day contact
 * cap, the offer codes by recycle reason, and the tie-breaks of missed_appointment and lapsed_care.
 * As of 2026-09-30 (c = 2026-10-01T00:00Z, UTC). Marketing is allowed unless opted out, so stalled
 * leads need no consent record; care candidates get an email opt-in unless the test is about it.
 */
class SegmentRulesTest extends SparkTestBase {
  private static final LeadloopConfig CONFIG =
      ConfigLoader.fromYaml(
          """
          consent_default: {marketing: allow_unless_opt_out}
          follow_up_days: {imaging: 30, orthopedics: 40}
          """,
          "t");
  private static final String AS_OF = "2026-09-30";
  private static List<Map<String, String>> evaluated;
  private static Map<String, Map<String, String>> members;
  private static Map<String, String> exclusions;
  private static List<String> missedCandidates;
  private static List<String> stalledCandidates;

  private static Fixture emailOptIn(Fixture fx, String p) {
    return fx.consent(
        "person_id=" + p + "; channel=email; status=opt_in; recorded_at=2026-01-01T00:00Z");
  }

  /** A stalled lead created 2026-09-01 (within [c - 180 d, c - 2 d]) and nothing else. */
  private static Fixture stalled(Fixture fx, String p) {
    return fx.lead("lead_id=L" + p + "; person_id=" + p + "; created_at=2026-09-01T00:00Z");
  }

  private static Fixture recycle(Fixture fx, String p, String id, String at, String reason) {
    return fx.event(
        "event_id="
            + id
            + "; lead_id=L"
            + p
            + "; occurred_at="
            + at
            + "; stage=recycled; reason="
            + reason);
  }

  /** Seven contacts, 2026-09-02 .. 09-08: outside [c - 7 d, c) and the 3-day cooldown. */
  private static Fixture sevenContacts(Fixture fx, String p) {
    String[] channels = {"email", "sms", "phone", "mail"};
    for (int i = 0; i < 7; i++) {
      fx.touch(
          "touch_id=T"
              + p
              + "-"
              + i
              + "; person_id="
              + p
              + "; occurred_at=2026-09-0"
              + (i + 2)
              + "T10:00Z; channel="
              + channels[i % 4]);
    }
    return fx;
  }

  @BeforeAll
  static void evaluate() {
    Fixture fx = new Fixture();
    // Precedence. B1 is both: a no-show on 2026-08-20 (42 days before c: missed, lapsed) and a
    // newest lead created 2026-09-01 after that booking (not linked to it, no booking since:
    // stalled). B2 is the same without consent: care_coordination needs an opt-in, so as a missed
    // candidate B2 has no permitted channel, though as a stalled lead (marketing) it would have
    // all four.
    for (String p : List.of("B1", "B2")) {
      stalled(fx, p)
          .appt(
              "appointment_id=A"
                  + p
                  + "; person_id="
                  + p
                  + "; booked_at=2026-08-01T00:00Z; scheduled_start=2026-08-20T00:00Z;"
                  + " status=noshow");
    }
    emailOptIn(fx, "B1");
    // cap_30d (default 8) counts contacts in [c - 30 days, c) = [2026-09-01T00:00Z, c).
    // F1: 7 + one at exactly 2026-09-01T00:00Z = 8 -> frequency_cap.
    sevenContacts(stalled(fx, "F1"), "F1")
        .touch("touch_id=TF1-edge; person_id=F1; occurred_at=2026-09-01T00:00Z; channel=sms");
    // F2: 7 + one a second before the window = 7 -> kept.
    sevenContacts(stalled(fx, "F2"), "F2")
        .touch("touch_id=TF2-edge; person_id=F2; occurred_at=2026-08-31T23:59:59Z; channel=sms");
    // F3: 7 + touches that are not contacts ("an outbound touch on email, sms, phone or mail whose
    // outcome is not bounced or failed") = 7 -> kept.
    sevenContacts(stalled(fx, "F3"), "F3")
        .touch(
            "touch_id=TF3-b; person_id=F3; occurred_at=2026-09-10T00:00Z; channel=email;"
                + " outcome=bounced")
        .touch(
            "touch_id=TF3-f; person_id=F3; occurred_at=2026-09-10T00:00Z; channel=sms;"
                + " outcome=failed")
        .touch(
            "touch_id=TF3-i; person_id=F3; occurred_at=2026-09-10T00:00Z; channel=phone;"
                + " direction=inbound")
        .touch("touch_id=TF3-r; person_id=F3; occurred_at=2026-09-10T00:00Z; channel=retargeting")
        .touch("touch_id=TF3-p; person_id=F3; occurred_at=2026-09-10T00:00Z; channel=portal")
        .touch("touch_id=TF3-c; person_id=F3; occurred_at=2026-09-10T00:00Z; channel=chat");
    // Offer codes by the reason of the latest recycle (reasons are normalized codes).
    recycle(stalled(fx, "O1"), "O1", "EO1", "2026-09-05T00:00Z", "Pricing Unclear");
    recycle(stalled(fx, "O2"), "O2", "EO2", "2026-09-05T00:00Z", "Insurance");
    recycle(stalled(fx, "O3"), "O3", "EO3", "2026-09-05T00:00Z", "needs-referral");
    recycle(stalled(fx, "O4"), "O4", "EO4", "2026-09-05T00:00Z", "no_response");
    recycle(stalled(fx, "O5"), "O5", "EO5", "2026-09-05T00:00Z", "UNREACHABLE");
    // O6: two recycles at the same instant; "ties: greatest event_id" by code points: "EO6-9" >
    // "EO6-10", so pricing_unclear decides
    recycle(stalled(fx, "O6"), "O6", "EO6-10", "2026-09-05T00:00Z", "insurance");
    recycle(fx, "O6", "EO6-9", "2026-09-05T00:00Z", "pricing_unclear");
    // O7: the latest by occurred_at decides (needs_referral on 09-10), whatever the event ids
    recycle(stalled(fx, "O7"), "O7", "EO7-2", "2026-09-03T00:00Z", "insurance");
    recycle(fx, "O7", "EO7-1", "2026-09-10T00:00Z", "needs_referral");
    // T1: two misses at the same instant 2026-09-20T00:00Z, a no-show (at its start) and a
    // cancellation (at its updated_at); "ties: greatest appointment_id": "AT1-9" > "AT1-10"
    emailOptIn(fx, "T1")
        .appt(
            "appointment_id=AT1-10; person_id=T1; booked_at=2026-09-01T00:00Z;"
                + " scheduled_start=2026-09-20T00:00Z; status=noshow; service_line=orthopedics;"
                + " location_id=west")
        .appt(
            "appointment_id=AT1-9; person_id=T1; booked_at=2026-09-01T00:00Z; status=cancelled;"
                + " updated_at=2026-09-20T00:00Z; service_line=primary_care; location_id=east");
    // T2: imaging kept 2026-08-01 (61 days before c, 61 - 30 = 31 overdue) and orthopedics kept
    // 2026-07-22 (71 days, 71 - 40 = 31 overdue): a tie, "smallest S" is imaging. Its latest kept
    // appointments tie at the same start: "greatest appointment_id" is "AT2-9" (south).
    emailOptIn(fx, "T2")
        .appt(
            "appointment_id=AT2-10; person_id=T2; booked_at=2026-07-01T00:00Z;"
                + " scheduled_start=2026-08-01T00:00Z; status=fulfilled; location_id=north")
        .appt(
            "appointment_id=AT2-9; person_id=T2; booked_at=2026-07-01T00:00Z;"
                + " scheduled_start=2026-08-01T00:00Z; status=fulfilled; location_id=south")
        .appt(
            "appointment_id=AT2-o; person_id=T2; booked_at=2026-07-01T00:00Z;"
                + " scheduled_start=2026-07-22T00:00Z; status=fulfilled; service_line=orthopedics;"
                + " location_id=west");
    Facts f = fx.facts(spark(), CONFIG, AS_OF);
    Cutoff c = Fixture.cutoff(CONFIG, AS_OF);
    missedCandidates = ids(Candidates.missed(f.appointments(), c));
    stalledCandidates = ids(Candidates.stalled(f.leads(), f.appointments(), c));
    Dataset<Row> ev = Segments.evaluate(f, c, CONFIG).cache();
    evaluated = Rows.of(ev);
    members = new TreeMap<>();
    Rows.of(Segments.members(ev, AS_OF, "run-1")).forEach(m -> members.put(m.get("person_id"), m));
    exclusions = new TreeMap<>();
    Rows.of(Segments.exclusions(ev))
        .forEach(r -> exclusions.put(r.get("segment") + "/" + r.get("rule"), r.get("persons")));
    ev.unpersist();
  }

  private static List<String> ids(Dataset<Row> candidates) {
    return Rows.of(candidates.select("person_id")).stream().map(r -> r.get("person_id")).toList();
  }

  private static List<Map<String, String>> evaluatedOf(String person) {
    return evaluated.stream().filter(r -> r.get("person_id").equals(person)).toList();
  }

  @Test
  void everyPersonIsAccountedFor() {
    assertThat(members.keySet())
        .containsExactlyInAnyOrder(
            "B1", "F2", "F3", "O1", "O2", "O3", "O4", "O5", "O6", "O7", "T1", "T2");
    assertThat(exclusions)
        .isEqualTo(
            Map.of(
                "missed_appointment/no_permitted_channel", "1", // B2
                "stalled_lead/frequency_cap", "1")); // F1
  }

  /** "A person is a candidate of at most one segment; where several apply, the first ... wins." */
  @Test
  void missedAppointmentWinsOverStalledLead() {
    // both rules apply to B1 on their own
    assertThat(missedCandidates).contains("B1", "B2");
    assertThat(stalledCandidates).contains("B1", "B2");
    assertThat(evaluatedOf("B1")).hasSize(1);
    assertThat(members.get("B1"))
        .containsEntry("segment", "missed_appointment")
        .containsEntry("tier", "lapsed") // 2026-08-20 is 42 days before c: more than 14
        .containsEntry("purpose", "care_coordination")
        .containsEntry("permitted_channels", "email")
        .containsEntry("offer_code", "reschedule_help");
  }

  /**
   * "The segment is fixed before the exclusions: a person excluded from it is not considered..."
   */
  @Test
  void anExcludedMissedCandidateIsNotReconsideredAsStalled() {
    assertThat(members).doesNotContainKey("B2");
    assertThat(evaluatedOf("B2"))
        .singleElement()
        .satisfies(
            r ->
                assertThat(r)
                    .containsEntry("segment", "missed_appointment")
                    .containsEntry("excluded_by", "no_permitted_channel"));
  }

  /** "frequency_cap — ... or cap_30d (default 8) in [c - 30 days, c)". */
  @Test
  void thirtyDayCap() {
    assertThat(evaluatedOf("F1"))
        .singleElement()
        .satisfies(
            r ->
                assertThat(r)
                    .containsEntry("segment", "stalled_lead")
                    .containsEntry("excluded_by", "frequency_cap"));
    assertThat(members.get("F2")).containsEntry("segment", "stalled_lead");
    assertThat(members.get("F3"))
        .containsEntry("segment", "stalled_lead")
        .containsEntry("permitted_channels", "phone|email|sms|mail");
  }

  /**
   * "pricing_unclear → cost_estimate, insurance → coverage_check, needs_referral → referral_help,
   * no_response / unreachable → callback_window" (latest = greatest occurred_at, ties: greatest
   * event_id).
   */
  @Test
  void offerCodesByTheLatestRecycleReason() {
    Map<String, String> expected =
        Map.of(
            "O1", "cost_estimate",
            "O2", "coverage_check",
            "O3", "referral_help",
            "O4", "callback_window",
            "O5", "callback_window",
            "O6", "cost_estimate",
            "O7", "referral_help");
    expected.forEach(
        (p, code) ->
            assertThat(members.get(p))
                .as(p)
                .containsEntry("segment", "stalled_lead")
                .containsEntry("tier", "recycled")
                .containsEntry("offer_code", code));
  }

  /** The latest miss: "greatest miss time, ties: greatest appointment_id". */
  @Test
  void missedAppointmentTie() {
    assertThat(members.get("T1"))
        .containsEntry("segment", "missed_appointment")
        .containsEntry("tier", "recent") // 11 days before c
        .containsEntry("service_line", "primary_care")
        .containsEntry("location_id", "east");
  }

  /** "the one most overdue ... ties: smallest S"; within S "ties: greatest appointment_id". */
  @Test
  void lapsedCareTie() {
    assertThat(members.get("T2"))
        .containsEntry("segment", "lapsed_care")
        .containsEntry("tier", "due")
        .containsEntry("service_line", "imaging")
        .containsEntry("location_id", "south")
        .containsEntry("offer_code", "follow_up_visit");
  }
}
