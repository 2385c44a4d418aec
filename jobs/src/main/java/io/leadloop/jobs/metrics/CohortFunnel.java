package io.leadloop.jobs.metrics;

import static org.apache.spark.sql.functions.bool_and;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import io.leadloop.common.metrics.AsOfs;
import io.leadloop.common.metrics.Cutoff;
import io.leadloop.common.metrics.Rates;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** metrics.md cohort_funnel — grain: cohort_week × source × service_line. Pure. */
public final class CohortFunnel {
  public static final String[] GRAIN = {"cohort_week", "source", "service_line"};
  public static final String[] COLUMNS = {
    "cohort_week",
    "source",
    "service_line",
    "leads",
    "recycled_leads",
    "recycle_rate",
    "booked_first_cycle",
    "first_cycle_booking_rate",
    "booked_from_recycled",
    "booked_from_recycled_rate",
    "resolved_new",
    "kept_new",
    "kept_rate_new",
    "resolved_recycled",
    "kept_recycled",
    "kept_rate_recycled",
    "appointments_unresolved",
    "matured"
  };

  /** The counts of a grain row, summed by {@link #totals}. */
  private static final String[] COUNTS = {
    "leads",
    "recycled_leads",
    "booked_first_cycle",
    "booked_from_recycled",
    "resolved_new",
    "kept_new",
    "resolved_recycled",
    "kept_recycled",
    "appointments_unresolved"
  };

  /**
   * {@link #totals}' columns: the totals' grain, the weeks summed, the funnel's after its grain.
   */
  public static final String[] TOTALS_COLUMNS =
      Totals.columns(Totals.COHORTS_GRAIN, "cohort_weeks", COLUMNS, GRAIN);

  private CohortFunnel() {}

  /** Column names for a USING join. */
  static scala.collection.immutable.Seq<String> using(String... cols) {
    return scala.jdk.javaapi.CollectionConverters.asScala(java.util.List.of(cols)).toList();
  }

  static Column countIf(Column cond) {
    return sum(cond.cast("long"));
  }

  public static Dataset<Row> compute(
      Dataset<Row> leads, Dataset<Row> appts, Cutoff c, int windowDays) {
    Dataset<Row> byLead =
        AsOfs.groupBy(leads, GRAIN)
            .agg(
                count(lit(1)).as("leads"),
                countIf(col("is_recycled")).as("recycled_leads"),
                countIf(col("is_booked_first_cycle")).as("booked_first_cycle"),
                countIf(col("is_booked_from_recycled")).as("booked_from_recycled"));
    Dataset<Row> a =
        AsOfs.join(
                appts.where(col("linked_lead_id").isNotNull()),
                AsOfs.select(
                    leads,
                    col("lead_id").as("_l"),
                    col("cohort_week"),
                    col("source"),
                    col("service_line").as("_sl")),
                col("linked_lead_id").equalTo(col("_l")))
            .drop("service_line")
            .withColumnRenamed("_sl", "service_line");
    Column recycled = col("is_recycled_booking");
    Dataset<Row> byAppt =
        AsOfs.groupBy(a, GRAIN)
            .agg(
                countIf(col("is_resolved").and(recycled.unary_$bang())).as("resolved_new"),
                countIf(col("is_kept").and(recycled.unary_$bang())).as("kept_new"),
                countIf(col("is_resolved").and(recycled)).as("resolved_recycled"),
                countIf(col("is_kept").and(recycled)).as("kept_recycled"),
                countIf(col("is_unresolved")).as("appointments_unresolved"));
    Dataset<Row> j = AsOfs.joinUsing(byLead, byAppt, "left", GRAIN);
    for (String k :
        new String[] {
          "resolved_new",
          "kept_new",
          "resolved_recycled",
          "kept_recycled",
          "appointments_unresolved"
        }) {
      j = j.withColumn(k, coalesce(col(k), lit(0L)));
    }
    return AsOfs.select(
        rates(j).withColumn("matured", maturesAt(windowDays).leq(AsOfs.cutoffMicros(j, c))),
        COLUMNS);
  }

  /** The funnel's rates, from its counts (a grain row's, or the sums of {@link #totals}). */
  private static Dataset<Row> rates(Dataset<Row> counts) {
    return counts
        .withColumn("recycle_rate", Rates.rate(col("recycled_leads"), col("leads")))
        .withColumn("first_cycle_booking_rate", Rates.rate(col("booked_first_cycle"), col("leads")))
        .withColumn(
            "booked_from_recycled_rate",
            Rates.rate(col("booked_from_recycled"), col("recycled_leads")))
        .withColumn("kept_rate_new", Rates.rate(col("kept_new"), col("resolved_new")))
        .withColumn(
            "kept_rate_recycled", Rates.rate(col("kept_recycled"), col("resolved_recycled")));
  }

  /**
   * {@code mart_cohort_funnel_totals}: the funnel's counts summed by cohort week, by source, by
   * service line and over every row ({@link Totals#byCohorts}: over all cohort weeks and over the
   * matured ones), with the rates recomputed from the sums by the same rule as a grain row's;
   * {@code cohort_weeks} counts the weeks summed, {@code matured} is true when every one of them
   * matured.
   *
   * @param funnel rows of {@link #compute} (the stored mart of one as-of)
   */
  public static Dataset<Row> totals(Dataset<Row> funnel) {
    List<Column> sums = new ArrayList<>();
    sums.add(countDistinct(col("cohort_week")).as("cohort_weeks"));
    for (String k : COUNTS) {
      sums.add(sum(col(k)).as(k));
    }
    sums.add(bool_and(col("matured")).as("matured"));
    return AsOfs.select(rates(Totals.byCohorts(funnel, GRAIN, sums)), TOTALS_COLUMNS);
  }

  /**
   * When a cohort week matures (micros): its Monday + 7 days + W, the instant from which every lead
   * of the week had its whole first-cycle window; {@code matured} is this {@code <= c}.
   */
  static Column maturesAt(int windowDays) {
    return Cutoff.midnightMicros(col("cohort_week")).plus(Cutoff.days(7L + windowDays));
  }
}
