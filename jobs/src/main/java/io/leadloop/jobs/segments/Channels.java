package io.leadloop.jobs.segments;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map_from_entries;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import io.leadloop.common.config.LeadloopConfig;
import io.leadloop.common.metrics.AsOfs;
import io.leadloop.common.schema.Vocabularies;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * segments.md channels: a channel is permitted when the person's latest consent record for it
 * before c is {@code opt_in} (same instant: opt_out wins; an {@code unsubscribed} touch is an
 * opt-out record); with no record the purpose's {@code consent_default} decides. Pure.
 */
public final class Channels {
  private Channels() {}

  /** Consent state per person: person_id, consent (map channel → opt_in / opt_out). */
  public static Dataset<Row> consentState(Dataset<Row> consent, Dataset<Row> touches) {
    Dataset<Row> records =
        AsOfs.select(consent, "person_id", "channel", "status", "recorded_at")
            .unionByName(
                AsOfs.select(
                    touches
                        .where(col("outcome").equalTo("unsubscribed"))
                        .where(col("channel").isin(Vocabularies.CONSENT_CHANNELS.toArray())),
                    col("person_id"),
                    col("channel"),
                    lit("opt_out").as("status"),
                    col("occurred_at").as("recorded_at")));
    var w =
        AsOfs.window(records, "person_id", "channel")
            .orderBy(
                col("recorded_at").desc(), when(col("status").equalTo("opt_out"), 0).otherwise(1));
    Dataset<Row> latest =
        records.withColumn("_rn", row_number().over(w)).where(col("_rn").equalTo(1));
    return AsOfs.groupBy(latest, "person_id")
        .agg(map_from_entries(collect_list(struct(col("channel"), col("status")))).as("consent"));
  }

  /** The permitted channels in the segment's preference order (an array column). */
  public static Column permitted(
      Column segment, Column purpose, Column consent, LeadloopConfig config) {
    Column allowByDefault = lit(false);
    for (var e : config.consentDefault().entrySet()) {
      if (LeadloopConfig.ALLOW_UNLESS_OPT_OUT.equals(e.getValue())) {
        allowByDefault = allowByDefault.or(purpose.equalTo(e.getKey()));
      }
    }
    Column allow = allowByDefault;
    Column ordered = null;
    for (Map.Entry<String, List<String>> e : config.channelPreference().entrySet()) {
      Column arr =
          array(
              e.getValue().stream()
                  .map(org.apache.spark.sql.functions::lit)
                  .toArray(Column[]::new));
      ordered =
          ordered == null
              ? when(segment.equalTo(e.getKey()), arr)
              : ordered.when(segment.equalTo(e.getKey()), arr);
    }
    return filter(ordered, ch -> coalesce(element_at(consent, ch).equalTo("opt_in"), allow));
  }
}
