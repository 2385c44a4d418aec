package io.leadloop.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leadloop.common.LeadloopException;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {
  @Test
  void defaultsFollowTheSpec() {
    LeadloopConfig c = ConfigLoader.defaults();
    assertThat(c.timezone()).isEqualTo(ZoneId.of("UTC"));
    assertThat(c.sourceTimezone()).isEqualTo(ZoneId.of("UTC"));
    assertThat(c.bookingWindowDays()).isEqualTo(90);
    assertThat(c.linkHorizonDays()).isEqualTo(180);
    assertThat(c.attributionLookbackDays()).isEqualTo(30);
    assertThat(c.timeDecayHalfLifeDays()).isEqualByComparingTo("7");
    assertThat(c.minStratumN()).isEqualTo(20);
    assertThat(c.slaMinutes())
        .containsEntry("phone", 15)
        .containsEntry("event_signup", 1440)
        .hasSize(7);
    assertThat(c.consentDefault())
        .containsEntry("marketing", "opt_in_required")
        .containsEntry("care_coordination", "opt_in_required");
    assertThat(c.smallCellThreshold()).isEqualTo(11);
    assertThat(c.destinations()).isEmpty();
    assertThat(c.sensitiveServiceLines()).containsExactly("behavioral_health", "substance_use");
  }

  @Test
  void mapsMergeOverDefaultsAndCodeKeysAreNormalized() {
    LeadloopConfig c =
        ConfigLoader.fromYaml(
            """
            timezone: America/Chicago
            sla_minutes: {web_form: 30}
            follow_up_days: {"Primary Care": 365}
            offer_codes: {"No Time Slot": "Book Now"}
            consent_default: {care_coordination: allow_unless_opt_out}
            """,
            "t.yaml");
    assertThat(c.sourceTimezone()).isEqualTo(ZoneId.of("America/Chicago"));
    assertThat(c.slaMinutes()).containsEntry("web_form", 30).containsEntry("phone", 15);
    assertThat(c.followUpDays()).containsExactly(java.util.Map.entry("primary_care", 365));
    assertThat(c.offerCodes())
        .containsEntry("no_time_slot", "book_now")
        .containsEntry("insurance", "coverage_check");
    assertThat(c.consentDefault())
        .containsEntry("care_coordination", "allow_unless_opt_out")
        .containsEntry("marketing", "opt_in_required");
  }

  @Test
  void destinationsAreValidatedAtLoad() {
    LeadloopConfig c =
        ConfigLoader.fromYaml(
            "destinations:\n  - name: sms_vendor\n    segments: [missed_appointment]\n    channels: [sms]\n    fields: [person_id, offer_code]\n",
            "t.yaml");
    Destination d = c.destinations().get(0);
    assertThat(d.fields()).containsExactly("person_id", "offer_code");
    assertThat(d.formats()).containsExactly("csv");
    assertThat(d.sendsSegment()).isFalse();
    assertThatThrownBy(
            () ->
                ConfigLoader.fromYaml(
                    "destinations:\n  - name: x\n    fields: [person_id, email_address]\n", "t"))
        .isInstanceOf(LeadloopException.class)
        .hasMessageContaining("destinations.x.fields")
        .hasMessageContaining("email_address");
    assertThatThrownBy(
            () -> ConfigLoader.fromYaml("destinations:\n  - name: x\n    fields: [segment]\n", "t"))
        .hasMessageContaining("person_id");
  }

  @Test
  void unknownKeysAndBadValuesNameTheKey() {
    for (var bad :
        List.of(
            List.of("booking_window: 90", "booking_window"),
            List.of("booking_window_days: 0", "booking_window_days"),
            List.of("booking_window_days: 1.5", "booking_window_days"),
            List.of("time_decay_half_life_days: -1", "time_decay_half_life_days"),
            List.of("timezone: Mars/Olympus", "timezone"),
            List.of("sla_minutes: {fax: 10}", "sla_minutes.fax"),
            List.of("consent_default: {marketing: maybe}", "consent_default.marketing"),
            List.of(
                "channel_preference: {stalled_lead: [sms, sms, email, mail]}",
                "channel_preference.stalled_lead"))) {
      assertThatThrownBy(() -> ConfigLoader.fromYaml(bad.get(0), "t.yaml"))
          .as(bad.get(0))
          .isInstanceOf(LeadloopException.class)
          .hasMessageContaining(bad.get(1));
    }
  }

  @Test
  void holdoutSettingsFollowOutcomesMd() {
    LeadloopConfig d = ConfigLoader.defaults();
    assertThat(d.holdoutShare("stalled_lead")).isZero();
    assertThat(d.holdoutShare("missed_appointment")).isZero();
    assertThat(d.holdoutSalt()).isEqualTo("leadloop");
    assertThat(d.outcomeWindowDays()).isEqualTo(30);
    assertThat(d.careHoldoutServiceLines()).isEmpty();

    LeadloopConfig c =
        ConfigLoader.fromYaml(
            "holdout_share: {stalled_lead: 0.10, missed_appointment: 0.0025}\n"
                + "holdout_salt: ' spaced salt'\n"
                + "outcome_window_days: 21\n"
                + "care_holdout_service_lines: [Primary Care, dental]\n",
            "t.yaml");
    // kept exact, trailing zeros dropped
    assertThat(c.holdoutShare("stalled_lead").toPlainString()).isEqualTo("0.1");
    assertThat(c.holdoutShare("missed_appointment").toPlainString()).isEqualTo("0.0025");
    assertThat(c.holdoutShare("lapsed_care")).isZero();
    assertThat(c.holdoutSalt()).isEqualTo(" spaced salt"); // used as written
    assertThat(c.outcomeWindowDays()).isEqualTo(21);
    assertThat(c.careHoldoutServiceLines()).containsExactly("primary_care", "dental");
    assertThat(c.toJsonMap().get("holdout_share").toString())
        .isEqualTo("{lapsed_care=0, missed_appointment=0.0025, stalled_lead=0.1}");
  }

  @Test
  void badHoldoutSettingsNameTheKey() {
    for (var bad :
        List.of(
            List.of("holdout_share: {stalled_lead: 0.6}", "holdout_share.stalled_lead"),
            List.of("holdout_share: {stalled_lead: -0.1}", "holdout_share.stalled_lead"),
            List.of("holdout_share: {stalled_lead: 0.12345}", "at most 4 decimals"),
            List.of("holdout_share: {stalled_lead: '0.1'}", "holdout_share.stalled_lead"),
            List.of("holdout_share: {new_leads: 0.1}", "holdout_share.new_leads"),
            List.of("holdout_share: {missed_appointment: 0.1}", "holdout_share.missed_appointment"),
            List.of("holdout_share: {lapsed_care: 0.2}", "care_holdout_service_lines"),
            List.of("holdout_salt: ''", "holdout_salt"),
            List.of("holdout_salt: 7", "holdout_salt"),
            List.of("outcome_window_days: 0", "outcome_window_days"))) {
      assertThatThrownBy(() -> ConfigLoader.fromYaml(bad.get(0), "t.yaml"))
          .as(bad.get(0))
          .isInstanceOf(LeadloopException.class)
          .hasMessageContaining(bad.get(1));
    }
    // the edges are allowed: 0.5, 0.0001, and a care share once its lines are listed
    LeadloopConfig ok =
        ConfigLoader.fromYaml(
            "holdout_share: {stalled_lead: 0.5, lapsed_care: 0.0001}\n"
                + "care_holdout_service_lines: [dental]\n",
            "t.yaml");
    assertThat(ok.holdoutShare("stalled_lead").toPlainString()).isEqualTo("0.5");
    assertThat(ok.holdoutShare("lapsed_care").toPlainString()).isEqualTo("0.0001");
  }
}
