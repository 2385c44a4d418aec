package io.leadloop.jobs.facts;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.date_trunc;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.to_date;

import io.leadloop.common.metrics.AsOfs;
import io.leadloop.common.metrics.Cutoff;
import io.leadloop.common.schema.Vocabularies;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Per-lead facts at a cutoff: cohort, recycles, first-cycle / from-recycled, stage, response. */
public final class LeadFacts {
  private LeadFacts() {}

  /** ISO week (Monday) of an instant in the session (= pipeline) time zone. */
  public static Column week(Column ts) {
    return to_date(date_trunc("week", ts));
  }

  public static Column month(Column ts) {
    return date_format(ts, "yyyy-MM");
  }

  /** Recycle events of leads that exist at c: lead_id, event_id, occurred_at, reason. */
  public static Dataset<Row> recycles(Dataset<Row> events, Dataset<Row> leads) {
    return events
        .where(col("stage").equalTo("recycled"))
        .transform(e -> AsOfs.joinUsing(e, AsOfs.select(leads, "lead_id"), "inner", "lead_id"))
        .transform(e -> AsOfs.select(e, "lead_id", "event_id", "occurred_at", "reason"));
  }

  /** Per lead: first_recycled_at (t_r), cycles. */
  public static Dataset<Row> leadRecycles(Dataset<Row> recycles) {
    return AsOfs.groupBy(recycles, "lead_id")
        .agg(min("occurred_at").as("first_recycled_at"), count(lit(1)).as("cycles"));
  }

  /** The first response of each lead (metrics.md speed_to_lead): lead_id, first_response_at. */
  public static Dataset<Row> firstResponses(Dataset<Row> leads, Dataset<Row> touches) {
    Dataset<Row> t =
        touches
            .where(col("direction").equalTo("outbound"))
            .where(col("channel").isin(Vocabularies.RESPONSE_CHANNELS.toArray()))
            .where(col("outcome").isin(Vocabularies.FAILED_OUTCOMES.toArray()).unary_$bang())
            .transform(
                d ->
                    AsOfs.select(
                        d,
                        col("lead_id").as("_tl"),
                        col("person_id").as("_tp"),
                        col("occurred_at").as("_to")));
    Dataset<Row> l = AsOfs.select(leads, col("lead_id"), col("person_id"), col("created_at"));
    Dataset<Row> byLead =
        AsOfs.join(l, t, col("lead_id").equalTo(col("_tl")).and(col("_to").geq(col("created_at"))));
    Dataset<Row> byPerson =
        AsOfs.join(
            l,
            t.where(col("_tl").isNull()),
            col("person_id").equalTo(col("_tp")).and(col("_to").geq(col("created_at"))));
    Dataset<Row> both =
        AsOfs.select(byLead, "lead_id", "_to").union(AsOfs.select(byPerson, "lead_id", "_to"));
    return AsOfs.groupBy(both, "lead_id").agg(min("_to").as("first_response_at"));
  }

  public static Dataset<Row> build(
      Dataset<Row> leads,
      Dataset<Row> events,
      Dataset<Row> leadRecycles,
      Dataset<Row> recycles,
      Dataset<Row> appointmentFacts,
      Dataset<Row> firstResponses) {
    Dataset<Row> linked = appointmentFacts.where(col("linked_lead_id").isNotNull());
    Dataset<Row> booked =
        AsOfs.groupBy(linked, col("linked_lead_id").as("_bl"))
            .agg(
                max(col("is_first_cycle_booking").cast("int")).as("_fc"),
                max(col("is_booked_from_recycled").cast("int")).as("_fr"),
                max(col("is_qualifying").cast("int")).as("_q"));
    var stageWindow =
        AsOfs.window(events, "lead_id").orderBy(col("occurred_at").desc(), col("event_id").desc());
    Dataset<Row> latestStage =
        events
            .withColumn("_rn", row_number().over(stageWindow))
            .where(col("_rn").equalTo(1))
            .transform(
                d -> AsOfs.select(d, col("lead_id").as("_sl"), col("stage").as("latest_stage")));
    Dataset<Row> latestRecycle =
        recycles
            .withColumn("_rn", row_number().over(stageWindow))
            .where(col("_rn").equalTo(1))
            .transform(
                d ->
                    AsOfs.select(
                        d, col("lead_id").as("_rrl"), col("reason").as("latest_recycle_reason")));
    Dataset<Row> out =
        leads
            .withColumn("cohort_week", week(col("created_at")))
            .withColumn("cohort_month", month(col("created_at")))
            .transform(d -> AsOfs.joinUsing(d, leadRecycles, "left", "lead_id"))
            .withColumn("cycles", coalesce(col("cycles"), lit(0L)))
            .withColumn("is_recycled", col("cycles").gt(0));
    out =
        AsOfs.join(out, booked, col("lead_id").equalTo(col("_bl")), "left")
            .withColumn("is_booked_first_cycle", coalesce(col("_fc"), lit(0)).equalTo(1))
            .withColumn(
                "is_booked_from_recycled",
                col("is_recycled").and(coalesce(col("_fr"), lit(0)).equalTo(1)))
            .withColumn("has_qualifying_booking", coalesce(col("_q"), lit(0)).equalTo(1))
            .drop("_bl", "_fc", "_fr", "_q");
    out = AsOfs.join(out, latestStage, col("lead_id").equalTo(col("_sl")), "left").drop("_sl");
    out = AsOfs.join(out, latestRecycle, col("lead_id").equalTo(col("_rrl")), "left").drop("_rrl");
    return AsOfs.last(
        AsOfs.joinUsing(out, firstResponses, "left", "lead_id")
            .withColumn(
                "response_micros",
                Cutoff.micros(col("first_response_at")).minus(Cutoff.micros(col("created_at")))));
  }
}
