package io.leadloop.jobs.metrics;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import io.leadloop.common.metrics.AsOfs;
import io.leadloop.jobs.facts.LeadFacts;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * metrics.md stall_reasons — grain: week × source × reason: recycle events in the week of their
 * {@code occurred_at}, by the source of the lead as it exists at c. Pure.
 */
public final class StallReasons {
  public static final String[] COLUMNS = {"week", "source", "reason", "recycle_events"};

  private StallReasons() {}

  /** {@code recycles}: recycle events of leads existing at c; {@code leads}: leads at c. */
  public static Dataset<Row> compute(Dataset<Row> recycles, Dataset<Row> leads) {
    Dataset<Row> events =
        AsOfs.joinUsing(recycles, AsOfs.select(leads, "lead_id", "source"), "inner", "lead_id")
            .withColumn("week", LeadFacts.week(col("occurred_at")));
    return AsOfs.select(
        AsOfs.groupBy(events, "week", "source", "reason").agg(count(lit(1)).as("recycle_events")),
        COLUMNS);
  }
}
