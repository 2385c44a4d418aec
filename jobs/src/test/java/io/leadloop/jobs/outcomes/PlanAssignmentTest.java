package io.leadloop.jobs.outcomes;

import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;

import io.leadloop.common.SparkTestBase;
import io.leadloop.common.metrics.Cutoff;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * Four published as-ofs assigned in one plan, against outcomes.md worked out by hand and against
 * assigning them one after the other, each storing its rows before the next (what four weekly runs
 * do). Config, draws and rows as in {@link AssignmentTest} (share 0.5, 30-day window); also
 * missed_appointment A2 0.655, A4 0.933.
 */
class PlanAssignmentTest extends SparkTestBase {
  static final List<String> AS_OFS =
      List.of("2026-09-06", "2026-09-13", "2026-09-20", "2026-09-27");

  /** The members of each as-of (person, episode, service line, channel). */
  static List<Row> members(String asOf) {
    return switch (asOf) {
      case "2026-09-06" ->
          List.of(
              AssignmentTest.member("Q1", "missed_appointment:A1", "dental", "sms"),
              AssignmentTest.member("Q2", "stalled_lead:L2", "imaging", "phone"),
              AssignmentTest.member("Q3", "stalled_lead:L7", "imaging", "email"));
      case "2026-09-13" ->
          List.of(
              AssignmentTest.member("Q1", "missed_appointment:A2", "dental", "sms"),
              AssignmentTest.member("Q2", "stalled_lead:L2", "imaging", "email"),
              AssignmentTest.member("Q4", "stalled_lead:L1", "imaging", "email"));
      case "2026-09-20" ->
          List.of(
              AssignmentTest.member("Q1", "missed_appointment:A4", "dental", "sms"),
              AssignmentTest.member("Q2", "stalled_lead:L2", "imaging", "email"));
      default -> List.of(AssignmentTest.member("Q1", "missed_appointment:A4", "dental", "sms"));
    };
  }

  /** Stored before the run: an entry outside the run, and a row of one of its as-ofs. */
  static Dataset<Row> storedBefore() {
    return spark()
        .createDataFrame(
            List.of(
                AssignmentTest.stored(
                    "Q3", "stalled_lead:L7", "holdout", "0.5", false, true, "2026-08-30"),
                // replaced by the run's own rows of 09-06, in which Q4 is no member
                AssignmentTest.stored(
                    "Q4", "stalled_lead:L1", "holdout", "0.1", false, true, "2026-09-06")),
            Entries.SCHEMA);
  }

  static Cutoff cutoff(String asOf) {
    return new Cutoff(LocalDate.parse(asOf), ZoneId.of("UTC"));
  }

  @Test
  void chainsOfEntriesAcrossThePlanAsWorkedOutByHand() {
    Dataset<Row> stacked = null;
    for (String d : AS_OFS) {
      Dataset<Row> m =
          spark()
              .createDataFrame(members(d), AssignmentTest.MEMBER)
              .withColumn("as_of", lit(java.sql.Date.valueOf(d)));
      stacked = stacked == null ? m : stacked.unionByName(m);
    }
    List<Dataset<Row>> cached = new ArrayList<>();
    Dataset<Row> outside = storedBefore().where("as_of NOT IN ('2026-09-06')");
    Map<String, String> got =
        read(
            PlanAssignment.assign(
                stacked,
                outside,
                AS_OFS.size(),
                cutoff("2026-09-27"),
                AssignmentTest.CONFIG,
                cached));
    io.leadloop.common.spark.Cached.release(cached);

    Map<String, String> expected = new TreeMap<>();
    expected.put("2026-09-06 Q1", "holdout 0.5 routed"); // A1 0.320, dental is listed
    expected.put("2026-09-06 Q2", "holdout 0.5"); // L2 0.047; phone is not routed
    expected.put("2026-09-06 Q3", "holdout 0.5 routed"); // entered 08-30 (own draw 0.749)
    // A1 entered at 09-06, 7 days before: inherited (own draw 0.655)
    expected.put("2026-09-13 Q1", "holdout 0.5 inheriting routed");
    expected.put("2026-09-13 Q2", "holdout 0.5 routed"); // no routed row before: drawn
    // the stored 09-06 row (holdout 0.1) was replaced by the run's 09-06, without Q4: 0.864
    expected.put("2026-09-13 Q4", "treatment 0.5 routed");
    // the latest other entry is A2's (09-13), itself inherited from A1: a chain of two
    expected.put("2026-09-20 Q1", "holdout 0.5 inheriting routed");
    expected.put("2026-09-20 Q2", "holdout 0.5 routed"); // entered 09-13
    // A4 entered 09-20 as an inheriting episode: it keeps group and flag (a chain of three)
    expected.put("2026-09-27 Q1", "holdout 0.5 inheriting routed");
    assertThat(got).isEqualTo(expected);
  }

  @Test
  void equalsAssigningOneAsOfAfterAnother() {
    Dataset<Row> stored = storedBefore().where("as_of NOT IN ('2026-09-06')");
    Map<String, String> oneByOne = new TreeMap<>();
    Dataset<Row> stacked = null;
    for (String d : AS_OFS) {
      Dataset<Row> m = spark().createDataFrame(members(d), AssignmentTest.MEMBER);
      Dataset<Row> assigned =
          Assignment.assign(
                  m, stored.where("as_of < '" + d + "'"), cutoff(d), AssignmentTest.CONFIG)
              .withColumn("as_of", lit(java.sql.Date.valueOf(d)))
              .withColumn("run_id", lit("r"))
              .localCheckpoint();
      oneByOne.putAll(read(assigned));
      stored = stored.unionByName(assigned.selectExpr(Entries.SCHEMA.fieldNames()));
      Dataset<Row> s = m.withColumn("as_of", lit(java.sql.Date.valueOf(d)));
      stacked = stacked == null ? s : stacked.unionByName(s);
    }
    List<Dataset<Row>> cached = new ArrayList<>();
    Map<String, String> planned =
        read(
            PlanAssignment.assign(
                stacked,
                storedBefore().where("as_of NOT IN ('2026-09-06')"),
                AS_OFS.size(),
                cutoff("2026-09-27"),
                AssignmentTest.CONFIG,
                cached));
    io.leadloop.common.spark.Cached.release(cached);
    assertThat(planned).hasSize(9).isEqualTo(oneByOne);
  }

  /** as-of and person -> group, share, flags. */
  static Map<String, String> read(Dataset<Row> assigned) {
    Map<String, String> got = new TreeMap<>();
    for (Row r :
        assigned
            .select("as_of", "person_id", "group", "holdout_share", "inheriting", "routed")
            .collectAsList()) {
      got.put(
          r.get(0) + " " + r.getString(1),
          r.getString(2)
              + " "
              + r.getDecimal(3).stripTrailingZeros().toPlainString()
              + (r.getBoolean(4) ? " inheriting" : "")
              + (r.getBoolean(5) ? " routed" : ""));
    }
    return got;
  }
}
