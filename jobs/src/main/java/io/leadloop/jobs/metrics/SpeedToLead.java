package io.leadloop.jobs.metrics;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.leadloop.common.metrics.AsOfs;
import io.leadloop.common.metrics.Cutoff;
import io.leadloop.common.metrics.Lookups;
import io.leadloop.common.metrics.Rates;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * metrics.md speed_to_lead — grain: cohort_week × source × inquiry_channel. Nearest-rank
 * percentiles: the value at rank {@code ceil(p·n)} (integer arithmetic, no float rank error),
 * minutes rounded half-up to 1 decimal (decimal arithmetic). Pure.
 */
public final class SpeedToLead {
  public static final String[] COLUMNS = {
    "cohort_week",
    "source",
    "inquiry_channel",
    "leads",
    "touched",
    "median_minutes",
    "p90_minutes",
    "sla_due",
    "within_sla",
    "sla_rate"
  };

  /**
   * {@link #totals}' columns: the totals' grain, the summed counts with the SLA rate, and the SLA
   * of the inquiry channel (on the rows by inquiry channel).
   */
  public static final String[] TOTALS_COLUMNS = {
    "dimension", "value", "leads", "touched", "sla_due", "within_sla", "sla_rate", "sla_minutes"
  };

  private static final long MICROS_PER_MINUTE = 60_000_000L;

  private SpeedToLead() {}

  public static Dataset<Row> compute(
      Dataset<Row> leads, Cutoff c, Map<String, Integer> slaMinutes) {
    Column slaMicros = slaMicros(slaMinutes);
    Column due = dueAt(slaMinutes).leq(AsOfs.cutoffMicros(leads, c));
    Column within =
        due.and(col("response_micros").isNotNull()).and(col("response_micros").leq(slaMicros));
    Dataset<Row> flagged = leads.withColumn("_due", due).withColumn("_within", within);
    Dataset<Row> g =
        AsOfs.groupBy(flagged, "cohort_week", "source", "inquiry_channel")
            .agg(
                count(lit(1)).as("leads"),
                count(col("response_micros")).as("touched"),
                array_sort(collect_list(col("response_micros"))).as("_times"),
                CohortFunnel.countIf(col("_due")).as("sla_due"),
                CohortFunnel.countIf(col("_within")).as("within_sla"));
    Column n = size(col("_times"));
    Column medianRank = n.plus(1).divide(2).cast("int"); // ceil(n / 2)
    Column p90Rank = n.multiply(9).plus(9).divide(10).cast("int"); // ceil(9n / 10)
    return AsOfs.select(
        g.withColumn(
                "median_minutes", minutes(when(n.gt(0), element_at(col("_times"), medianRank))))
            .withColumn("p90_minutes", minutes(when(n.gt(0), element_at(col("_times"), p90Rank))))
            .withColumn("sla_rate", Rates.rate(col("within_sla"), col("sla_due"))),
        COLUMNS);
  }

  /**
   * {@code mart_speed_to_lead_totals}: the counts summed by cohort week, by source, by inquiry
   * channel and over every row ({@link Totals#over}), with {@code sla_rate} recomputed from the
   * sums by the same rule as a grain row's, and {@code sla_minutes}, the run's SLA of the channel,
   * on the rows by inquiry channel. Percentiles cannot be summed: they are not here.
   *
   * @param speed rows of {@link #compute} (the stored mart of one as-of)
   */
  public static Dataset<Row> totals(Dataset<Row> speed, Map<String, Integer> slaMinutes) {
    List<Column> sums = new ArrayList<>();
    for (String k : new String[] {"leads", "touched", "sla_due", "within_sla"}) {
      sums.add(sum(col(k)).as(k));
    }
    Column channel = when(col("dimension").equalTo("inquiry_channel"), col("value"));
    return AsOfs.select(
        Totals.over(speed, new String[] {"cohort_week", "source", "inquiry_channel"}, sums)
            .withColumn("sla_rate", Rates.rate(col("within_sla"), col("sla_due")))
            .withColumn("sla_minutes", Lookups.lookup(slaMinutes, channel)),
        TOTALS_COLUMNS);
  }

  /** A lead's SLA in microseconds, by its inquiry channel. */
  private static Column slaMicros(Map<String, Integer> slaMinutes) {
    return Lookups.lookup(slaMinutes, col("inquiry_channel"))
        .cast("long")
        .multiply(MICROS_PER_MINUTE);
  }

  /** When a lead's SLA is due (micros): {@code created_at} plus its channel's SLA. */
  static Column dueAt(Map<String, Integer> slaMinutes) {
    return Cutoff.micros(col("created_at")).plus(slaMicros(slaMinutes));
  }

  private static Column minutes(Column micros) {
    return round(
            micros.cast("decimal(20,0)").divide(lit(MICROS_PER_MINUTE).cast("decimal(20,0)")), 1)
        .cast("decimal(20,1)");
  }
}
