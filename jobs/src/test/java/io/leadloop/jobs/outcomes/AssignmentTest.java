package io.leadloop.jobs.outcomes;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadloop.common.SparkTestBase;
import io.leadloop.common.config.ConfigLoader;
import io.leadloop.common.config.LeadloopConfig;
import io.leadloop.common.metrics.Cutoff;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * outcomes.md's assignment, one person per rule, as of 2026-09-27 (cutoff c = 2026-09-28T00:00Z)
 * with a 30-day window. The draws (salt {@code leadloop}; {@code printf 'leadloop|EPISODE' |
 * sha256sum}, first 16 hex digits / 2^64): stalled_lead L1 0.864, L2 0.047, L3 0.541, L4 0.236, L5
 * 0.500 45, L6 0.108, L7 0.749, L8 0.152, L10 0.926; missed_appointment A1 0.320, A3 0.202, A5
 * 0.394. At share 0.5 an episode is held out when its draw is below 0.5.
 */
class AssignmentTest extends SparkTestBase {
  static final LeadloopConfig CONFIG =
      ConfigLoader.fromYaml(
          """
          holdout_share: {stalled_lead: 0.5, missed_appointment: 0.5}
          care_holdout_service_lines: [dental, behavioral_health]
          outcome_window_days: 30
          destinations:
            - name: crm
              segments: [stalled_lead, missed_appointment]
              channels: [email, sms]
              fields: [person_id]
          """,
          "t.yaml");
  static final Cutoff C = new Cutoff(LocalDate.parse("2026-09-27"), ZoneId.of("UTC"));

  static final StructType MEMBER =
      new StructType()
          .add("person_id", DataTypes.StringType)
          .add("segment", DataTypes.StringType)
          .add("service_line", DataTypes.StringType)
          .add("recommended_channel", DataTypes.StringType)
          .add("offer_code", DataTypes.StringType)
          .add("episode_id", DataTypes.StringType);

  static Row member(String person, String episode, String line, String channel) {
    String segment = episode.substring(0, episode.indexOf(':'));
    return RowFactory.create(person, segment, line, channel, "x", episode);
  }

  static Row stored(
      String person,
      String episode,
      String group,
      String share,
      boolean inheriting,
      boolean routed,
      String asOf) {
    String segment = episode.substring(0, episode.indexOf(':'));
    return RowFactory.create(
        person,
        segment,
        episode,
        group,
        new BigDecimal(share),
        "x",
        inheriting,
        routed,
        LocalDate.parse(asOf),
        "r");
  }

  @Test
  void eachRuleOfOutcomesMd() {
    Dataset<Row> members =
        spark()
            .createDataFrame(
                List.of(
                    member("P01", "stalled_lead:L1", "imaging", "email"),
                    member("P02", "stalled_lead:L2", "imaging", "email"),
                    member("P03", "stalled_lead:L4", "imaging", "phone"),
                    member("P04", "stalled_lead:L6", "imaging", "email"),
                    member("P05", "missed_appointment:A1", "dental", "sms"),
                    member("P06", "missed_appointment:A3", "imaging", "sms"),
                    member("P07", "missed_appointment:A5", "behavioral_health", "sms"),
                    member("P08", "stalled_lead:L3", "imaging", "email"),
                    member("P09", "stalled_lead:L5", "imaging", "email"),
                    member("P10", "stalled_lead:L7", "imaging", "email"),
                    member("P11", "stalled_lead:L8", "imaging", "email"),
                    member("P12", "stalled_lead:L10", "imaging", "email")),
                MEMBER);
    Dataset<Row> stored =
        spark()
            .createDataFrame(
                List.of(
                    // P03's episode entered at 0.1 as treatment: kept, though 0.236 < 0.5 now
                    stored("P03", "stalled_lead:L4", "treatment", "0.1", false, true, "2026-09-13"),
                    // P04's earlier row was not routed: no entry, so it is drawn at this run's
                    // share
                    stored(
                        "P04", "stalled_lead:L6", "treatment", "0.1", false, false, "2026-09-13"),
                    // P08: another episode entered 28 days before c: inherited
                    stored("P08", "stalled_lead:L30", "holdout", "0.5", false, true, "2026-08-30"),
                    // P09: another episode entered exactly 30 days before c: not inherited
                    stored("P09", "stalled_lead:L31", "holdout", "0.5", false, true, "2026-08-28"),
                    // P10: the latest entry wins (L21's entry is its routed row of 09-13)
                    stored(
                        "P10", "stalled_lead:L20", "treatment", "0.5", false, true, "2026-09-06"),
                    stored(
                        "P10", "stalled_lead:L21", "treatment", "0.5", false, false, "2026-09-06"),
                    stored("P10", "stalled_lead:L21", "holdout", "0.5", false, true, "2026-09-13"),
                    // P11: two entries on the same as-of: the greatest episode_id wins
                    stored("P11", "stalled_lead:L22", "holdout", "0.5", false, true, "2026-09-13"),
                    stored(
                        "P11", "stalled_lead:L23", "treatment", "0.5", false, true, "2026-09-13"),
                    // P12: an episode of another segment is not inherited
                    stored(
                        "P12",
                        "missed_appointment:A20",
                        "holdout",
                        "0.5",
                        false,
                        true,
                        "2026-09-20")),
                Entries.SCHEMA);
    Map<String, String> got = new TreeMap<>();
    for (Row r :
        Assignment.assign(members, stored, C, CONFIG)
            .select("person_id", "group", "holdout_share", "inheriting", "routed")
            .collectAsList()) {
      got.put(
          r.getString(0),
          r.getString(1)
              + " "
              + r.getDecimal(2).stripTrailingZeros().toPlainString()
              + (r.getBoolean(3) ? " inheriting" : "")
              + (r.getBoolean(4) ? " routed" : ""));
    }
    Map<String, String> expected = new TreeMap<>();
    expected.put("P01", "treatment 0.5 routed"); // 0.864
    expected.put("P02", "holdout 0.5 routed"); // 0.047
    expected.put("P03", "treatment 0.1"); // fixed at entry; phone is not routed to crm
    expected.put("P04", "holdout 0.5 routed"); // 0.108, no entry
    expected.put("P05", "holdout 0.5 routed"); // 0.320, dental is listed
    expected.put("P06", "treatment 0.5 routed"); // 0.202, but imaging is not listed
    expected.put("P07", "treatment 0.5 routed"); // 0.394, listed but sensitive
    expected.put("P08", "holdout 0.5 inheriting routed"); // own draw 0.541
    expected.put("P09", "treatment 0.5 routed"); // own draw 0.500 45
    expected.put("P10", "holdout 0.5 inheriting routed"); // own draw 0.749
    expected.put("P11", "treatment 0.5 inheriting routed"); // own draw 0.152
    expected.put("P12", "treatment 0.5 routed"); // own draw 0.926
    assertThat(got).isEqualTo(expected);
  }

  @Test
  void noHoldoutByDefault() {
    List<Row> rows = new ArrayList<>();
    for (int i = 1; i <= 8; i++) {
      rows.add(member("P" + i, "stalled_lead:L" + i, "imaging", "email"));
    }
    List<Row> out =
        Assignment.assign(
                spark().createDataFrame(rows, MEMBER),
                spark().createDataFrame(List.of(), Entries.SCHEMA),
                C,
                ConfigLoader.defaults())
            .collectAsList();
    assertThat(out).hasSize(8);
    for (Row r : out) {
      assertThat(r.<String>getAs("group")).isEqualTo("treatment");
      assertThat(r.<BigDecimal>getAs("holdout_share").signum()).isZero();
      assertThat(r.<Boolean>getAs("routed")).isFalse(); // no destination configured
    }
  }
}
