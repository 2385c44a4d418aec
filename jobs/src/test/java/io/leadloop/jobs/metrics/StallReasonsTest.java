package io.leadloop.jobs.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadloop.common.SparkTestBase;
import io.leadloop.common.config.ConfigLoader;
import io.leadloop.common.config.LeadloopConfig;
import io.leadloop.common.schema.Entity;
import io.leadloop.jobs.Fixture;
import io.leadloop.jobs.Rows;
import io.leadloop.jobs.facts.Facts;
import io.leadloop.jobs.facts.LeadFacts;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * stall_reasons (metrics.md): "recycle events in the week of their occurred_at, by the source of
 * the lead (as it exists at c; events of leads that do not exist at c are left out) and the event's
 * reason", with weeks "ISO weeks (Monday to Sunday) in the pipeline timezone".
 */
class StallReasonsTest extends SparkTestBase {
  /**
   * Pipeline timezone America/New_York, as of 2026-03-31: c = 2026-04-01 00:00 EDT =
   * 2026-04-01T04:00Z. DST began on Sunday 2026-03-08, so from then on local = UTC - 4 h.
   */
  @Test
  void grainReasonsAndLocalWeeks() {
    LeadloopConfig ny = ConfigLoader.fromYaml("timezone: America/New_York", "t");
    Fixture fx =
        new Fixture()
            // "Paid Search" is normalized to paid_search
            .lead("lead_id=L1; person_id=P1; created_at=2026-03-01T12:00Z; source=Paid Search")
            // L2's source as it exists at c is directory (the version of 03-10); the version
            // updated after c (social) is not in force yet
            .lead("lead_id=L2; person_id=P2; created_at=2026-03-01T12:00Z; source=referral")
            .lead(
                "lead_id=L2; person_id=P2; created_at=2026-03-01T12:00Z; source=directory;"
                    + " updated_at=2026-03-10T00:00Z")
            .lead(
                "lead_id=L2; person_id=P2; created_at=2026-03-01T12:00Z; source=social;"
                    + " updated_at=2026-04-05T00:00Z")
            // L3 is created after c: it does not exist, its recycle is left out
            .lead("lead_id=L3; person_id=P3; created_at=2026-04-02T00:00Z")
            // 2026-03-09T03:59Z is Sunday 03-08 23:59 EDT: local week 2026-03-02 (its UTC date is
            // Monday 03-09, UTC week 2026-03-09)
            .event(
                "event_id=E1; lead_id=L1; occurred_at=2026-03-09T03:59Z; stage=recycled;"
                    + " reason=No Time Slot")
            // Monday 03-09 00:00 EDT: week 2026-03-09. Codes are trimmed, lower-cased and every run
            // of
            // white space and/or hyphens becomes one _: "no-time  slot", "NO<tab>Time - slot" ->
            // no_time_slot
            .event(
                "event_id=E2; lead_id=L1; occurred_at=2026-03-09T04:00Z; stage=recycled;"
                    + " reason=no-time  slot")
            .event(
                "event_id=E3; lead_id=L1; occurred_at=2026-03-10T12:00Z; stage=recycled;"
                    + " reason=NO\tTime - slot")
            // a recycle without a reason counts as unspecified
            .event("event_id=E4; lead_id=L1; occurred_at=2026-03-11T12:00Z; stage=recycled")
            // not a recycle
            .event(
                "event_id=E5; lead_id=L1; occurred_at=2026-03-12T12:00Z; stage=contacted;"
                    + " reason=no_time_slot")
            // counted under directory, the source at c, though L2 was a referral lead then
            .event(
                "event_id=E6; lead_id=L2; occurred_at=2026-03-03T12:00Z; stage=recycled;"
                    + " reason=Pricing - Unclear")
            // Tuesday 03-31 23:59 EDT, one minute before c (its UTC date is 04-01): counted
            .event(
                "event_id=E7; lead_id=L2; occurred_at=2026-04-01T03:59Z; stage=recycled;"
                    + " reason=insurance")
            // at c itself: ignored
            .event(
                "event_id=E8; lead_id=L2; occurred_at=2026-04-01T04:00Z; stage=recycled;"
                    + " reason=insurance")
            .event(
                "event_id=E9; lead_id=L3; occurred_at=2026-03-20T12:00Z; stage=recycled;"
                    + " reason=insurance");
    Facts f = fx.facts(spark(), ny, "2026-03-31");
    // as MetricsStep computes the mart
    var mart =
        StallReasons.compute(
                LeadFacts.recycles(f.get(Entity.LEAD_EVENTS), f.get(Entity.LEADS)),
                f.get(Entity.LEADS))
            .orderBy("week", "source", "reason");
    assertThat(mart.columns()).containsExactly("week", "source", "reason", "recycle_events");
    assertThat(Rows.of(mart))
        .containsExactly(
            row("2026-03-02", "directory", "pricing_unclear", "1"), // E6
            row("2026-03-02", "paid_search", "no_time_slot", "1"), // E1
            row("2026-03-09", "paid_search", "no_time_slot", "2"), // E2, E3
            row("2026-03-09", "paid_search", "unspecified", "1"), // E4
            row("2026-03-30", "directory", "insurance", "1")); // E7
  }

  private static Map<String, String> row(String week, String source, String reason, String n) {
    return Map.of("week", week, "source", source, "reason", reason, "recycle_events", n);
  }
}
