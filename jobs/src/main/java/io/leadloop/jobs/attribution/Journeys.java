package io.leadloop.jobs.attribution;

import static org.apache.spark.sql.functions.array_distinct;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.leadloop.common.metrics.AsOfs;
import io.leadloop.common.metrics.Cutoff;
import io.leadloop.common.schema.Vocabularies;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The journeys of metrics.md "markov", from the leads whose first booking window has passed ({@code
 * created_at + W <= c}): a lead with a conversion in {@code [created_at, created_at + W]} ends at
 * the earliest one, in {@code conversion}; a lead whose person has no conversion at all in that
 * window ends at {@code created_at + W}, in {@code null}; any other lead (its person was converted
 * through another lead) is no journey. The path: the person's touches (not bounced or failed) in
 * {@code [created_at - L, end]} naming this lead or no lead, by (occurred_at, touch_id); a journey
 * without touches is left out. Pure.
 */
public final class Journeys {
  private Journeys() {}

  /** One row per journey with touches: {@code lead_id}, {@code converted}, {@code path}. */
  public static Dataset<Row> paths(
      Dataset<Row> leads,
      Dataset<Row> appts,
      Dataset<Row> touches,
      Cutoff c,
      int windowDays,
      int lookbackDays) {
    Column w = Cutoff.days(windowDays);
    Dataset<Row> l =
        AsOfs.select(
                leads,
                col("lead_id").as("_l"),
                col("person_id").as("_lp"),
                Cutoff.micros(col("created_at")).as("_lc"))
            .where(col("_lc").plus(w).leq(AsOfs.cutoffMicros(leads, c)));
    Dataset<Row> conv =
        AsOfs.select(
            appts.where(col("is_conversion")),
            col("linked_lead_id").as("_cl"),
            col("person_id").as("_cp"),
            Cutoff.micros(col("booked_at")).as("_cb"));
    Column inWindow = col("_cb").geq(col("_lc")).and(col("_cb").leq(col("_lc").plus(w)));
    Column byLead = col("_l").equalTo(col("_cl")).and(inWindow);
    Dataset<Row> converting =
        AsOfs.groupBy(AsOfs.join(l, conv, byLead), "_l", "_lp", "_lc")
            .agg(min("_cb").as("_e"))
            .withColumn("converted", lit(true));
    Dataset<Row> notConverted =
        AsOfs.join(
                AsOfs.join(l, conv, col("_lp").equalTo(col("_cp")).and(inWindow), "left_anti"),
                conv,
                byLead,
                "left_anti")
            .withColumn("_e", col("_lc").plus(w))
            .withColumn("converted", lit(false));
    Dataset<Row> journeys = converting.unionByName(notConverted);
    Dataset<Row> t =
        AsOfs.select(
            touches.where(
                col("outcome").isin(Vocabularies.FAILED_OUTCOMES.toArray()).unary_$bang()),
            col("person_id").as("_tp"),
            col("lead_id").as("_tl"),
            Cutoff.micros(col("occurred_at")).as("_to"),
            col("touch_id").as("_tid"),
            col("channel").as("_ch"));
    Column on =
        col("_lp")
            .equalTo(col("_tp"))
            .and(col("_tl").isNull().or(col("_tl").equalTo(col("_l"))))
            .and(col("_to").geq(col("_lc").minus(Cutoff.days(lookbackDays))))
            .and(col("_to").leq(col("_e")));
    // sort_array orders the structs by their fields: occurred_at, then touch_id.
    Dataset<Row> grouped =
        AsOfs.groupBy(AsOfs.join(journeys, t, on), col("_l").as("lead_id"), col("converted"))
            .agg(sort_array(collect_list(struct(col("_to"), col("_tid"), col("_ch")))).as("_p"));
    return AsOfs.select(
        grouped, col("lead_id"), col("converted"), expr("transform(_p, x -> x._ch)").as("path"));
  }

  /**
   * The chain's transition counts ({@code from}, {@code to}, {@code transitions}): per path {@code
   * start → k1}, {@code k_i → k_(i+1)} and {@code kn → conversion | null}.
   */
  public static Dataset<Row> transitions(Dataset<Row> paths) {
    Column end =
        when(col("converted"), lit(RemovalEffects.CONVERSION)).otherwise(lit(RemovalEffects.NULL));
    Dataset<Row> steps =
        AsOfs.select(
            paths.withColumn("_end", end),
            explode(
                    expr(
                        "zip_with(concat(array('"
                            + RemovalEffects.START
                            + "'), path), concat(path, array(_end)),"
                            + " (a, b) -> named_struct('f', a, 't', b))"))
                .as("_t"));
    return AsOfs.select(
        AsOfs.groupBy(steps, col("_t.f").as("from"), col("_t.t").as("to"))
            .agg(count(lit(1)).as("transitions")),
        "from",
        "to",
        "transitions");
  }

  /**
   * Per channel of the chain: {@code paths} (journeys whose path holds it) and {@code conversions}
   * (the converting ones among them).
   */
  public static Dataset<Row> channels(Dataset<Row> paths) {
    Dataset<Row> channels =
        AsOfs.select(paths, explode(array_distinct(col("path"))).as("channel"), col("converted"));
    return AsOfs.groupBy(channels, "channel")
        .agg(count(lit(1)).as("paths"), sum(col("converted").cast("long")).as("conversions"));
  }
}
