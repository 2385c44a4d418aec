package io.leadloop.jobs.outcomes;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.raise_error;
import static org.apache.spark.sql.functions.when;

import io.leadloop.common.config.LeadloopConfig;
import io.leadloop.common.metrics.AsOfs;
import io.leadloop.common.metrics.Cutoff;
import io.leadloop.common.spark.Cached;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@link Assignment} for every as-of of a plan whose as-ofs each enter their members (a published
 * {@code weekly}, a {@code backfill --exports}): the same groups as assigning one as-of after the
 * other, each reading the entries the ones before it stored, from one query.
 *
 * <p>Which rows are entries does not depend on any group (a row is stored for every member kept,
 * and an entry is an episode's earliest routed row), so the entries of all as-ofs are known before
 * any group is. What a group depends on is the group of an earlier row: an entered episode keeps
 * the group of its entry row, an inheriting one takes the group of another episode's entry row. So
 * each member of the plan is assigned once against the entries stored before the plan and the
 * plan's own rows, whose group is a reference to the row itself; a member's group is then a value
 * or a reference to a row of an earlier as-of, and the references are followed, each round halving
 * the longest chain ({@code ceil(log2(as-ofs))} rounds; pointer jumping). Pure but for the rounds'
 * kept rows, which go to {@code cached}.
 */
public final class PlanAssignment {
  // No group starts with it: marks a reference to a member row of the plan.
  private static final String REF = "\u0001";

  private PlanAssignment() {}

  /**
   * {@link Assignment#assign} of {@code members} (stacked: {@value AsOfs#AS_OF}), as if each as-of
   * of {@code asOfs} had stored its rows before the next was assigned; {@code stored} holds the
   * stored rows of the as-ofs not in {@code asOfs} (those of {@code asOfs} are replaced).
   */
  public static Dataset<Row> assign(
      Dataset<Row> members,
      Dataset<Row> stored,
      int asOfs,
      Cutoff c,
      LeadloopConfig config,
      List<Dataset<Row>> cached) {
    if (asOfs < 2) {
      // one as-of (a weekly run): its own rows are not before it, so none is read
      return Assignment.assign(members, stored, c, config);
    }
    Column self = concat(lit(REF), col("episode_id"), lit("@"), col(AsOfs.AS_OF).cast("string"));
    Dataset<Row> own =
        members.select(
            col("person_id"),
            col("segment"),
            col("episode_id"),
            self.as("group"),
            // as stored at an entry row: a routed row no earlier one entered, so this run's share
            Assignment.share(config).as("holdout_share"),
            col("offer_code"),
            lit(false).as("inheriting"), // taken from the row's own assignment below
            Assignment.routed(config).as("routed"),
            col(AsOfs.AS_OF),
            lit("").as("run_id"));
    Dataset<Row> assigned =
        Assignment.assign(
            members,
            stored
                .select(Arrays.stream(own.columns()).map(n -> col(n)).toArray(Column[]::new))
                .unionByName(own),
            c,
            config);
    Dataset<Row> rows = Cached.of(assigned, cached);
    Column isRef = col("group").startsWith(REF);
    Dataset<Row> links =
        rows.select(
            self.as("_key"),
            when(isRef, col("group")).as("_ref"),
            when(isRef.unary_$bang(), col("group")).as("_value"));
    // A reference points to an earlier as-of: a chain is at most asOfs - 1 long, and after k
    // rounds every row whose chain is shorter than 2^k has its value.
    for (int spans = 1; spans < asOfs; spans *= 2) {
      Dataset<Row> to =
          links.select(
              col("_key").as("_to_key"), col("_ref").as("_to_ref"), col("_value").as("_to_value"));
      links =
          Cached.of(
              links
                  .join(to, col("_ref").equalTo(col("_to_key")), "left")
                  .select(
                      col("_key"),
                      when(col("_value").isNull(), col("_to_ref")).as("_ref"),
                      coalesce(col("_value"), col("_to_value")).as("_value")),
              cached);
    }
    // An entered episode also keeps its entry row's inheriting flag (an inheriting one's reference
    // names another episode's row).
    Dataset<Row> entry =
        rows.select(
            self.as("_e_key"), col("episode_id").as("_e_ep"), col("inheriting").as("_e_inh"));
    return rows.withColumn("_key", self)
        .join(
            links.select(col("_key").as("_l_key"), col("_value")),
            col("_key").equalTo(col("_l_key")))
        .join(entry, col("group").equalTo(col("_e_key")), "left")
        .withColumn(
            "inheriting",
            when(col("_e_ep").equalTo(col("episode_id")), col("_e_inh"))
                .otherwise(col("inheriting")))
        .withColumn(
            "group",
            coalesce(
                col("_value"),
                raise_error(lit("Cannot assign a member: its group's chain was not followed"))
                    .cast("string")))
        .drop("_key", "_l_key", "_value", "_e_key", "_e_ep", "_e_inh");
  }
}
