package io.leadloop.jobs.ingest;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The checks that need more than the row itself, in the contract's order after the row's own
 * checks: a {@code lead_events.lead_id} must name a lead accepted in this or an earlier batch
 * ({@code unknown_lead}), then an event time must not lie more than a day after ingestion ({@code
 * future_event_time}). Pure transforms.
 */
public final class Rejections {
  public static final String UNKNOWN_LEAD = "unknown_lead";
  public static final String FUTURE_EVENT_TIME = "future_event_time";

  private Rejections() {}

  /** Applies the future-time rule to rows that passed their own checks. */
  public static Dataset<Row> resolve(Dataset<Row> parsed) {
    return withReason(parsed, null);
  }

  /**
   * For lead events: {@code knownLeads} has one column {@code lead_id} (distinct) of every lead
   * accepted in this or an earlier batch.
   */
  public static Dataset<Row> resolveEvents(Dataset<Row> parsed, Dataset<Row> knownLeads) {
    Dataset<Row> known = knownLeads.select(col("lead_id").as("_known_lead_id")).distinct();
    Dataset<Row> joined =
        parsed.join(known, parsed.col("lead_id").equalTo(known.col("_known_lead_id")), "left");
    Column unknown = col("lead_id").isNotNull().and(col("_known_lead_id").isNull());
    return withReason(joined, unknown).drop("_known_lead_id");
  }

  private static Dataset<Row> withReason(Dataset<Row> rows, Column unknownLead) {
    Column own = col(ParsedSchema.REJECT_REASON);
    Column fileLine =
        concat(col(ParsedSchema.SOURCE_FILE), lit(" line "), col(ParsedSchema.LINE).cast("string"));
    Column future = when(col(ParsedSchema.IS_FUTURE), lit(FUTURE_EVENT_TIME));
    Column futureMessage =
        when(
            col(ParsedSchema.IS_FUTURE),
            concat(fileLine, lit(": an event time lies more than one day after ingestion")));
    Column reason;
    Column message;
    if (unknownLead == null) {
      reason = coalesce(own, future);
      message = coalesce(col(ParsedSchema.REJECT_MESSAGE), futureMessage);
    } else {
      reason = coalesce(own, when(unknownLead, lit(UNKNOWN_LEAD)), future);
      message =
          coalesce(
              col(ParsedSchema.REJECT_MESSAGE),
              when(
                  unknownLead,
                  concat(
                      fileLine,
                      lit(": field lead_id: '"),
                      col("lead_id"),
                      lit("' names no known lead"))),
              futureMessage);
    }
    return rows.withColumn(ParsedSchema.REJECT_REASON, reason)
        .withColumn(ParsedSchema.REJECT_MESSAGE, message);
  }
}
