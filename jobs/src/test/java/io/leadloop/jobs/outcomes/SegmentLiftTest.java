package io.leadloop.jobs.outcomes;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.assertj.core.api.Assertions.assertThat;

import io.leadloop.common.SparkTestBase;
import io.leadloop.common.metrics.AsOfs;
import io.leadloop.common.metrics.Cutoff;
import io.leadloop.jobs.publish.CsvFiles;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** outcomes.md's counted episodes and the segment_lift measures, worked out by hand. */
class SegmentLiftTest extends SparkTestBase {
  static final StructType EPISODE =
      new StructType()
          .add("segment", DataTypes.StringType)
          .add("offer_code", DataTypes.StringType)
          .add("holdout_share", DataTypes.createDecimalType(5, 4))
          .add("entered_as_of", DataTypes.DateType)
          .add("group", DataTypes.StringType)
          .add("is_booked", DataTypes.BooleanType)
          .add("is_contacted", DataTypes.BooleanType);

  static final StructType APPOINTMENT =
      new StructType()
          .add("person_id", DataTypes.StringType)
          .add("is_qualifying", DataTypes.BooleanType)
          .add("status", DataTypes.StringType)
          .add("booked_at", DataTypes.TimestampType);

  static final StructType TOUCH =
      new StructType()
          .add("person_id", DataTypes.StringType)
          .add("direction", DataTypes.StringType)
          .add("channel", DataTypes.StringType)
          .add("outcome", DataTypes.StringType)
          .add("occurred_at", DataTypes.TimestampType);

  /** {@code n} episodes of one arm, the first {@code booked} of them booked. */
  static void arm(List<Row> rows, String group, int n, int booked) {
    for (int i = 0; i < n; i++) {
      rows.add(
          RowFactory.create(
              "stalled_lead",
              "cost_estimate",
              new BigDecimal("0.3000"),
              LocalDate.parse("2026-08-30"),
              group,
              i < booked,
              false));
    }
  }

  static Row only(int k1, int n1, int k0, int n0, int minN) {
    List<Row> rows = new ArrayList<>();
    arm(rows, "treatment", n1, k1);
    arm(rows, "holdout", n0, k0);
    return SegmentLift.compute(spark().createDataFrame(rows, EPISODE), minN)
        .where("offer_code = '*'")
        .first();
  }

  static String measures(Row r) {
    List<String> v = new ArrayList<>();
    for (String c :
        List.of(
            "treatment_rate",
            "treatment_ci_low",
            "treatment_ci_high",
            "holdout_rate",
            "holdout_ci_low",
            "holdout_ci_high",
            "lift",
            "lift_ci_low",
            "lift_ci_high",
            "eligible")) {
      v.add(CsvFiles.format(r.getAs(c)));
    }
    return String.join(",", v);
  }

  @Test
  void newcombeOnAHandWorkedTable() {
    // z = 1.959964, z² = 3.841459. Treatment 8/20: p1 = 0.4, centre (0.4 + z²/40) / (1 + z²/20)
    // = 0.496036 / 1.192073 = 0.416113, half-width z·sqrt(0.24/20 + z²/1600) / 1.192073
    // = 1.959964 · 0.120863 / 1.192073 = 0.197306: [0.218807, 0.613419].
    // Holdout 2/10: p0 = 0.2, centre (0.2 + z²/20) / (1 + z²/10) = 0.392073 / 1.384146 = 0.283260,
    // half-width 1.959964 · sqrt(0.016 + z²/400) / 1.384146 = 0.226578: [0.056682, 0.509838].
    // low = 0.2 - sqrt((0.4 - 0.218807)² + (0.509838 - 0.2)²) = 0.2 - 0.358929 = -0.158929;
    // high = 0.2 + sqrt((0.613419 - 0.4)² + (0.2 - 0.056682)²) = 0.2 + 0.257075 = 0.457075.
    assertThat(measures(only(8, 20, 2, 10, 10)))
        .isEqualTo("0.4000,0.2188,0.6134,0.2000,0.0567,0.5098,0.2000,-0.1589,0.4571,true");
    // eligible needs both arms >= min_stratum_n: the holdout's 10 < 11
    assertThat(measures(only(8, 20, 2, 10, 11))).endsWith(",false");
  }

  @Test
  void theIndependentOraclesRowOfCase3() {
    // case-3's expected segment_lift, 2026-09-27: stalled_lead,*,0.3: 42/199 against 14/80
    assertThat(measures(only(42, 199, 14, 80, 10)))
        .isEqualTo("0.2111,0.1601,0.2729,0.1750,0.1072,0.2726,0.0361,-0.0740,0.1279,true");
  }

  @Test
  void theLiftIsClampedToMinusOneOne() {
    // 10/10 against 0/10: Wilson [0.722467, 1] and [0, 0.277533]; low = 1 - sqrt(2) · 0.277533
    assertThat(measures(only(10, 10, 0, 10, 10)))
        .isEqualTo("1.0000,0.7225,1.0000,0.0000,0.0000,0.2775,1.0000,0.6075,1.0000,true");
    assertThat(measures(only(0, 10, 10, 10, 10)))
        .isEqualTo("0.0000,0.0000,0.2775,1.0000,0.7225,1.0000,-1.0000,-1.0000,-0.6075,true");
  }

  @Test
  void anEmptyArmLeavesItsRateAndTheLiftEmpty() {
    Row r = only(3, 5, 0, 0, 1);
    assertThat(r.<Long>getAs("holdout_episodes")).isZero();
    // 3/5: centre (0.6 + z²/10) / (1 + z²/5) = 0.984146 / 1.768292 = 0.556551, half-width
    // 1.959964 · sqrt(0.048 + z²/100) / 1.768292 = 1.959964 · 0.293963 / 1.768292 = 0.325830:
    // [0.230721, 0.882381]
    assertThat(measures(r)).isEqualTo("0.6000,0.2307,0.8824,,,,,,,false");
  }

  static Timestamp at(String instant) {
    return Timestamp.from(Instant.parse(instant));
  }

  static Row entry(
      String person, String episode, String group, boolean inh, boolean routed, String asOf) {
    String segment = episode.substring(0, episode.indexOf(':'));
    String offer = episode.endsWith("6") || episode.endsWith("9") ? "B" : "A";
    return RowFactory.create(
        person,
        segment,
        episode,
        group,
        new BigDecimal(segment.equals("stalled_lead") ? "0.3" : "0.25"),
        offer,
        inh,
        routed,
        LocalDate.parse(asOf),
        "r");
  }

  @Test
  void countedEpisodesWindowsAndFlags() {
    // c = 2026-09-28T00:00Z, window 21 days. Entered 2026-08-30: c_e = 08-31, window [08-31,
    // 09-21).
    // Entered 09-06: c_e = 09-07, c_e + 21 days = 09-28 = c, matured (at the edge). Entered
    // 09-13: not matured.
    Dataset<Row> stored = stored();
    Dataset<Row> appointments = appointments();
    Dataset<Row> touches = touches();
    Cutoff c = new Cutoff(LocalDate.parse("2026-09-27"), ZoneId.of("UTC"));
    Dataset<Row> episodes = SegmentLift.episodes(stored, appointments, touches, c, 21);
    TreeMap<String, String> got = described(episodes);
    TreeMap<String, String> expected = new TreeMap<>();
    expected.put("missed_appointment:A8", "treatment 2026-08-30");
    expected.put("stalled_lead:L1", "treatment 2026-08-30 booked contacted");
    expected.put("stalled_lead:L2", "treatment 2026-08-30");
    expected.put("stalled_lead:L3", "holdout 2026-09-06 booked");
    expected.put("stalled_lead:L5", "holdout 2026-08-30 contacted");
    expected.put("stalled_lead:L6", "holdout 2026-08-30 booked");
    expected.put("stalled_lead:L9", "treatment 2026-09-06 booked");
    assertThat(got).isEqualTo(expected); // L4 not matured, L7 inheriting

    List<String> mart = new ArrayList<>();
    for (Row r :
        SegmentLift.compute(episodes, 1)
            .orderBy("segment", "offer_code", "holdout_share")
            .select(
                "segment",
                "offer_code",
                "holdout_share",
                "entry_runs",
                "treatment_episodes",
                "treatment_booked",
                "treatment_contacted",
                "holdout_episodes",
                "holdout_booked",
                "holdout_contacted")
            .collectAsList()) {
      List<String> v = new ArrayList<>();
      for (int i = 0; i < r.length(); i++) {
        v.add(i == 2 ? CsvFiles.share(r.getDecimal(i)) : CsvFiles.format(r.get(i)));
      }
      mart.add(String.join(",", v));
    }
    assertThat(mart)
        .containsExactly(
            "missed_appointment,*,0.25,1,1,0,0,0,0,0",
            "missed_appointment,A,0.25,1,1,0,0,0,0,0",
            // * over A (L1, L2 | L3, L5) and B (L9 | L6); entry as-ofs 08-30 and 09-06
            "stalled_lead,*,0.3,2,3,2,1,3,2,1",
            "stalled_lead,A,0.3,2,2,1,1,2,1,1",
            "stalled_lead,B,0.3,2,1,1,0,1,1,0");
  }

  /** The stored entries of {@link #countedEpisodesWindowsAndFlags}. */
  static Dataset<Row> stored() {
    return spark()
        .createDataFrame(
            List.of(
                entry("P1", "stalled_lead:L1", "treatment", false, true, "2026-08-30"),
                // a later published run stored L1 again: it is counted once, at its entry
                entry("P1", "stalled_lead:L1", "holdout", false, true, "2026-09-06"),
                entry("P2", "stalled_lead:L2", "treatment", false, true, "2026-08-30"),
                entry("P3", "stalled_lead:L3", "holdout", false, true, "2026-09-06"),
                entry("P4", "stalled_lead:L4", "treatment", false, true, "2026-09-13"),
                entry("P5", "stalled_lead:L5", "holdout", false, true, "2026-08-30"),
                entry("P6", "stalled_lead:L6", "treatment", false, false, "2026-08-23"),
                entry("P6", "stalled_lead:L6", "holdout", false, true, "2026-08-30"),
                entry("P7", "stalled_lead:L7", "treatment", true, true, "2026-08-30"),
                entry("P8", "missed_appointment:A8", "treatment", false, true, "2026-08-30"),
                // P1 again, with a new lead: a second episode
                entry("P1", "stalled_lead:L9", "treatment", false, true, "2026-09-06")),
            Entries.SCHEMA);
  }

  /** The appointments of {@link #countedEpisodesWindowsAndFlags}. */
  static Dataset<Row> appointments() {
    return spark()
        .createDataFrame(
            List.of(
                // P1: one second before the end of L1's window (and inside L9's)
                RowFactory.create("P1", true, "booked", at("2026-09-20T23:59:59Z")),
                // P2: at the end of the window exactly: not booked
                RowFactory.create("P2", true, "fulfilled", at("2026-09-21T00:00:00Z")),
                RowFactory.create("P3", true, "noshow", at("2026-09-10T00:00:00Z")),
                RowFactory.create("P4", true, "booked", at("2026-09-15T00:00:00Z")),
                // P5: a cancelled booking in the window, a qualifying one before c_e
                RowFactory.create("P5", true, "cancelled", at("2026-09-01T00:00:00Z")),
                RowFactory.create("P5", true, "booked", at("2026-08-20T00:00:00Z")),
                // P6: inside the window of its entry (08-30), after that of its unrouted row
                RowFactory.create("P6", true, "booked", at("2026-09-15T00:00:00Z")),
                RowFactory.create("P7", true, "booked", at("2026-09-01T00:00:00Z")),
                // P8: a proposed appointment is no qualifying booking
                RowFactory.create("P8", false, "proposed", at("2026-09-01T00:00:00Z"))),
            APPOINTMENT);
  }

  /** The touches of {@link #countedEpisodesWindowsAndFlags}. */
  static Dataset<Row> touches() {
    return spark()
        .createDataFrame(
            List.of(
                // P1: at c_e of L1 exactly (contacted), before c_e of L9 (not for L9)
                RowFactory.create("P1", "outbound", "sms", "delivered", at("2026-08-31T00:00:00Z")),
                // P2: one second before its c_e; an inbound email inside
                RowFactory.create("P2", "outbound", "email", "sent", at("2026-08-30T23:59:59Z")),
                RowFactory.create("P2", "inbound", "email", "replied", at("2026-09-01T00:00:00Z")),
                // P3: bounced is no contact
                RowFactory.create("P3", "outbound", "email", "bounced", at("2026-09-08T00:00:00Z")),
                RowFactory.create(
                    "P5", "outbound", "phone", "connected", at("2026-09-02T00:00:00Z"))),
            TOUCH);
  }

  /** Each episode of {@code episodes} as "id group entered [booked] [contacted]", by id. */
  static TreeMap<String, String> described(Dataset<Row> episodes) {
    TreeMap<String, String> got = new TreeMap<>();
    for (Row r :
        episodes
            .select("episode_id", "group", "entered_as_of", "is_booked", "is_contacted")
            .collectAsList()) {
      got.put(
          r.getString(0),
          r.getString(1)
              + " "
              + r.get(2)
              + (r.getBoolean(3) ? " booked" : "")
              + (r.getBoolean(4) ? " contacted" : ""));
    }
    return got;
  }

  static Dataset<Row> at(Dataset<Row> ds, String asOf) {
    return ds.withColumn(AsOfs.AS_OF, lit(java.sql.Date.valueOf(asOf)));
  }

  @Test
  void stackedEpisodesAreEachAsOfsOwn() {
    // Two as-ofs in one pass, each with its own state of the appointments: at 09-20 P5's
    // appointment of 09-01 is still booked (so L5, matured at 09-20, is booked), by 09-27 it is
    // cancelled. Each as-of's slice is what the one-as-of computation gives with its state.
    Dataset<Row> at27 = appointments();
    Dataset<Row> at20 =
        at27.withColumn(
            "status",
            when(col("person_id").equalTo("P5").and(col("status").equalTo("cancelled")), "booked")
                .otherwise(col("status")));
    Dataset<Row> stacked =
        SegmentLift.episodes(
            stored(),
            at(at27, "2026-09-27").unionByName(at(at20, "2026-09-20")),
            at(touches(), "2026-09-27").unionByName(at(touches(), "2026-09-20")),
            new Cutoff(LocalDate.parse("2026-09-27"), ZoneId.of("UTC")),
            21,
            AsOfs.table(
                spark(), List.of(LocalDate.parse("2026-09-20"), LocalDate.parse("2026-09-27"))));
    TreeMap<String, String> on20 = described(stacked.where("as_of = DATE'2026-09-20'"));
    // c = 09-21T00:00Z: the entries of 08-30 (c_e 08-31) have just matured, those of 09-06 not
    TreeMap<String, String> expected20 = new TreeMap<>();
    expected20.put("missed_appointment:A8", "treatment 2026-08-30");
    expected20.put("stalled_lead:L1", "treatment 2026-08-30 booked contacted");
    expected20.put("stalled_lead:L2", "treatment 2026-08-30");
    expected20.put("stalled_lead:L5", "holdout 2026-08-30 booked contacted");
    expected20.put("stalled_lead:L6", "holdout 2026-08-30 booked");
    assertThat(on20).isEqualTo(expected20);
    assertThat(on20)
        .isEqualTo(
            described(
                SegmentLift.episodes(
                    stored(),
                    at20,
                    touches(),
                    new Cutoff(LocalDate.parse("2026-09-20"), ZoneId.of("UTC")),
                    21)));
    assertThat(described(stacked.where("as_of = DATE'2026-09-27'")))
        .isEqualTo(
            described(
                SegmentLift.episodes(
                    stored(),
                    at27,
                    touches(),
                    new Cutoff(LocalDate.parse("2026-09-27"), ZoneId.of("UTC")),
                    21)));
    // the mart per as-of: entry_runs 1 at 09-20 (08-30), 2 at 09-27 (08-30, 09-06)
    List<String> runs = new ArrayList<>();
    for (Row r :
        SegmentLift.compute(stacked, 1)
            .where("segment = 'stalled_lead' AND offer_code = '*'")
            .orderBy("as_of")
            .select("as_of", "entry_runs", "treatment_episodes", "holdout_episodes")
            .collectAsList()) {
      runs.add(r.get(0) + " " + r.get(1) + " " + r.get(2) + " " + r.get(3));
    }
    assertThat(runs).containsExactly("2026-09-20 1 2 2", "2026-09-27 2 3 3");
  }
}
