package io.leadloop.jobs.outcomes;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.leadloop.common.metrics.AsOfs;
import io.leadloop.common.metrics.Contacts;
import io.leadloop.common.metrics.Cutoff;
import io.leadloop.common.metrics.Rates;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * outcomes.md's {@code segment_lift} (grain: segment × offer_code × holdout_share): the booking
 * rates of matured treatment and holdout episodes within {@code outcome_window_days} of their
 * entry, with Wilson intervals, their difference with Newcombe's hybrid score interval, and how
 * many of each arm were contacted. Pure.
 */
public final class SegmentLift {
  public static final String[] GRAIN = {"segment", "offer_code", "holdout_share"};

  /** The row over all offer codes of a segment and share. */
  public static final String ALL_OFFERS = "*";

  /** The column of an episode's entry as-of ({@code as_of} of its entry's stored row). */
  public static final String ENTERED_AS_OF = "entered_as_of";

  private SegmentLift() {}

  /**
   * The counted episodes: entered (in {@code stored}, the rows of as-ofs up to this run's), not
   * inheriting, and matured ({@code c_e + window <= c}); with {@code is_booked}, {@code
   * is_contacted} and {@value #ENTERED_AS_OF}, the as-of of the episode's entry.
   */
  public static Dataset<Row> episodes(
      Dataset<Row> stored,
      Dataset<Row> appointments,
      Dataset<Row> touches,
      Cutoff c,
      int windowDays) {
    return episodes(stored, appointments, touches, c, windowDays, null);
  }

  /**
   * {@link #episodes} of every as-of of {@code asOfs} ({@link AsOfs#table}) at once, when the
   * appointments and touches are stacked ({@link AsOfs}): each entry is paired with every as-of it
   * has matured by (so each as-of counts the entries of earlier as-ofs only: the window is at least
   * a day), and booked or contacted by that as-of's appointments and touches; with {@value
   * AsOfs#AS_OF}. {@code asOfs} null: of the one as-of of {@code c}.
   */
  public static Dataset<Row> episodes(
      Dataset<Row> stored,
      Dataset<Row> appointments,
      Dataset<Row> touches,
      Cutoff c,
      int windowDays,
      Dataset<Row> asOfs) {
    Column window = Cutoff.days(windowDays);
    Dataset<Row> entered =
        Entries.entries(stored)
            .withColumnRenamed(AsOfs.AS_OF, ENTERED_AS_OF)
            .where(col("inheriting").unary_$bang());
    Column matured = col("entry_at").plus(window);
    Dataset<Row> counted =
        asOfs == null
            ? entered.where(matured.leq(lit(c.micros())))
            : entered.join(broadcast(asOfs), matured.leq(AsOfs.cutoffMicros(col(AsOfs.AS_OF))));
    Column start = col("entry_at");
    Column end = col("entry_at").plus(window);
    Dataset<Row> bookings =
        AsOfs.select(
            appointments.where(col("is_qualifying").and(col("status").notEqual("cancelled"))),
            col("person_id").as("_p"),
            Cutoff.micros(col("booked_at")).as("_t"));
    Dataset<Row> contacts =
        AsOfs.select(
            touches.where(Contacts.isContact()),
            col("person_id").as("_p"),
            Cutoff.micros(col("occurred_at")).as("_t"));
    Column inWindow =
        col("person_id").equalTo(col("_p")).and(col("_t").geq(start)).and(col("_t").lt(end));
    Dataset<Row> booked =
        AsOfs.select(
            AsOfs.join(counted, bookings, inWindow, "left_semi"), col("episode_id").as("_b"));
    Dataset<Row> contacted =
        AsOfs.select(
            AsOfs.join(counted, contacts, inWindow, "left_semi"), col("episode_id").as("_k"));
    Dataset<Row> flagged =
        AsOfs.join(counted, booked, col("episode_id").equalTo(col("_b")), "left");
    return AsOfs.join(flagged, contacted, col("episode_id").equalTo(col("_k")), "left")
        .withColumn("is_booked", col("_b").isNotNull())
        .withColumn("is_contacted", col("_k").isNotNull())
        .drop("_b", "_k");
  }

  /** The mart from the counted episodes ({@link #episodes}): per as-of when they are stacked. */
  public static Dataset<Row> compute(Dataset<Row> episodes, int minStratumN) {
    Dataset<Row> byOffer = counts(episodes, col("offer_code"));
    Dataset<Row> all = counts(episodes, lit(ALL_OFFERS));
    return measures(byOffer.unionByName(all), minStratumN);
  }

  private static Dataset<Row> counts(Dataset<Row> episodes, Column offer) {
    Column t = col("group").equalTo(Assignment.TREATMENT);
    Column h = col("group").equalTo(Assignment.HOLDOUT);
    return AsOfs.groupBy(
            episodes.withColumn("offer_code", coalesce(offer.cast("string"), lit(""))),
            col("segment"),
            col("offer_code"),
            col("holdout_share"))
        .agg(
            countDistinct(col(ENTERED_AS_OF)).as("entry_runs"),
            count(t, lit(true)).as("treatment_episodes"),
            count(t, col("is_booked")).as("treatment_booked"),
            count(t, col("is_contacted")).as("treatment_contacted"),
            count(h, lit(true)).as("holdout_episodes"),
            count(h, col("is_booked")).as("holdout_booked"),
            count(h, col("is_contacted")).as("holdout_contacted"));
  }

  private static Column count(Column arm, Column flag) {
    return sum(when(arm.and(flag), 1L).otherwise(0L));
  }

  private static Dataset<Row> measures(Dataset<Row> counts, int minStratumN) {
    Column n1 = col("treatment_episodes");
    Column k1 = col("treatment_booked");
    Column n0 = col("holdout_episodes");
    Column k0 = col("holdout_booked");
    Column p1 = Rates.ratio(k1, n1);
    Column p0 = Rates.ratio(k0, n0);
    Column l1 = Rates.wilsonLowUnrounded(k1, n1);
    Column u1 = Rates.wilsonHighUnrounded(k1, n1);
    Column l0 = Rates.wilsonLowUnrounded(k0, n0);
    Column u0 = Rates.wilsonHighUnrounded(k0, n0);
    Column both = n1.gt(0).and(n0.gt(0));
    Column d = p1.minus(p0);
    // Newcombe's hybrid score interval, clamped to [-1, 1]; empty when an arm has no episodes
    Column low = d.minus(sqrt(pow(p1.minus(l1), 2).plus(pow(u0.minus(p0), 2))));
    Column high = d.plus(sqrt(pow(u1.minus(p1), 2).plus(pow(p0.minus(l0), 2))));
    return AsOfs.select(
        counts,
        col("segment"),
        col("offer_code"),
        col("holdout_share"),
        col("entry_runs"),
        n1,
        k1,
        Rates.rate(k1, n1).as("treatment_rate"),
        Rates.wilsonLow(k1, n1).as("treatment_ci_low"),
        Rates.wilsonHigh(k1, n1).as("treatment_ci_high"),
        col("treatment_contacted"),
        n0,
        k0,
        Rates.rate(k0, n0).as("holdout_rate"),
        Rates.wilsonLow(k0, n0).as("holdout_ci_low"),
        Rates.wilsonHigh(k0, n0).as("holdout_ci_high"),
        col("holdout_contacted"),
        Rates.round4(when(both, d)).as("lift"),
        Rates.round4(when(both, greatest(lit(-1.0), low))).as("lift_ci_low"),
        Rates.round4(when(both, least(lit(1.0), high))).as("lift_ci_high"),
        n1.geq(minStratumN).and(n0.geq(minStratumN)).as("eligible"));
  }
}
