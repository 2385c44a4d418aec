package io.leadloop.jobs.attribution;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.leadloop.common.metrics.AsOfs;
import io.leadloop.common.metrics.Cutoff;
import io.leadloop.common.metrics.Rates;
import io.leadloop.common.schema.Vocabularies;
import io.leadloop.jobs.facts.LeadFacts;
import java.math.BigDecimal;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * metrics.md attribution — grain: booking_week × model × channel. Each conversion (a qualifying
 * booking linked to a lead, not cancelled) is split over the same person's touches in {@code
 * [booked_at - L, booked_at]} (not bounced or failed), ordered by (occurred_at, touch_id), by five
 * models; a conversion with no touch goes to channel {@code none}. The join is a range join by
 * person bounded by the lookback; credits are computed per touch with window functions (no
 * per-booking loop on the driver). Pure.
 */
public final class Attribution {
  public static final String[] MODELS = {
    "first_touch", "last_touch", "linear", "position_based", "time_decay"
  };
  public static final String[] COLUMNS = {"booking_week", "model", "channel", "bookings_credited"};
  public static final String[] CAMPAIGN_COLUMNS = {
    "booking_week", "model", "channel", "campaign", "bookings_credited"
  };

  private Attribution() {}

  /** One row per (conversion, model, touch) with its unrounded credit; touchless → none. */
  public static Dataset<Row> credits(
      Dataset<Row> appts, Dataset<Row> touches, int lookbackDays, BigDecimal halfLifeDays) {
    Dataset<Row> conv =
        AsOfs.select(
            appts.where(col("is_conversion")),
            col("appointment_id").as("_aid"),
            col("person_id").as("_ap"),
            col("booked_at").as("_b"));
    Dataset<Row> t =
        AsOfs.select(
            touches.where(
                col("outcome").isin(Vocabularies.FAILED_OUTCOMES.toArray()).unary_$bang()),
            col("touch_id"),
            col("person_id").as("_tp"),
            col("occurred_at"),
            col("channel"),
            col("campaign"));
    Column b = Cutoff.micros(col("_b"));
    Column o = Cutoff.micros(col("occurred_at"));
    Dataset<Row> joined =
        AsOfs.join(
            conv,
            t,
            col("_ap")
                .equalTo(col("_tp"))
                .and(col("occurred_at").leq(col("_b")))
                .and(o.geq(b.minus(Cutoff.days(lookbackDays)))),
            "left");
    var ordered = AsOfs.window(joined, "_aid").orderBy(col("occurred_at"), col("touch_id"));
    var all = AsOfs.window(joined, "_aid");
    double halfLifeMicros = halfLifeDays.doubleValue() * Cutoff.MICROS_PER_DAY;
    Dataset<Row> w =
        joined
            .withColumn("_i", row_number().over(ordered))
            .withColumn("_n", count(col("touch_id")).over(all))
            .withColumn("_decay", pow(lit(2.0), b.minus(o).cast("double").divide(-halfLifeMicros)))
            .withColumn("_decay_sum", sum(col("_decay")).over(all));
    Column i = col("_i");
    Column n = col("_n");
    Column none = n.equalTo(0);
    Column first = when(none, 1.0).otherwise(when(i.equalTo(1), 1.0).otherwise(0.0));
    Column last = when(none, 1.0).otherwise(when(i.equalTo(n), 1.0).otherwise(0.0));
    Column linear = when(none, 1.0).otherwise(lit(1.0).divide(n.cast("double")));
    Column position =
        when(none.or(n.equalTo(1)), 1.0)
            .when(n.equalTo(2), 0.5)
            .when(i.equalTo(1).or(i.equalTo(n)), 0.4)
            .otherwise(lit(0.2).divide(n.minus(2).cast("double")));
    Column decay = when(none, 1.0).otherwise(col("_decay").divide(col("_decay_sum")));
    Column[] credit = {first, last, linear, position, decay};
    // One row per touch carries the five models' credits, exploded once: the join and the
    // windows above are computed once, not once per model as a union of five selects would.
    Column[] perModel = new Column[MODELS.length];
    for (int m = 0; m < MODELS.length; m++) {
      perModel[m] = struct(lit(MODELS[m]).as("model"), credit[m].as("credit"));
    }
    Dataset<Row> exploded =
        AsOfs.select(
            w,
            col("_aid").as("appointment_id"),
            LeadFacts.week(col("_b")).as("booking_week"),
            coalesce(col("channel"), lit("none")).as("channel"),
            col("campaign"),
            col("touch_id"),
            explode(array(perModel)).as("_m"));
    return AsOfs.select(
        exploded,
        col("appointment_id"),
        col("booking_week"),
        col("_m.model").as("model"),
        col("channel"),
        col("campaign"),
        col("touch_id"),
        col("_m.credit").as("credit"));
  }

  public static Dataset<Row> byChannel(Dataset<Row> credits) {
    return AsOfs.select(
        AsOfs.groupBy(credits, "booking_week", "model", "channel")
            .agg(sum("credit").as("_credit"))
            .where(col("_credit").gt(0))
            .withColumn("bookings_credited", Rates.round4(col("_credit"))),
        COLUMNS);
  }

  /**
   * By campaign as well (the touch's campaign; empty for touches without one and for {@code none}).
   * Same credits, finer grain: summing over campaign gives {@link #byChannel} before rounding.
   */
  public static Dataset<Row> byCampaign(Dataset<Row> credits) {
    return AsOfs.select(
        AsOfs.groupBy(credits, "booking_week", "model", "channel", "campaign")
            .agg(sum("credit").as("_credit"))
            .where(col("_credit").gt(0))
            .withColumn("bookings_credited", Rates.round4(col("_credit"))),
        CAMPAIGN_COLUMNS);
  }
}
