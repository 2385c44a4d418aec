package io.leadloop.jobs.outcomes;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;

import io.leadloop.common.config.ConfigLoader;
import io.leadloop.common.config.Destination;
import io.leadloop.common.config.LeadloopConfig;
import io.leadloop.common.metrics.AsOfs;
import io.leadloop.common.metrics.Cutoff;
import io.leadloop.common.metrics.Holdouts;
import io.leadloop.common.schema.Vocabularies;
import java.math.BigDecimal;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * outcomes.md's assignment of the members kept by the rules to {@code treatment} or {@code
 * holdout}. In order: an episode entered at an earlier as-of keeps the group, share and inheriting
 * flag stored at its entry; else a person with another episode of the same segment entered less
 * than {@code outcome_window_days} before the cutoff takes that episode's group (the latest entry,
 * ties: greatest episode_id) and is stored as inheriting; else the draw ({@link Holdouts}) at this
 * run's share, where a care member whose service line is not in {@code care_holdout_service_lines}
 * (or is sensitive) is always treatment. Pure.
 */
public final class Assignment {
  public static final String TREATMENT = "treatment";
  public static final String HOLDOUT = "holdout";

  private Assignment() {}

  /**
   * {@code members} (with episode_id, segment, service_line, recommended_channel) with {@code
   * group}, {@code holdout_share}, {@code inheriting} and {@code routed}; {@code stored} holds the
   * stored rows of as-ofs before this run's. When {@code members} holds several as-ofs ({@link
   * AsOfs}), {@code stored} may hold rows of any as-of: each member reads those of the as-ofs
   * before its own (an episode's entry is its earliest routed row, so the earliest before an as-of
   * is the earliest of all when that is before it).
   */
  public static Dataset<Row> assign(
      Dataset<Row> members, Dataset<Row> stored, Cutoff c, LeadloopConfig config) {
    boolean stacked = AsOfs.stacked(members);
    Dataset<Row> entries = Entries.entries(stored);
    Dataset<Row> own =
        entries.select(
            col("episode_id").as("_own_ep"),
            col("group").as("_own_group"),
            col("holdout_share").as("_own_share"),
            col("inheriting").as("_own_inheriting"),
            col("as_of").as("_own_as_of"));
    Column since =
        stacked
            ? AsOfs.cutoffMicros(col(AsOfs.AS_OF)).minus(Cutoff.days(config.outcomeWindowDays()))
            : lit(c.minusDays(config.outcomeWindowDays()));
    Dataset<Row> recent =
        entries.select(
            col("person_id").as("_r_person"),
            col("segment").as("_r_segment"),
            col("episode_id").as("_r_ep"),
            col("group").as("_r_group"),
            col("as_of").as("_r_as_of"),
            col("entry_at").as("_r_entry_at"));
    Dataset<Row> inherited =
        AsOfs.select(
                members,
                col("person_id").as("_m_person"),
                col("segment").as("_m_segment"),
                col("episode_id").as("_m_ep"))
            .join(
                recent,
                col("_m_person")
                    .equalTo(col("_r_person"))
                    .and(col("_m_segment").equalTo(col("_r_segment")))
                    .and(col("_m_ep").notEqual(col("_r_ep")))
                    .and(col("_r_entry_at").gt(since))
                    .and(before(stacked, col("_r_as_of"))))
            .withColumn(
                "_rn",
                row_number()
                    .over(
                        AsOfs.window(members, "_m_ep")
                            .orderBy(col("_r_as_of").desc(), col("_r_ep").desc())))
            .where(col("_rn").equalTo(1));
    inherited =
        stacked
            ? inherited.select(col("_m_ep"), col("_r_group"), col(AsOfs.AS_OF).as("_m_as_of"))
            : inherited.select(col("_m_ep"), col("_r_group"));
    Column inheritedOn =
        stacked
            ? col("episode_id").equalTo(col("_m_ep")).and(col(AsOfs.AS_OF).equalTo(col("_m_as_of")))
            : col("episode_id").equalTo(col("_m_ep"));
    Column share = share(config);
    Column careHeldOut =
        col("segment")
            .isin(ConfigLoader.CARE_SEGMENTS.toArray())
            .and(
                coalesce(
                        col("service_line").isin(config.careHoldoutServiceLines().toArray()),
                        lit(false))
                    .and(
                        coalesce(
                                col("service_line").isin(config.sensitiveServiceLines().toArray()),
                                lit(false))
                            .unary_$bang()));
    Column mayHoldOut =
        col("segment").isin(ConfigLoader.CARE_SEGMENTS.toArray()).unary_$bang().or(careHeldOut);
    Column inheritedGroup = col("_r_group");
    Column drawn =
        when(
                mayHoldOut.and(
                    Holdouts.isHoldout(
                        config.holdoutSalt(),
                        col("episode_id"),
                        share.multiply(lit(Holdouts.BASIS)).cast("int"))),
                HOLDOUT)
            .otherwise(TREATMENT);
    Column entered = col("_own_group").isNotNull();
    return members
        .join(
            own,
            col("episode_id").equalTo(col("_own_ep")).and(before(stacked, col("_own_as_of"))),
            "left")
        .join(inherited, inheritedOn, "left")
        .withColumn(
            "group",
            when(entered, col("_own_group"))
                .when(mayHoldOut.unary_$bang(), TREATMENT)
                .when(inheritedGroup.isNotNull(), inheritedGroup)
                .otherwise(drawn))
        .withColumn("holdout_share", when(entered, col("_own_share")).otherwise(share))
        .withColumn(
            "inheriting",
            when(entered, col("_own_inheriting")).otherwise(inheritedGroup.isNotNull()))
        .withColumn("routed", routed(config))
        .drop("_own_ep", "_own_group", "_own_share", "_own_inheriting", "_own_as_of")
        .drop("_m_ep", "_r_group", "_m_as_of");
  }

  /** Whether a stored row of as-of {@code storedAsOf} is before the member's as-of. */
  private static Column before(boolean stacked, Column storedAsOf) {
    // one as-of: the stored rows are those before it already
    return stacked ? storedAsOf.lt(col(AsOfs.AS_OF)) : lit(true);
  }

  /** This run's share of the member's segment, exact. */
  static Column share(LeadloopConfig config) {
    Column s = null;
    for (String segment : Vocabularies.SEGMENTS) {
      BigDecimal v = config.holdoutShare(segment);
      Column is = col("segment").equalTo(segment);
      s = s == null ? when(is, lit(v)) : s.when(is, lit(v));
    }
    return s.otherwise(lit(BigDecimal.ZERO)).cast(Entries.SHARE_TYPE);
  }

  /** Whether the member matches at least one destination's filter (segments.md). */
  static Column routed(LeadloopConfig config) {
    Column any = lit(false);
    for (Destination d : config.destinations()) {
      any =
          any.or(
              col("segment")
                  .isin(d.segments().toArray())
                  .and(
                      coalesce(
                          col("recommended_channel").isin(d.channels().toArray()), lit(false))));
    }
    return any;
  }
}
