package io.leadloop.jobs.outcomes;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.row_number;

import io.leadloop.common.metrics.Cutoff;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The {@value #TABLE} table (grain: as_of × person): one row per member of each run that entered
 * its members (a published run: {@code weekly} without {@code --dry-run}, or {@code backfill
 * --exports}, with a destination), replaced when the as-of is run again. An episode's entry is its
 * earliest stored row that was routed; its group, share and offer code are fixed there.
 */
public final class Entries {
  public static final String TABLE = "segment_assignments";

  /** Shares are stored exact: basis points fit decimal(5,4). */
  public static final String SHARE_TYPE = "decimal(5,4)";

  public static final StructType SCHEMA =
      new StructType()
          .add("person_id", DataTypes.StringType, false)
          .add("segment", DataTypes.StringType, false)
          .add("episode_id", DataTypes.StringType, false)
          .add("group", DataTypes.StringType, false)
          .add("holdout_share", DataTypes.createDecimalType(5, 4), false)
          .add("offer_code", DataTypes.StringType, true)
          .add("inheriting", DataTypes.BooleanType, false)
          .add("routed", DataTypes.BooleanType, false)
          .add("as_of", DataTypes.DateType, false)
          .add("run_id", DataTypes.StringType, false);

  /** The columns of {@code segments/assignments.csv} (outcomes.md). */
  public static final String[] CSV_COLUMNS = {
    "person_id", "segment", "episode_id", "group", "holdout_share", "routed", "as_of"
  };

  private Entries() {}

  /**
   * Each episode's entry among {@code stored} (rows of earlier as-ofs): its earliest routed row,
   * with {@code entry_at}, the entry cutoff {@code c_e} in microseconds.
   */
  public static Dataset<Row> entries(Dataset<Row> stored) {
    return stored
        .where(col("routed"))
        .withColumn(
            "_rn", row_number().over(Window.partitionBy("episode_id").orderBy(col("as_of").asc())))
        .where(col("_rn").equalTo(1))
        .drop("_rn", "routed", "run_id")
        .withColumn("entry_at", cutoffMicros(col("as_of")));
  }

  /** The cutoff of an as-of column (the start of the next day in the session time zone). */
  static Column cutoffMicros(Column asOf) {
    return Cutoff.midnightMicros(date_add(asOf, 1));
  }
}
