package io.leadloop.jobs.metrics;

import static org.apache.spark.sql.functions.add_months;
import static org.apache.spark.sql.functions.bool_and;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;

import io.leadloop.common.metrics.AsOfs;
import io.leadloop.common.metrics.Cutoff;
import io.leadloop.common.metrics.Rates;
import java.util.List;
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

  /**
   * {@link #totals}' columns: the totals' grain, the strata pooled, the strata's columns after
   * their grain (not {@code eligible}: no pooled figure has a minimum) and {@code mh_rate_diff}.
   */
  public static final String[] TOTALS_COLUMNS =
      Totals.columns(
          Totals.COHORTS_GRAIN,
          "strata",
          COLUMNS,
          new String[] {"cohort_month", "source", "service_line", "eligible"},
          "mh_rate_diff");

  public static final String[] SUMMARY_COLUMNS = {
    "source", "strata", "new_leads", "recycled_leads", "mh_rate_diff"
  };

  private CohortComparison() {}

  /** Strata with unrounded p0/p1 kept in {@code _p0}, {@code _p1} for the summary. */
  public static Dataset<Row> strata(Dataset<Row> leads, Cutoff c, int windowDays, int minStratumN) {
    Dataset<Row> counts =
        AsOfs.groupBy(leads, "cohort_month", "source", "service_line")
            .agg(
                count(lit(1)).as("new_leads"),
                CohortFunnel.countIf(col("is_booked_first_cycle")).as("new_booked"),
                CohortFunnel.countIf(col("is_recycled")).as("recycled_leads"),
                CohortFunnel.countIf(col("is_booked_from_recycled")).as("recycled_booked"));
    return arms(ratios(counts))
        .withColumn("matured", maturesAt(windowDays).leq(AsOfs.cutoffMicros(counts, c)))
        .withColumn(
            "eligible",
            col("matured")
                .and(col("new_leads").geq(minStratumN))
                .and(col("recycled_leads").geq(minStratumN)));
  }

  /**
   * Both arms' rates with their Wilson intervals and the difference recycled − new, from the counts
   * and the unrounded rates of {@link #ratios} (a stratum's, or the sums of {@link #totals}).
   */
  private static Dataset<Row> arms(Dataset<Row> counts) {
    return counts
        .withColumn("new_rate", Rates.rate(col("new_booked"), col("new_leads")))
        .withColumn("new_ci_low", Rates.wilsonLow(col("new_booked"), col("new_leads")))
        .withColumn("new_ci_high", Rates.wilsonHigh(col("new_booked"), col("new_leads")))
        .withColumn("recycled_rate", Rates.rate(col("recycled_booked"), col("recycled_leads")))
        .withColumn(
            "recycled_ci_low", Rates.wilsonLow(col("recycled_booked"), col("recycled_leads")))
        .withColumn(
            "recycled_ci_high", Rates.wilsonHigh(col("recycled_booked"), col("recycled_leads")))
        .withColumn("rate_diff", Rates.round4(col("_p1").minus(col("_p0"))));
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
    return AsOfs.select(strata, COLUMNS);
  }

  /** The summary of one as-of's strata ({@code strata} not stacked). */
  public static Dataset<Row> summary(Dataset<Row> strata) {
    return summary(strata, null);
  }

  /**
   * The summary of the strata: per source over the eligible strata, and {@code *} over all of them.
   * Every as-of has its {@code *} row, eligible strata or not: of stacked strata, every as-of of
   * {@code asOfs} (one column {@value AsOfs#AS_OF}; null when {@code strata} is one as-of's).
   */
  public static Dataset<Row> summary(Dataset<Row> strata, Dataset<Row> asOfs) {
    Dataset<Row> e =
        strata.where(col("eligible")).withColumn("_w", mhWeight()).withColumn("_num", mhTerm());
    Column[] aggs = {
      count(lit(1)).as("strata"),
      sum("new_leads").as("new_leads"),
      sum("recycled_leads").as("recycled_leads"),
      sum("_num").as("_num"),
      sum("_w").as("_den")
    };
    Column[] rest = java.util.Arrays.copyOfRange(aggs, 1, aggs.length);
    Dataset<Row> perSource = AsOfs.groupBy(e, "source").agg(aggs[0], rest);
    // Over no eligible stratum, one row all the same (strata 0): a global aggregate for one
    // as-of, the as-ofs without any joined to nothing for many.
    Dataset<Row> all =
        asOfs == null
            ? e.agg(aggs[0], rest)
            : asOfs
                .join(
                    AsOfs.groupBy(e, new String[0]).agg(aggs[0], rest), using(AsOfs.AS_OF), "left")
                .withColumn("strata", coalesce(col("strata"), lit(0L)));
    return AsOfs.select(
        perSource
            .unionByName(all.withColumn("source", lit("*")))
            .withColumn("new_leads", coalesce(col("new_leads"), lit(0L)))
            .withColumn("recycled_leads", coalesce(col("recycled_leads"), lit(0L)))
            .withColumn("mh_rate_diff", mhRateDiff(col("_num"), col("_den"))),
        SUMMARY_COLUMNS);
  }

  private static scala.collection.immutable.Seq<String> using(String col) {
    return CohortFunnel.using(col);
  }

  /**
   * {@code mart_cohort_comparison_totals}: the strata pooled by cohort month, by source, by service
   * line and over all strata ({@link Totals#byCohorts}: over every stratum and over the matured
   * ones): {@code strata} pooled, both arms' summed counts with their rates, Wilson intervals and
   * the crude difference {@code rate_diff} of the pooled rates, and {@code mh_rate_diff}, the
   * Mantel–Haenszel difference over the pooled strata (the summary's estimator; a stratum without
   * recycled leads weighs 0). {@code matured}: every pooled stratum matured. Not a figure of
   * metrics.md: the summary's is over the eligible strata only; these say which way the arms lean
   * before enough strata are eligible, and how wide the pooled intervals are.
   *
   * @param comparison rows of {@link #compute} (the stored mart of one as-of)
   */
  public static Dataset<Row> totals(Dataset<Row> comparison) {
    Dataset<Row> s = ratios(comparison);
    List<Column> sums =
        List.of(
            count(lit(1)).as("strata"),
            sum("new_leads").as("new_leads"),
            sum("new_booked").as("new_booked"),
            sum("recycled_leads").as("recycled_leads"),
            sum("recycled_booked").as("recycled_booked"),
            sum(mhTerm()).as("_num"),
            sum(mhWeight()).as("_den"),
            bool_and(col("matured")).as("matured"));
    Dataset<Row> pooled =
        Totals.byCohorts(s, new String[] {"cohort_month", "source", "service_line"}, sums);
    return AsOfs.select(
        arms(ratios(pooled)).withColumn("mh_rate_diff", mhRateDiff(col("_num"), col("_den"))),
        TOTALS_COLUMNS);
  }

  /**
   * A stratum's Mantel–Haenszel weight {@code w = n1·n0 / (n1 + n0)} (1: the recycled arm, 0: the
   * new arm).
   */
  private static Column mhWeight() {
    return col("recycled_leads")
        .cast("double")
        .multiply(col("new_leads").cast("double"))
        .divide(col("recycled_leads").plus(col("new_leads")).cast("double"));
  }

  /** A stratum's {@code w·(p1 − p0)} ({@link #ratios}' unrounded rates). */
  private static Column mhTerm() {
    return mhWeight().multiply(col("_p1").minus(col("_p0")));
  }

  /** {@code Σ w(p1 − p0) / Σ w}, rounded like a rate; empty when no weight. */
  private static Column mhRateDiff(Column weighted, Column weights) {
    return Rates.round4(when(weights.gt(0), weighted.divide(weights)));
  }
}
