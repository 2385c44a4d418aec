package io.leadloop.jobs.segments;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;

import io.leadloop.common.metrics.AsOfs;
import io.leadloop.common.metrics.Cutoff;
import io.leadloop.common.metrics.Lookups;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * segments.md candidates, one segment per person (missed_appointment, then stalled_lead, then
 * lapsed_care). Output columns: person_id, segment, tier, purpose, service_line, location_id,
 * lead_id (stalled only), trigger_id (the record that triggered the candidate: outcomes.md's
 * episode key), rank. Pure.
 */
public final class Candidates {
  public static final String MISSED = "missed_appointment";
  public static final String STALLED = "stalled_lead";
  public static final String LAPSED = "lapsed_care";
  static final String CARE = "care_coordination";
  static final String MARKETING = "marketing";

  private Candidates() {}

  private static Dataset<Row> first(Dataset<Row> rows, String partition, Column... order) {
    return rows.withColumn("_rn", row_number().over(AsOfs.window(rows, partition).orderBy(order)))
        .where(col("_rn").equalTo(1))
        .drop("_rn");
  }

  /** The person's newest lead (greatest created_at, ties: greatest lead_id). */
  public static Dataset<Row> newestLeads(Dataset<Row> leads) {
    return first(leads, "person_id", col("created_at").desc(), col("lead_id").desc());
  }

  public static Dataset<Row> missed(Dataset<Row> appts, Cutoff c) {
    Column cut = AsOfs.cutoff(appts, c);
    Column cutMicros = AsOfs.cutoffMicros(appts, c);
    Dataset<Row> misses =
        appts
            .where(col("status").equalTo("noshow").and(col("scheduled_start").lt(cut)))
            .withColumn("miss_at", col("scheduled_start"))
            .unionByName(
                appts
                    .where(col("status").equalTo("cancelled"))
                    .withColumn("miss_at", col("updated_at")));
    Dataset<Row> latest =
        first(misses, "person_id", col("miss_at").desc(), col("appointment_id").desc())
            .where(Cutoff.micros(col("miss_at")).geq(cutMicros.minus(Cutoff.days(90))));
    Dataset<Row> kept =
        AsOfs.select(
            appts.where(col("is_kept")),
            col("person_id").as("_kp"),
            col("scheduled_start").as("_ks"));
    return AsOfs.select(
        AsOfs.join(
            latest,
            kept,
            col("person_id").equalTo(col("_kp")).and(col("_ks").geq(col("miss_at"))),
            "left_anti"),
        col("person_id"),
        lit(MISSED).as("segment"),
        when(Cutoff.micros(col("miss_at")).geq(cutMicros.minus(Cutoff.days(14))), "recent")
            .otherwise("lapsed")
            .as("tier"),
        lit(CARE).as("purpose"),
        col("service_line"),
        col("location_id"),
        lit(null).cast("string").as("lead_id"),
        col("appointment_id").as("trigger_id"),
        lit(1).as("rank"));
  }

  public static Dataset<Row> stalled(Dataset<Row> leadFacts, Dataset<Row> appts, Cutoff c) {
    Column created = Cutoff.micros(col("created_at"));
    Column cut = AsOfs.cutoffMicros(leadFacts, c);
    Dataset<Row> newest =
        newestLeads(leadFacts)
            .where(
                created
                    .geq(cut.minus(Cutoff.days(180)))
                    .and(created.leq(cut.minus(Cutoff.days(2)))))
            .where(col("has_qualifying_booking").unary_$bang())
            .where(
                coalesce(col("latest_stage"), lit("new"))
                    .isin("new", "attempted_contact", "contacted", "qualified", "recycled"))
            .where(col("score").isNull().or(col("score").notEqual("E")));
    Dataset<Row> booked =
        AsOfs.select(
            appts.where(col("is_qualifying")),
            col("person_id").as("_bp"),
            col("booked_at").as("_bb"));
    return AsOfs.select(
        AsOfs.join(
            newest,
            booked,
            col("person_id").equalTo(col("_bp")).and(col("_bb").geq(col("created_at"))),
            "left_anti"),
        col("person_id"),
        lit(STALLED).as("segment"),
        when(col("cycles").equalTo(0), "fresh").otherwise("recycled").as("tier"),
        lit(MARKETING).as("purpose"),
        col("service_line"),
        col("location_id"),
        col("lead_id"),
        col("lead_id").as("trigger_id"),
        lit(2).as("rank"));
  }

  public static Dataset<Row> lapsed(
      Dataset<Row> appts, Cutoff c, Map<String, Integer> followUpDays) {
    if (followUpDays.isEmpty()) {
      return missed(appts.limit(0), c).withColumn("rank", lit(3));
    }
    Column days = Lookups.lookup(followUpDays, col("service_line")).cast("long");
    Dataset<Row> kept =
        appts.where(col("is_kept")).withColumn("_f", days).where(col("_f").isNotNull());
    Dataset<Row> latest =
        kept.withColumn(
                "_rn",
                row_number()
                    .over(
                        AsOfs.window(kept, "person_id", "service_line")
                            .orderBy(col("scheduled_start").desc(), col("appointment_id").desc())))
            .where(col("_rn").equalTo(1));
    Column age = AsOfs.cutoffMicros(appts, c).minus(Cutoff.micros(col("scheduled_start")));
    Column f = col("_f").multiply(Cutoff.MICROS_PER_DAY);
    Dataset<Row> due =
        latest
            .where(age.gt(f).and(age.leq(f.plus(Cutoff.days(180)))))
            .withColumn("_overdue", age.minus(f));
    return AsOfs.select(
        first(due, "person_id", col("_overdue").desc(), col("service_line").asc()),
        col("person_id"),
        lit(LAPSED).as("segment"),
        lit("due").as("tier"),
        lit(CARE).as("purpose"),
        col("service_line"),
        col("location_id"),
        lit(null).cast("string").as("lead_id"),
        col("appointment_id").as("trigger_id"),
        lit(3).as("rank"));
  }

  /** Every candidate under the first segment that applies to the person. */
  public static Dataset<Row> all(
      Dataset<Row> leadFacts, Dataset<Row> appts, Cutoff c, Map<String, Integer> followUpDays) {
    Dataset<Row> u =
        missed(appts, c)
            .unionByName(stalled(leadFacts, appts, c))
            .unionByName(lapsed(appts, c, followUpDays));
    return first(u, "person_id", col("rank").asc());
  }
}
