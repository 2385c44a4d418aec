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
}
