package io.leadloop.jobs.metrics;

import static org.apache.spark.sql.functions.add_months;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;

import io.leadloop.common.metrics.Cutoff;
import io.leadloop.common.metrics.Rates;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * metrics.md cohort_comparison (cohort_month × source × service_line, Wilson intervals) and its
 * summary (Mantel–Haenszel risk difference over eligible strata, per source and {@code *}). Pure.
 */
public final class CohortComparison {
  public static final String[] COLUMNS = {
    "cohort_month",
    "source",
    "service_line",
    "new_leads",
    "new_booked",
    "new_rate",
    "new_ci_low",
    "new_ci_high",
    "recycled_leads",
    "recycled_booked",
    "recycled_rate",
    "recycled_ci_low",
    "recycled_ci_high",
    "rate_diff",
    "matured",
    "eligible"
  };
  public static final String[] SUMMARY_COLUMNS = {
    "source", "strata", "new_leads", "recycled_leads", "mh_rate_diff"
  };

  private CohortComparison() {}

  /** Strata with unrounded p0/p1 kept in {@code _p0}, {@code _p1} for the summary. */
  public static Dataset<Row> strata(Dataset<Row> leads, Cutoff c, int windowDays, int minStratumN) {
    Dataset<Row> counts =
        leads
            .groupBy("cohort_month", "source", "service_line")
            .agg(
                count(lit(1)).as("new_leads"),
                CohortFunnel.countIf(col("is_booked_first_cycle")).as("new_booked"),
                CohortFunnel.countIf(col("is_recycled")).as("recycled_leads"),
                CohortFunnel.countIf(col("is_booked_from_recycled")).as("recycled_booked"));
    return ratios(counts)
        .withColumn("new_rate", Rates.rate(col("new_booked"), col("new_leads")))
        .withColumn("new_ci_low", Rates.wilsonLow(col("new_booked"), col("new_leads")))
        .withColumn("new_ci_high", Rates.wilsonHigh(col("new_booked"), col("new_leads")))
        .withColumn("recycled_rate", Rates.rate(col("recycled_booked"), col("recycled_leads")))
        .withColumn(
            "recycled_ci_low", Rates.wilsonLow(col("recycled_booked"), col("recycled_leads")))
        .withColumn(
            "recycled_ci_high", Rates.wilsonHigh(col("recycled_booked"), col("recycled_leads")))
        .withColumn("rate_diff", Rates.round4(col("_p1").minus(col("_p0"))))
        .withColumn("matured", maturesAt(windowDays).leq(lit(c.micros())))
        .withColumn(
            "eligible",
            col("matured")
                .and(col("new_leads").geq(minStratumN))
                .and(col("recycled_leads").geq(minStratumN)));
  }

  /** The unrounded rates {@code _p0}, {@code _p1} of a stratum's counts (the summary's inputs). */
  static Dataset<Row> ratios(Dataset<Row> strata) {
    return strata
        .withColumn("_p0", Rates.ratio(col("new_booked"), col("new_leads")))
        .withColumn("_p1", Rates.ratio(col("recycled_booked"), col("recycled_leads")));
  }

  /** When a stratum matures (micros): the month after its cohort month, plus W days. */
  static Column maturesAt(int windowDays) {
    Column nextMonth = add_months(to_date(concat(col("cohort_month"), lit("-01"))), 1);
    return Cutoff.midnightMicros(nextMonth).plus(Cutoff.days(windowDays));
  }

  public static Dataset<Row> compute(Dataset<Row> strata) {
    return strata.selectExpr(COLUMNS);
  }

  public static Dataset<Row> summary(Dataset<Row> strata) {
    Dataset<Row> e =
        strata
            .where(col("eligible"))
            .withColumn(
                "_w",
                col("recycled_leads")
                    .cast("double")
                    .multiply(col("new_leads").cast("double"))
                    .divide(col("recycled_leads").plus(col("new_leads")).cast("double")))
            .withColumn("_num", col("_w").multiply(col("_p1").minus(col("_p0"))));
    Column[] aggs = {
      count(lit(1)).as("strata"),
      sum("new_leads").as("new_leads"),
      sum("recycled_leads").as("recycled_leads"),
      sum("_num").as("_num"),
      sum("_w").as("_den")
    };
    Dataset<Row> perSource =
        e.groupBy("source").agg(aggs[0], java.util.Arrays.copyOfRange(aggs, 1, aggs.length));
    Dataset<Row> all =
        e.agg(aggs[0], java.util.Arrays.copyOfRange(aggs, 1, aggs.length))
            .withColumn("source", lit("*"));
    return perSource
        .unionByName(all)
        .withColumn("new_leads", coalesce(col("new_leads"), lit(0L)))
        .withColumn("recycled_leads", coalesce(col("recycled_leads"), lit(0L)))
        .withColumn("mh_rate_diff", Rates.round4(col("_num").divide(col("_den"))))
        .selectExpr(SUMMARY_COLUMNS);
  }
}
