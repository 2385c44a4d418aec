package io.leadloop.jobs.facts;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.row_number;

import io.leadloop.common.metrics.AsOfs;
import io.leadloop.common.metrics.Cutoff;
import io.leadloop.common.schema.Vocabularies;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Per-appointment facts at a cutoff (metrics.md building blocks): the lead link, qualifying /
 * resolved / kept / unresolved, and the booking's cycle (first cycle, after recycle). Pure.
 */
public final class AppointmentFacts {
  private AppointmentFacts() {}

  /**
   * Links each appointment to a lead: (1) its {@code lead_id} when that lead exists at c; else (2)
   * the same person's lead with the greatest {@code created_at <= booked_at} (ties: greatest
   * lead_id), provided {@code booked_at - created_at <= horizonDays}; else unlinked (null).
   */
  public static Dataset<Row> link(Dataset<Row> appts, Dataset<Row> leads, int horizonDays) {
    Dataset<Row> ids = AsOfs.select(leads, col("lead_id").as("_direct"));
    Dataset<Row> a = AsOfs.join(appts, ids, col("lead_id").equalTo(col("_direct")), "left");
    Dataset<Row> cand =
        AsOfs.join(
            AsOfs.select(
                a.where(col("_direct").isNull()),
                col("appointment_id").as("_aid"),
                col("person_id").as("_pid"),
                col("booked_at").as("_b")),
            AsOfs.select(
                leads,
                col("person_id").as("_lp"),
                col("lead_id").as("_lid"),
                col("created_at").as("_lc")),
            col("_pid").equalTo(col("_lp")).and(col("_lc").leq(col("_b"))));
    var w = AsOfs.window(cand, "_aid").orderBy(col("_lc").desc(), col("_lid").desc());
    Dataset<Row> fallback =
        cand.withColumn("_rn", row_number().over(w))
            .where(col("_rn").equalTo(1))
            .where(
                Cutoff.micros(col("_b"))
                    .minus(Cutoff.micros(col("_lc")))
                    .leq(Cutoff.days(horizonDays)))
            .transform(d -> AsOfs.select(d, col("_aid"), col("_lid").as("_fallback")));
    return AsOfs.join(a, fallback, col("appointment_id").equalTo(col("_aid")), "left")
        .withColumn("linked_lead_id", coalesce(col("_direct"), col("_fallback")))
        .drop("_direct", "_aid", "_fallback");
  }

  /**
   * Adds status facts and cycle facts. {@code leadRecycles}: lead_id, first_recycled_at; {@code
   * recycles}: recycle events (lead_id, occurred_at) of leads existing at c.
   */
  public static Dataset<Row> build(
      Dataset<Row> linked,
      Dataset<Row> leads,
      Dataset<Row> leadRecycles,
      Dataset<Row> recycles,
      Cutoff c,
      int windowDays) {
    Column cut = AsOfs.cutoff(linked, c);
    Column status = col("status");
    Column qualifying = status.isin(Vocabularies.QUALIFYING.toArray());
    Column started = col("scheduled_start").isNotNull().and(col("scheduled_start").lt(cut));
    Dataset<Row> a =
        linked
            .withColumn("is_qualifying", qualifying)
            .withColumn(
                "is_resolved",
                qualifying
                    .and(started)
                    .and(
                        status
                            .isin(Vocabularies.KEPT.toArray())
                            .or(status.isin(Vocabularies.NOT_KEPT.toArray()))))
            .withColumn(
                "is_kept", qualifying.and(started).and(status.isin(Vocabularies.KEPT.toArray())))
            .withColumn("is_unresolved", status.equalTo("booked").and(started));
    Dataset<Row> l =
        AsOfs.select(leads, col("lead_id").as("_l"), col("created_at").as("lead_created_at"));
    a = AsOfs.join(a, l, col("linked_lead_id").equalTo(col("_l")), "left").drop("_l");
    Dataset<Row> r =
        AsOfs.select(
            leadRecycles,
            col("lead_id").as("_r"),
            col("first_recycled_at").as("lead_first_recycled_at"));
    a = AsOfs.join(a, r, col("linked_lead_id").equalTo(col("_r")), "left").drop("_r");
    // The booking's recycle: the lead's latest recycle at or before booked_at.
    Dataset<Row> bookings =
        AsOfs.select(
            a,
            col("appointment_id").as("_aid"),
            col("linked_lead_id").as("_al"),
            col("booked_at").as("_b"));
    Dataset<Row> rb =
        AsOfs.groupBy(
                AsOfs.join(
                    bookings,
                    AsOfs.select(recycles, col("lead_id").as("_rl"), col("occurred_at").as("_ro")),
                    col("_al").equalTo(col("_rl")).and(col("_ro").leq(col("_b")))),
                "_aid")
            .agg(max("_ro").as("booking_recycled_at"));
    a = AsOfs.join(a, rb, col("appointment_id").equalTo(col("_aid")), "left").drop("_aid");
    Column b = Cutoff.micros(col("booked_at"));
    Column created = Cutoff.micros(col("lead_created_at"));
    Column tr = col("lead_first_recycled_at");
    Column afterRecycle = tr.isNotNull().and(col("booked_at").geq(tr));
    return AsOfs.last(
        a.withColumn("is_linked", col("linked_lead_id").isNotNull())
            .withColumn("is_recycled_booking", col("linked_lead_id").isNotNull().and(afterRecycle))
            .withColumn(
                "is_first_cycle_booking",
                col("linked_lead_id")
                    .isNotNull()
                    .and(qualifying)
                    .and(created.leq(b))
                    .and(b.leq(created.plus(Cutoff.days(windowDays))))
                    .and(tr.isNull().or(col("booked_at").lt(tr))))
            .withColumn(
                "is_booked_from_recycled",
                col("linked_lead_id")
                    .isNotNull()
                    .and(qualifying)
                    .and(afterRecycle)
                    .and(
                        b.leq(
                            Cutoff.micros(col("booking_recycled_at"))
                                .plus(Cutoff.days(windowDays)))))
            .withColumn(
                "is_conversion",
                col("linked_lead_id")
                    .isNotNull()
                    .and(qualifying)
                    .and(status.notEqual("cancelled"))));
  }
}
