package io.leadloop.jobs.segments;

import static org.apache.spark.sql.functions.array_join;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.leadloop.common.config.LeadloopConfig;
import io.leadloop.common.metrics.AsOfs;
import io.leadloop.common.metrics.Contacts;
import io.leadloop.common.metrics.Cutoff;
import io.leadloop.common.metrics.Lookups;
import io.leadloop.common.schema.Entity;
import io.leadloop.jobs.facts.Facts;
import io.leadloop.jobs.outcomes.Assignment;
import java.util.EnumMap;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * segments.md: candidates with their exclusion rule (the first that matches, in the spec's order)
 * and, for those kept, the member fields. Pure.
 */
public final class Segments {
  /** The members output's columns: the member fields of the config (segments.md). */
  public static final String[] MEMBER_COLUMNS =
      io.leadloop.common.config.ConfigLoader.MEMBER_FIELDS.toArray(String[]::new);

  public static final String[] EXCLUSION_COLUMNS = {"segment", "rule", "persons"};

  private Segments() {}

  /**
   * Every candidate with {@code excluded_by} (null when kept) and the member fields; of each as-of
   * side by side (with {@code as_of}) when the facts are stacked ({@link AsOfs}).
   */
  public static Dataset<Row> evaluate(Facts facts, Cutoff c, LeadloopConfig config) {
    Dataset<Row> appts = facts.appointments();
    Dataset<Row> cand = Candidates.all(facts.leads(), appts, c, config.followUpDays());
    Column cut = AsOfs.cutoff(appts, c);
    Column cutMicros = AsOfs.cutoffMicros(appts, c);
    Dataset<Row> suppressed =
        AsOfs.select(
                facts
                    .get(Entity.SUPPRESSION)
                    .where(col("expires_at").isNull().or(col("expires_at").gt(cut))),
                col("person_id").as("_sp"))
            .distinct();
    Dataset<Row> open =
        AsOfs.select(
                appts
                    .where(col("scheduled_start").geq(cut))
                    .where(
                        col("status")
                            .isin(SegmentSettings.NOT_OPEN_STATUSES.toArray())
                            .unary_$bang()),
                col("person_id").as("_op"))
            .distinct();
    Column t = Cutoff.micros(col("occurred_at"));
    Dataset<Row> contacts =
        AsOfs.groupBy(
                facts.get(Entity.TOUCHES).where(Contacts.isContact()), col("person_id").as("_cp"))
            .agg(
                sum(when(t.geq(since(cutMicros, SegmentSettings.CAP_7D_DAYS)), 1).otherwise(0))
                    .as("_c7"),
                sum(when(t.geq(since(cutMicros, SegmentSettings.CAP_30D_DAYS)), 1).otherwise(0))
                    .as("_c30"),
                sum(when(t.geq(since(cutMicros, config.cooldownDays())), 1).otherwise(0))
                    .as("_cool"));
    Dataset<Row> consent =
        Channels.consentState(facts.get(Entity.CONSENT), facts.get(Entity.TOUCHES));
    Dataset<Row> lead =
        AsOfs.select(
            facts.leads(),
            col("lead_id").as("_lid"),
            col("cycles").as("_cycles"),
            col("intent").as("_intent"),
            col("audience").as("_audience"),
            col("latest_recycle_reason").as("_reason"));
    Dataset<Row> language =
        AsOfs.select(
            Candidates.newestLeads(facts.get(Entity.LEADS)),
            col("person_id").as("_np"),
            col("language"));
    Dataset<Row> x = AsOfs.join(cand, suppressed, col("person_id").equalTo(col("_sp")), "left");
    x = AsOfs.join(x, open, col("person_id").equalTo(col("_op")), "left");
    x = AsOfs.join(x, contacts, col("person_id").equalTo(col("_cp")), "left");
    x = AsOfs.joinUsing(x, consent, "left", "person_id");
    x = AsOfs.join(x, lead, col("lead_id").equalTo(col("_lid")), "left");
    x =
        AsOfs.join(x, language, col("person_id").equalTo(col("_np")), "left")
            .withColumn(
                "_channels",
                Channels.permitted(col("segment"), col("purpose"), col("consent"), config));
    Column stalled = col("segment").equalTo(Candidates.STALLED);
    Map<ExclusionRule, Column> matches = new EnumMap<>(ExclusionRule.class);
    matches.put(ExclusionRule.SUPPRESSED, col("_sp").isNotNull());
    matches.put(ExclusionRule.OPEN_APPOINTMENT, col("_op").isNotNull());
    matches.put(ExclusionRule.NO_PERMITTED_CHANNEL, size(col("_channels")).equalTo(0));
    matches.put(
        ExclusionRule.FREQUENCY_CAP,
        coalesce(col("_c7"), lit(0L))
            .geq(config.cap7d())
            .or(coalesce(col("_c30"), lit(0L)).geq(config.cap30d())));
    matches.put(ExclusionRule.COOLDOWN, coalesce(col("_cool"), lit(0L)).gt(0));
    matches.put(ExclusionRule.MAX_CYCLES, col("_cycles").geq(config.maxCycles()));
    matches.put(
        ExclusionRule.CLINICAL_ROUTE,
        coalesce(col("_intent"), lit("")).equalTo("clinical_question"));
    matches.put(
        ExclusionRule.REFERRAL_PARTNER_TRACK,
        coalesce(col("_audience"), lit("")).equalTo("referral_partner"));
    Column rule = null; // the first rule that matches, in ExclusionRule's order
    for (ExclusionRule r : ExclusionRule.values()) {
      Column m = r.stalledOnly ? stalled.and(matches.get(r)) : matches.get(r);
      rule = rule == null ? when(m, r.code) : rule.when(m, r.code);
    }
    Column offer =
        when(col("segment").equalTo(Candidates.MISSED), "reschedule_help")
            .when(col("segment").equalTo(Candidates.LAPSED), "follow_up_visit")
            .otherwise(
                coalesce(
                    Lookups.lookup(config.offerCodes(), col("_reason")), lit("scheduling_link")));
    Column sensitive =
        col("purpose")
            .equalTo(Candidates.MARKETING)
            .and(col("service_line").isin(config.sensitiveServiceLines().toArray()));
    return AsOfs.select(
        x.withColumn("excluded_by", rule)
            .withColumn(
                "service_line",
                when(sensitive, lit(null).cast("string")).otherwise(col("service_line")))
            .withColumn("permitted_channels", array_join(col("_channels"), "|"))
            .withColumn("recommended_channel", element_at(col("_channels"), 1))
            .withColumn("offer_code", offer),
        col("person_id"),
        col("segment"),
        col("tier"),
        col("purpose"),
        col("service_line"),
        col("location_id"),
        col("language"),
        col("permitted_channels"),
        col("recommended_channel"),
        col("offer_code"),
        concat(col("segment"), lit(":"), col("trigger_id")).as("episode_id"),
        col("excluded_by"));
  }

  /** {@code days} before the cutoff {@code cutMicros}, as microseconds. */
  private static Column since(Column cutMicros, long days) {
    return cutMicros.minus(Cutoff.days(days));
  }

  public static Dataset<Row> members(Dataset<Row> evaluated, String asOf, String runId) {
    return evaluated
        .where(col("excluded_by").isNull())
        .withColumn("as_of", lit(java.sql.Date.valueOf(asOf)))
        .withColumn("run_id", lit(runId))
        .selectExpr(MEMBER_COLUMNS);
  }

  /**
   * The exclusions output: candidates excluded, per segment and rule, then the members of {@code
   * assigned} held out (rule {@code holdout}); per as-of when {@code evaluated} is stacked.
   */
  public static Dataset<Row> exclusions(Dataset<Row> evaluated, Dataset<Row> assigned) {
    return exclusions(evaluated)
        .unionByName(
            assigned
                .where(col("group").equalTo(Assignment.HOLDOUT))
                .groupBy(
                    AsOfs.keyColumns(evaluated, col("segment"), lit(Assignment.HOLDOUT).as("rule")))
                .count()
                .withColumnRenamed("count", "persons")
                .selectExpr(AsOfs.keys(evaluated, EXCLUSION_COLUMNS)));
  }

  /** Candidates excluded, per segment and rule (and per as-of when stacked). */
  public static Dataset<Row> exclusions(Dataset<Row> evaluated) {
    return AsOfs.groupBy(
            evaluated.where(col("excluded_by").isNotNull()),
            col("segment"),
            col("excluded_by").as("rule"))
        .count()
        .withColumnRenamed("count", "persons")
        .selectExpr(AsOfs.keys(evaluated, EXCLUSION_COLUMNS));
  }
}
