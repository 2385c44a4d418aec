package io.leadloop.jobs.ingest;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.leadloop.common.schema.Entity;
import io.leadloop.common.spark.Warehouse;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Names and readers of the ingest layer's tables. A batch is committed by its rows in the {@link
 * #LEDGER} table (one Delta commit for all its files): staged, raw and reject rows whose file is
 * not in the ledger belong to an interrupted batch and are invisible to readers, and the re-run
 * replaces them (replaceWhere on the batch's file hashes).
 */
public final class Tables {
  public static final String LEDGER = "ingested_files";
  public static final String RAW = "raw_records";
  public static final String REJECTS = "rejects";

  public static final StructType LEDGER_SCHEMA =
      new StructType()
          .add("entity", DataTypes.StringType, false)
          .add("file_sha256", DataTypes.StringType, false)
          .add("source_file", DataTypes.StringType, false)
          .add("batch_id", DataTypes.LongType, false)
          .add("ingested_at", DataTypes.TimestampType, false)
          .add("rows_read", DataTypes.LongType, false)
          .add("rows_accepted", DataTypes.LongType, false)
          .add("rows_rejected", DataTypes.LongType, false)
          .add(
              "rejects_by_reason",
              DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType, false),
              false);

  private Tables() {}

  public static String staged(Entity e) {
    return "stg_" + e.folder();
  }

  public static Dataset<Row> ledger(Warehouse wh) {
    return wh.read(LEDGER, LEDGER_SCHEMA);
  }

  /**
   * The ledger's files, collected: {@code entity, file_sha256, batch_id} (one row per ingested
   * file, small).
   */
  public static List<Row> ledgerFiles(Warehouse wh) {
    return ledger(wh).select("entity", "file_sha256", "batch_id").collectAsList();
  }

  /** Committed staged rows of an entity: every accepted version, with lineage columns. */
  public static Dataset<Row> staged(Warehouse wh, Entity e) {
    Dataset<Row> rows = wh.read(staged(e), ParsedSchema.staged(e));
    // One row per ingested file: always broadcast (the session never broadcasts on the planner's
    // static estimates, see Sessions).
    Dataset<Row> files =
        broadcast(
            ledger(wh)
                .where(col("entity").equalTo(lit(e.folder())))
                .select("file_sha256")
                .distinct());
    return rows.join(files, rows.col("file_sha256").equalTo(files.col("file_sha256")), "left_semi");
  }

  /** Committed rejects of every entity. */
  public static Dataset<Row> rejects(Warehouse wh) {
    Dataset<Row> rows = wh.read(REJECTS, rejectsSchema());
    Dataset<Row> files = ledger(wh).select("entity", "file_sha256").distinct();
    return rows.join(
        files,
        rows.col("entity")
            .equalTo(files.col("entity"))
            .and(rows.col("file_sha256").equalTo(files.col("file_sha256"))),
        "left_semi");
  }

  public static StructType rejectsSchema() {
    return new StructType()
        .add("entity", DataTypes.StringType, false)
        .add("batch_id", DataTypes.LongType, false)
        .add("source_file", DataTypes.StringType, false)
        .add("file_sha256", DataTypes.StringType, false)
        .add("line", DataTypes.LongType, false)
        .add("raw_text", DataTypes.StringType, true)
        .add("reason", DataTypes.StringType, false)
        .add("message", DataTypes.StringType, true);
  }
}
