package io.leadloop.jobs.segments;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadloop.common.SparkTestBase;
import io.leadloop.common.config.ConfigLoader;
import io.leadloop.common.spark.Warehouse;
import io.leadloop.jobs.Rows;
import io.leadloop.jobs.metrics.MartRows;
import io.leadloop.jobs.metrics.MartStore;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code segment_settings} as a notebook reads it (SQL over the stored Delta table): the rule
 * order, windows and lists of segments.md, and the run's own settings where the config changes
 * them.
 */
class SegmentSettingsTest extends SparkTestBase {
  @TempDir Path tmp;

  @Test
  void storesTheRulesWindowsAndListsTheRunApplied() {
    var config =
        ConfigLoader.fromYaml(
            "cap_7d: 2\ncooldown_days: 5\n"
                + "channel_preference: {stalled_lead: [email, phone, sms, mail]}\n"
                + "consent_default: {marketing: allow_unless_opt_out}",
            "t");
    Warehouse wh = new Warehouse(spark(), tmp.resolve("wh").toString());
    LocalDate asOf = LocalDate.parse("2026-09-27");
    MartStore.store(
        wh,
        List.of(asOf),
        Map.of(
            SegmentSettings.TABLE,
            MartRows.stacked(Map.of(asOf, SegmentSettings.rows(config)), List.of(asOf))));
    MartStore.read(wh, SegmentSettings.TABLE).createOrReplaceTempView("segment_settings");

    Map<String, String> s =
        Rows.one(
            spark()
                .sql(
                    "SELECT as_of, array_join(contact_channels, ',') AS contact_channels,"
                        + " array_join(failed_outcomes, ',') AS failed_outcomes, cap_7d,"
                        + " cap_7d_days, cap_30d, cap_30d_days, cooldown_days, max_cycles,"
                        + " array_join(not_open_statuses, ',') AS not_open_statuses,"
                        + " consent_default['marketing'] AS marketing_default,"
                        + " consent_default['care_coordination'] AS care_default,"
                        + " array_join(channel_preference['stalled_lead'], ',') AS stalled,"
                        + " array_join(channel_preference['missed_appointment'], ',') AS missed"
                        + " FROM segment_settings"),
            "as_of",
            "2026-09-27");
    // segments.md: contacts are outbound email/sms/phone/mail touches not bounced or failed;
    // frequency_cap counts 7 and 30 days (cap_30d default 8, max_cycles default 3); an open
    // appointment is in any status but cancelled and entered-in-error; preference defaults
    assertThat(s)
        .containsEntry("contact_channels", "email,sms,phone,mail")
        .containsEntry("failed_outcomes", "bounced,failed")
        .containsEntry("cap_7d", "2")
        .containsEntry("cap_7d_days", "7")
        .containsEntry("cap_30d", "8")
        .containsEntry("cap_30d_days", "30")
        .containsEntry("cooldown_days", "5")
        .containsEntry("max_cycles", "3")
        .containsEntry("not_open_statuses", "cancelled,entered-in-error")
        .containsEntry("marketing_default", "allow_unless_opt_out")
        .containsEntry("care_default", "opt_in_required")
        .containsEntry("stalled", "email,phone,sms,mail")
        .containsEntry("missed", "sms,phone,email,mail");

    List<Map<String, String>> rules =
        Rows.of(
            spark()
                .sql(
                    "SELECT r.step, r.rule, array_join(r.segments, ',') AS segments, r.meaning"
                        + " FROM segment_settings LATERAL VIEW inline(exclusion_rules) r"
                        + " ORDER BY r.step"));
    assertThat(rules)
        .extracting(r -> r.get("step") + " " + r.get("rule") + " " + r.get("segments"))
        .containsExactly(
            "1 suppressed missed_appointment,stalled_lead,lapsed_care",
            "2 open_appointment missed_appointment,stalled_lead,lapsed_care",
            "3 no_permitted_channel missed_appointment,stalled_lead,lapsed_care",
            "4 frequency_cap missed_appointment,stalled_lead,lapsed_care",
            "5 cooldown missed_appointment,stalled_lead,lapsed_care",
            "6 max_cycles stalled_lead",
            "7 clinical_route stalled_lead",
            "8 referral_partner_track stalled_lead");
    assertThat(rules.get(3).get("meaning"))
        .isEqualTo(
            "at least cap_7d = 2 contacts in the 7 days before the cutoff, or cap_30d = 8 in the"
                + " 30 days");
    assertThat(rules.get(4).get("meaning"))
        .isEqualTo("a contact in the cooldown_days = 5 days before the cutoff");
  }
}
