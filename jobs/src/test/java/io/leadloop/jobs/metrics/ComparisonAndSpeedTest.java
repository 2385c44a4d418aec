package io.leadloop.jobs.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadloop.common.SparkTestBase;
import io.leadloop.common.config.ConfigLoader;
import io.leadloop.common.config.LeadloopConfig;
import io.leadloop.jobs.Fixture;
import io.leadloop.jobs.Rows;
import io.leadloop.jobs.facts.Facts;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** cohort_comparison (Wilson, MH) and speed_to_lead (nearest rank, SLA) on hand-worked data. */
class ComparisonAndSpeedTest extends SparkTestBase {
  private static final LeadloopConfig UTC = ConfigLoader.defaults();
  static final StructType LEAD_FACTS =
      new StructType()
          .add("cohort_month", DataTypes.StringType)
          .add("source", DataTypes.StringType)
          .add("service_line", DataTypes.StringType)
          .add("is_booked_first_cycle", DataTypes.BooleanType)
          .add("is_recycled", DataTypes.BooleanType)
          .add("is_booked_from_recycled", DataTypes.BooleanType);

  /**
   * n leads of a stratum: the first k0 booked first cycle, the first n1 recycled, k1 of them booked
   * after.
   */
  private static void stratum(
      List<Row> out, String month, String source, String line, int n, int k0, int n1, int k1) {
    for (int i = 0; i < n; i++) {
      out.add(RowFactory.create(month, source, line, i < k0, i < n1, i < k1));
    }
  }

  private Dataset<Row> strata() {
    List<Row> rows = new ArrayList<>();
    stratum(rows, "2026-01", "paid_search", "imaging", 20, 5, 20, 10);
    stratum(rows, "2026-01", "paid_search", "orthopedics", 40, 10, 20, 4);
    stratum(rows, "2026-01", "referral", "imaging", 5, 0, 5, 5);
    stratum(rows, "2026-05", "paid_search", "imaging", 30, 3, 25, 0);
    return CohortComparison.strata(
        spark().createDataFrame(rows, LEAD_FACTS), Fixture.cutoff(UTC, "2026-06-30"), 90, 20);
  }

  @Test
  void wilsonIntervalsAndEligibility() {
    List<Map<String, String>> rows = Rows.of(CohortComparison.compute(strata()));
    Map<String, String> a =
        rows.stream()
            .filter(
                r ->
                    r.get("service_line").equals("imaging")
                        && r.get("source").equals("paid_search")
                        && r.get("cohort_month").equals("2026-01"))
            .findFirst()
            .orElseThrow();
    // new: 5/20 = 0.25, Wilson (z = 1.959964, z² = 3.841459): center = (0.25 + 3.841459/40) /
    // (1 + 3.841459/20) = 0.346036 / 1.192073 = 0.290281; half = 1.959964·sqrt(0.25·0.75/20 +
    // 3.841459/1600) / 1.192073 = 1.959964·sqrt(0.009375 + 0.002401) / 1.192073
    // = 1.959964·0.108517 / 1.192073 = 0.178420 -> [0.111862, 0.468701] -> [0.1119, 0.4687]
    assertThat(a)
        .containsEntry("new_leads", "20")
        .containsEntry("new_booked", "5")
        .containsEntry("new_rate", "0.2500")
        .containsEntry("new_ci_low", "0.1119")
        .containsEntry("new_ci_high", "0.4687");
    // recycled: 10/20; rate_diff = 0.5 - 0.25
    assertThat(a).containsEntry("recycled_rate", "0.5000").containsEntry("rate_diff", "0.2500");
    // January: 2026-02-01 + 90 days = 2026-05-02 <= 2026-07-01: matured; both arms >= 20: eligible
    assertThat(a).containsEntry("matured", "true").containsEntry("eligible", "true");
    // k = 0 and k = n: 0/5 new -> [0, 0.4345]... referral: new 0/5, recycled 5/5
    Map<String, String> r =
        rows.stream().filter(x -> x.get("source").equals("referral")).findFirst().orElseThrow();
    // k = 0, n = 5: center = (3.841459/10)/(1 + 3.841459/5) = 0.384146/1.768292 = 0.217241,
    // half = 1.959964·sqrt(3.841459/100)/1.768292 = 0.217241 -> [0.0000, 0.4345]
    assertThat(r)
        .containsEntry("new_rate", "0.0000")
        .containsEntry("new_ci_low", "0.0000")
        .containsEntry("new_ci_high", "0.4345");
    // k = n = 5: the mirror image -> [0.5655, 1.0000]
    assertThat(r)
        .containsEntry("recycled_rate", "1.0000")
        .containsEntry("recycled_ci_low", "0.5655")
        .containsEntry("recycled_ci_high", "1.0000");
    assertThat(r).containsEntry("eligible", "false");
    // May: 2026-06-01 + 90 days = 2026-08-30 > 2026-07-01: not matured, so not eligible
    Map<String, String> may =
        rows.stream()
            .filter(x -> x.get("cohort_month").equals("2026-05"))
            .findFirst()
            .orElseThrow();
    assertThat(may).containsEntry("matured", "false").containsEntry("eligible", "false");
  }

  @Test
  void mantelHaenszelOverTwoStrata() {
    List<Map<String, String>> rows = Rows.of(CohortComparison.summary(strata()));
    // imaging: n1 = n0 = 20, w = 20·20/40 = 10, p1 - p0 = 0.5 - 0.25 = 0.25
    // orthopedics: n0 = 40, n1 = 20, w = 800/60 = 13.3333, p1 - p0 = 0.2 - 0.25 = -0.05
    // MH = (10·0.25 + 13.3333·(-0.05)) / 23.3333 = 1.833333 / 23.333333 = 0.078571
    Map<String, String> paid =
        rows.stream().filter(x -> x.get("source").equals("paid_search")).findFirst().orElseThrow();
    assertThat(paid)
        .containsEntry("strata", "2")
        .containsEntry("new_leads", "60")
        .containsEntry("recycled_leads", "40")
        .containsEntry("mh_rate_diff", "0.0786");
    Map<String, String> all =
        rows.stream().filter(x -> x.get("source").equals("*")).findFirst().orElseThrow();
    assertThat(all)
        .isEqualTo(
            Map.of(
                "source",
                "*",
                "strata",
                "2",
                "new_leads",
                "60",
                "recycled_leads",
                "40",
                "mh_rate_diff",
                "0.0786"));
    // referral has no eligible stratum: no row
    assertThat(rows).hasSize(2);
  }

  @Test
  void summaryWithoutEligibleStrataStillHasTheStarRow() {
    List<Row> rows = new ArrayList<>();
    stratum(rows, "2026-01", "referral", "imaging", 5, 0, 5, 5);
    var s =
        CohortComparison.summary(
            CohortComparison.strata(
                spark().createDataFrame(rows, LEAD_FACTS),
                Fixture.cutoff(UTC, "2026-06-30"),
                90,
                20));
    assertThat(Rows.of(s))
        .containsExactly(
            Map.of(
                "source",
                "*",
                "strata",
                "0",
                "new_leads",
                "0",
                "recycled_leads",
                "0",
                "mh_rate_diff",
                ""));
  }

  @Test
  void speedToLeadNearestRankAndSla() {
    Fixture fx = new Fixture();
    // five web_form leads (SLA 60 min) created 2026-03-02 10:00; responses after 10, 20, 30 and
    // 90 minutes; the fifth never answered
    int[] minutes = {10, 20, 30, 90};
    for (int i = 1; i <= 5; i++) {
      fx.lead("lead_id=W" + i + "; person_id=PW" + i + "; created_at=2026-03-02T10:00Z");
    }
    for (int i = 0; i < 4; i++) {
      fx.touch(
          "touch_id=TW"
              + i
              + "; person_id=PW"
              + (i + 1)
              + "; lead_id=W"
              + (i + 1)
              + "; occurred_at=2026-03-02T"
              + String.format("%02d:%02d", 10 + minutes[i] / 60, minutes[i] % 60)
              + "Z; channel=phone");
    }
    // not responses: W5 gets an inbound call, a bounced email, a retargeting ad, and a touch
    // before the lead was created
    fx.touch(
            "touch_id=TX1; person_id=PW5; lead_id=W5; occurred_at=2026-03-02T10:05Z; channel=phone; direction=inbound")
        .touch(
            "touch_id=TX2; person_id=PW5; occurred_at=2026-03-02T10:05Z; channel=email; outcome=bounced")
        .touch("touch_id=TX3; person_id=PW5; occurred_at=2026-03-02T10:05Z; channel=retargeting")
        .touch("touch_id=TX4; person_id=PW5; occurred_at=2026-03-02T09:59Z; channel=sms");
    // phone leads (SLA 15): one answered at exactly 15 min through a touch naming no lead but the
    // same person, one at 15 min 1 s; source differs so they form their own row
    fx.lead(
            "lead_id=P1; person_id=PP1; created_at=2026-03-02T10:00Z; inquiry_channel=phone; source=referral")
        .touch("touch_id=TP1; person_id=PP1; occurred_at=2026-03-02T10:15:00Z; channel=sms")
        .lead(
            "lead_id=P2; person_id=PP2; created_at=2026-03-02T10:00Z; inquiry_channel=phone; source=referral")
        .touch("touch_id=TP2; person_id=PP2; occurred_at=2026-03-02T10:15:01Z; channel=sms");
    // a chat lead answered after 63 s = 1.05 min -> rounded half-up to 1.1; and a web_form lead
    // created 59 minutes before the cutoff: not yet due
    fx.lead(
            "lead_id=C1; person_id=PC1; created_at=2026-03-02T10:00Z; inquiry_channel=chat; source=social")
        .touch(
            "touch_id=TC1; person_id=PC1; lead_id=C1; occurred_at=2026-03-02T10:01:03Z; channel=chat")
        .lead("lead_id=D1; person_id=PD1; created_at=2026-03-31T23:01Z; source=event");
    Facts f = fx.facts(spark(), UTC, "2026-03-31");
    List<Map<String, String>> rows =
        Rows.of(
            SpeedToLead.compute(f.leads(), Fixture.cutoff(UTC, "2026-03-31"), UTC.slaMinutes()));
    Map<String, String> web =
        rows.stream().filter(r -> r.get("source").equals("paid_search")).findFirst().orElseThrow();
    // n = 4 touched: median rank ceil(0.5·4) = 2 -> 20.0; p90 rank ceil(0.9·4) = 4 -> 90.0
    // due 5, within 60 min: 10, 20, 30 -> 3; 3/5 = 0.6
    assertThat(web)
        .containsEntry("leads", "5")
        .containsEntry("touched", "4")
        .containsEntry("median_minutes", "20.0")
        .containsEntry("p90_minutes", "90.0")
        .containsEntry("sla_due", "5")
        .containsEntry("within_sla", "3")
        .containsEntry("sla_rate", "0.6000");
    Map<String, String> phone =
        rows.stream().filter(r -> r.get("source").equals("referral")).findFirst().orElseThrow();
    // 15 min exactly is within; 15 min 1 s is not. n = 2: median rank 1 -> 15.0; p90 rank 2 ->
    // 15.0167 -> 15.0
    assertThat(phone)
        .containsEntry("touched", "2")
        .containsEntry("within_sla", "1")
        .containsEntry("sla_rate", "0.5000")
        .containsEntry("median_minutes", "15.0")
        .containsEntry("p90_minutes", "15.0");
    Map<String, String> chat =
        rows.stream().filter(r -> r.get("source").equals("social")).findFirst().orElseThrow();
    assertThat(chat).containsEntry("median_minutes", "1.1").containsEntry("within_sla", "1");
    Map<String, String> notDue =
        rows.stream().filter(r -> r.get("source").equals("event")).findFirst().orElseThrow();
    // created 2026-03-31 23:01 + 60 min > cutoff 2026-04-01 00:00: not due, rate empty
    assertThat(notDue)
        .containsEntry("cohort_week", "2026-03-30")
        .containsEntry("sla_due", "0")
        .containsEntry("sla_rate", "");
  }
}
