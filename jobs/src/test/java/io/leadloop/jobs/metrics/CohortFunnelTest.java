package io.leadloop.jobs.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadloop.common.SparkTestBase;
import io.leadloop.common.config.ConfigLoader;
import io.leadloop.common.config.LeadloopConfig;
import io.leadloop.common.schema.Entity;
import io.leadloop.jobs.Fixture;
import io.leadloop.jobs.Rows;
import io.leadloop.jobs.attribution.Attribution;
import io.leadloop.jobs.facts.Facts;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** cohort_funnel and its building blocks, on hand-built fixtures (arithmetic in comments). */
class CohortFunnelTest extends SparkTestBase {
  private static final LeadloopConfig UTC = ConfigLoader.defaults();

  private static Map<String, String> funnelRow(Facts f, String asOf, String week) {
    return Rows.one(
        CohortFunnel.compute(f.leads(), f.appointments(), Fixture.cutoff(UTC, asOf), 90),
        "cohort_week",
        week);
  }

  /** metrics.md's worked example, number for number. */
  @Test
  void workedExampleOfTheSpec() {
    Fixture fx =
        new Fixture()
            .lead("lead_id=L1; person_id=P1; created_at=2026-03-02T10:00Z")
            .lead("lead_id=L2; person_id=P2; created_at=2026-03-03T00:00Z")
            .lead("lead_id=L3; person_id=P3; created_at=2026-03-04T00:00Z")
            .event(
                "event_id=E1; lead_id=L1; occurred_at=2026-03-10T00:00Z; stage=recycled; reason=No Time Slot")
            .appt(
                "appointment_id=A1; person_id=P1; lead_id=L1; booked_at=2026-03-20T00:00Z; scheduled_start=2026-03-25T00:00Z; status=booked")
            .appt(
                "appointment_id=A1; person_id=P1; lead_id=L1; booked_at=2026-03-20T00:00Z; scheduled_start=2026-03-25T00:00Z; status=fulfilled; updated_at=2026-03-25T12:00Z")
            .appt(
                "appointment_id=A2; person_id=P2; booked_at=2026-03-04T00:00Z; scheduled_start=2026-03-06T00:00Z; status=noshow");
    Facts f = fx.facts(spark(), UTC, "2026-06-30");
    assertThat(funnelRow(f, "2026-06-30", "2026-03-02"))
        .containsEntry("source", "paid_search")
        .containsEntry("service_line", "imaging")
        .containsEntry("leads", "3")
        .containsEntry("recycled_leads", "1")
        .containsEntry("recycle_rate", "0.3333")
        .containsEntry("booked_first_cycle", "1")
        .containsEntry("first_cycle_booking_rate", "0.3333")
        .containsEntry("booked_from_recycled", "1")
        .containsEntry("booked_from_recycled_rate", "1.0000")
        .containsEntry("resolved_new", "1")
        .containsEntry("kept_new", "0")
        .containsEntry("kept_rate_new", "0.0000")
        .containsEntry("resolved_recycled", "1")
        .containsEntry("kept_recycled", "1")
        .containsEntry("kept_rate_recycled", "1.0000")
        .containsEntry("appointments_unresolved", "0")
        // 2026-03-02 + 7 + 90 days = 2026-06-07 <= cutoff 2026-07-01
        .containsEntry("matured", "true");
    // attribution: no touches, so each conversion goes to `none` under every model
    List<Map<String, String>> attr =
        Rows.of(
            Attribution.byChannel(
                Attribution.credits(
                    f.appointments(), f.get(Entity.TOUCHES), 30, UTC.timeDecayHalfLifeDays())));
    assertThat(attr).hasSize(10);
    assertThat(attr)
        .allSatisfy(
            r ->
                assertThat(r)
                    .containsEntry("channel", "none")
                    .containsEntry("bookings_credited", "1.0000"));
    assertThat(attr.stream().map(r -> r.get("booking_week")).distinct().sorted())
        .containsExactly("2026-03-02", "2026-03-16");
    Map<String, String> speed =
        Rows.one(
            SpeedToLead.compute(f.leads(), Fixture.cutoff(UTC, "2026-06-30"), UTC.slaMinutes()),
            "cohort_week",
            "2026-03-02");
    assertThat(speed)
        .containsEntry("leads", "3")
        .containsEntry("touched", "0")
        .containsEntry("median_minutes", "")
        .containsEntry("p90_minutes", "")
        .containsEntry("sla_due", "3")
        .containsEntry("within_sla", "0")
        .containsEntry("sla_rate", "0.0000");
  }

  @Test
  void linkRules() {
    Fixture fx =
        new Fixture()
            // P1: two leads created at the same instant; the fallback takes the greatest lead_id
            // by code points: "L9" > "L10"
            .lead("lead_id=L10; person_id=P1; created_at=2026-01-05T00:00Z")
            .lead("lead_id=L9; person_id=P1; created_at=2026-01-05T00:00Z")
            // A1 names L10 directly: the direct link wins over the fallback
            .appt(
                "appointment_id=A1; person_id=P1; lead_id=L10; booked_at=2026-01-06T00:00Z; scheduled_start=2026-01-07T00:00Z")
            // A2 names an unknown lead: person fallback -> L9
            .appt(
                "appointment_id=A2; person_id=P1; lead_id=LX; booked_at=2026-01-06T00:00Z; scheduled_start=2026-01-07T00:00Z")
            // P2: lead created 2026-01-05; booked exactly 180 days later (2026-07-04) links,
            // 180 days + 1 s does not
            .lead("lead_id=L20; person_id=P2; created_at=2026-01-05T00:00Z")
            .appt(
                "appointment_id=A3; person_id=P2; booked_at=2026-07-04T00:00:00Z; scheduled_start=2026-07-05T00:00Z")
            .appt(
                "appointment_id=A4; person_id=P2; booked_at=2026-07-04T00:00:01Z; scheduled_start=2026-07-05T00:00Z")
            // P3: the lead is created after the booking: no link
            .lead("lead_id=L30; person_id=P3; created_at=2026-02-01T00:00Z")
            .appt(
                "appointment_id=A5; person_id=P3; booked_at=2026-01-31T00:00Z; scheduled_start=2026-02-05T00:00Z")
            // P4: a named lead that does not exist yet at c (created after the cutoff) falls back
            .lead("lead_id=L40; person_id=P4; created_at=2026-01-10T00:00Z")
            .lead("lead_id=L41; person_id=P4; created_at=2026-09-10T00:00Z")
            .appt(
                "appointment_id=A6; person_id=P4; lead_id=L41; booked_at=2026-01-11T00:00Z; scheduled_start=2026-01-12T00:00Z");
    Facts f = fx.facts(spark(), UTC, "2026-08-31");
    var a = f.appointments();
    assertThat(Rows.one(a, "appointment_id", "A1")).containsEntry("linked_lead_id", "L10");
    assertThat(Rows.one(a, "appointment_id", "A2")).containsEntry("linked_lead_id", "L9");
    assertThat(Rows.one(a, "appointment_id", "A3")).containsEntry("linked_lead_id", "L20");
    assertThat(Rows.one(a, "appointment_id", "A4")).containsEntry("linked_lead_id", "");
    assertThat(Rows.one(a, "appointment_id", "A5")).containsEntry("linked_lead_id", "");
    assertThat(Rows.one(a, "appointment_id", "A6")).containsEntry("linked_lead_id", "L40");
  }

  @Test
  void bookingWindowAndRecycleInstant() {
    Fixture fx =
        new Fixture()
            // L1 created 2026-01-05; booking exactly W = 90 days later (2026-04-05): first cycle
            .lead("lead_id=L1; person_id=P1; created_at=2026-01-05T00:00Z; service_line=a")
            .appt(
                "appointment_id=A1; person_id=P1; lead_id=L1; booked_at=2026-04-05T00:00:00Z; scheduled_start=2026-04-06T00:00Z")
            // L2: W + 1 s is too late
            .lead("lead_id=L2; person_id=P2; created_at=2026-01-05T00:00Z; service_line=b")
            .appt(
                "appointment_id=A2; person_id=P2; lead_id=L2; booked_at=2026-04-05T00:00:01Z; scheduled_start=2026-04-06T00:00Z")
            // L3 recycled at 2026-01-10 12:00; a booking at that very instant is after the recycle
            .lead("lead_id=L3; person_id=P3; created_at=2026-01-05T00:00Z; service_line=c")
            .event("event_id=E3; lead_id=L3; occurred_at=2026-01-10T12:00Z; stage=recycled")
            .appt(
                "appointment_id=A3; person_id=P3; lead_id=L3; booked_at=2026-01-10T12:00Z; scheduled_start=2026-01-12T00:00Z; status=fulfilled")
            // L4 recycled twice (01-10, 02-01): a booking 90 days after the latest recycle at or
            // before it (2026-02-01 + 90 d = 2026-05-02) counts; 1 s more does not (L5)
            .lead("lead_id=L4; person_id=P4; created_at=2026-01-05T00:00Z; service_line=d")
            .event("event_id=E41; lead_id=L4; occurred_at=2026-01-10T00:00Z; stage=recycled")
            .event("event_id=E42; lead_id=L4; occurred_at=2026-02-01T00:00Z; stage=recycled")
            .appt(
                "appointment_id=A4; person_id=P4; lead_id=L4; booked_at=2026-05-02T00:00:00Z; scheduled_start=2026-05-03T00:00Z")
            .lead("lead_id=L5; person_id=P5; created_at=2026-01-05T00:00Z; service_line=e")
            .event("event_id=E5; lead_id=L5; occurred_at=2026-02-01T00:00Z; stage=recycled")
            .appt(
                "appointment_id=A5; person_id=P5; lead_id=L5; booked_at=2026-05-02T00:00:01Z; scheduled_start=2026-05-03T00:00Z");
    Facts f = fx.facts(spark(), UTC, "2026-08-31");
    var leads = f.leads();
    assertThat(Rows.one(leads, "lead_id", "L1")).containsEntry("is_booked_first_cycle", "true");
    assertThat(Rows.one(leads, "lead_id", "L2")).containsEntry("is_booked_first_cycle", "false");
    assertThat(Rows.one(leads, "lead_id", "L3"))
        .containsEntry("is_booked_first_cycle", "false")
        .containsEntry("is_booked_from_recycled", "true");
    assertThat(Rows.one(leads, "lead_id", "L4"))
        .containsEntry("cycles", "2")
        .containsEntry("is_booked_from_recycled", "true");
    assertThat(Rows.one(leads, "lead_id", "L5")).containsEntry("is_booked_from_recycled", "false");
    // A3 (fulfilled, after the recycle) is a resolved, kept, recycled booking of cohort 2026-01-05
    // / c
    Map<String, String> c =
        Rows.of(
                CohortFunnel.compute(
                    leads, f.appointments(), Fixture.cutoff(UTC, "2026-08-31"), 90))
            .stream()
            .filter(r -> r.get("service_line").equals("c"))
            .findFirst()
            .orElseThrow();
    assertThat(c)
        .containsEntry("resolved_recycled", "1")
        .containsEntry("kept_recycled", "1")
        .containsEntry("resolved_new", "0");
  }

  @Test
  void statusesAndUnresolved() {
    Fixture fx =
        new Fixture()
            .lead("lead_id=L1; person_id=P1; created_at=2026-03-02T00:00Z")
            // not qualifying: entered-in-error, waitlist, pending
            .appt(
                "appointment_id=A1; person_id=P1; lead_id=L1; booked_at=2026-03-03T00:00Z; scheduled_start=2026-03-04T00:00Z; status=entered-in-error")
            .appt(
                "appointment_id=A2; person_id=P1; lead_id=L1; booked_at=2026-03-03T00:00Z; status=waitlist")
            .appt(
                "appointment_id=A3; person_id=P1; lead_id=L1; booked_at=2026-03-03T00:00Z; scheduled_start=2026-03-04T00:00Z; status=pending")
            // booked, start passed: unresolved; booked, start ahead of c: neither
            .appt(
                "appointment_id=A4; person_id=P1; lead_id=L1; booked_at=2026-03-03T00:00Z; scheduled_start=2026-03-10T00:00Z")
            .appt(
                "appointment_id=A5; person_id=P1; lead_id=L1; booked_at=2026-03-03T00:00Z; scheduled_start=2026-04-10T00:00Z")
            // cancelled with a start before c: resolved, not kept; checked-in: kept
            .appt(
                "appointment_id=A6; person_id=P1; lead_id=L1; booked_at=2026-03-03T00:00Z; scheduled_start=2026-03-05T00:00Z; status=cancelled")
            .appt(
                "appointment_id=A7; person_id=P1; lead_id=L1; booked_at=2026-03-03T00:00Z; scheduled_start=2026-03-05T00:00Z; status=checked-in");
    Facts f = fx.facts(spark(), UTC, "2026-03-31");
    Map<String, String> r = funnelRow(f, "2026-03-31", "2026-03-02");
    assertThat(r)
        .containsEntry("booked_first_cycle", "1")
        .containsEntry("resolved_new", "2")
        .containsEntry("kept_new", "1")
        .containsEntry("kept_rate_new", "0.5000")
        .containsEntry("appointments_unresolved", "1")
        // 2026-03-02 + 97 days = 2026-06-07 > cutoff 2026-04-01
        .containsEntry("matured", "false");
    assertThat(Rows.one(f.appointments(), "appointment_id", "A1"))
        .containsEntry("is_qualifying", "false");
    assertThat(Rows.one(f.appointments(), "appointment_id", "A2"))
        .containsEntry("is_qualifying", "false");
    assertThat(Rows.one(f.appointments(), "appointment_id", "A3"))
        .containsEntry("is_qualifying", "false");
  }

  @Test
  void maturedEdgeAndChicagoWeeks() {
    LeadloopConfig chicago = ConfigLoader.fromYaml("timezone: America/Chicago", "t");
    // Sunday 2026-03-01 23:30 in Chicago (CST, -06:00) is Monday 05:30 UTC: cohort week 2026-02-23
    Fixture fx = new Fixture().lead("lead_id=L1; person_id=P1; created_at=2026-03-02T05:30:00Z");
    Facts f = fx.facts(spark(), chicago, "2026-05-31");
    assertThat(Rows.one(f.leads(), "lead_id", "L1"))
        .containsEntry("cohort_week", "2026-02-23")
        .containsEntry("cohort_month", "2026-03");
    // matured: 2026-02-23 midnight Chicago = 06:00Z (CST); + 97 × 86,400 s = 2026-05-31T06:00Z,
    // which is 01:00 CDT (days are exact seconds, so DST shifts the edge by an hour). As of
    // 2026-05-30 the cutoff is 2026-05-31 00:00 CDT = 05:00Z < 06:00Z: not matured; as of
    // 2026-05-31 the cutoff is 2026-06-01T05:00Z: matured.
    assertThat(funnelRowIn(f, chicago, "2026-05-31")).containsEntry("matured", "true");
    assertThat(funnelRowIn(f, chicago, "2026-05-30")).containsEntry("matured", "false");
  }

  @Test
  void aPastAsOfIsReproducedAfterLaterDataArrives() {
    String early =
        "lead_id=L1; person_id=P1; created_at=2026-03-02T10:00Z|"
            + "lead_id=L2; person_id=P2; created_at=2026-03-03T10:00Z";
    Fixture before = new Fixture();
    Fixture after = new Fixture();
    for (Fixture fx : List.of(before, after)) {
      for (String l : early.split("\\|")) {
        fx.lead(l);
      }
      fx.appt(
          "appointment_id=A1; person_id=P1; lead_id=L1; booked_at=2026-03-05T00:00Z; scheduled_start=2026-03-20T00:00Z");
    }
    // arriving later: a new version of L2 (updated after the cutoff), a recycle after the cutoff,
    // A1's outcome (updated after the cutoff), and a lead created after the cutoff
    after
        .lead(
            "lead_id=L2; person_id=P2; created_at=2026-03-03T10:00Z; updated_at=2026-04-02T00:00Z; source=referral")
        .event("event_id=E9; lead_id=L1; occurred_at=2026-04-01T00:00Z; stage=recycled")
        .appt(
            "appointment_id=A1; person_id=P1; lead_id=L1; booked_at=2026-03-05T00:00Z; scheduled_start=2026-03-20T00:00Z; status=noshow; updated_at=2026-04-03T00:00Z")
        .lead("lead_id=L3; person_id=P3; created_at=2026-04-01T00:00Z");
    var c = Fixture.cutoff(UTC, "2026-03-31");
    Facts a = before.facts(spark(), UTC, "2026-03-31");
    Facts b = after.facts(spark(), UTC, "2026-03-31");
    var rowsA =
        Rows.of(
            CohortFunnel.compute(a.leads(), a.appointments(), c, 90)
                .orderBy("cohort_week", "source"));
    var rowsB =
        Rows.of(
            CohortFunnel.compute(b.leads(), b.appointments(), c, 90)
                .orderBy("cohort_week", "source"));
    assertThat(rowsB).isEqualTo(rowsA);
    // as of 2026-03-31: both leads paid_search, A1 booked with its start passed: unresolved
    assertThat(rowsA).hasSize(1);
    assertThat(rowsA.get(0))
        .containsEntry("leads", "2")
        .containsEntry("appointments_unresolved", "1");
  }

  private static Map<String, String> funnelRowIn(Facts f, LeadloopConfig c, String asOf) {
    return Rows.one(
        CohortFunnel.compute(f.leads(), f.appointments(), Fixture.cutoff(c, asOf), 90),
        "cohort_week",
        "2026-02-23");
  }
}
