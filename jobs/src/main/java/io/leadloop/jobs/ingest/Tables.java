package io.leadloop.jobs.ingest;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.leadloop.common.LeadloopException;
import io.leadloop.common.schema.Entity;
import io.leadloop.common.spark.Warehouse;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Names and readers of the ingest layer's tables. A batch is committed by its rows in the {@link
 * #LEDGER} table (one Delta commit for all its files): raw, staged and reject rows whose file and
 * batch are not in the ledger belong to an interrupted (or refused) batch and are invisible to
 * readers, and the re-run replaces them (replaceWhere on the batch's id and file hashes).
 */
public final class Tables {
  public static final String LEDGER = "ingested_files";

  /** Prefix of the raw tables, one per entity ({@code raw_leads}, ...). */
  public static final String RAW_PREFIX = "raw_";

  /** The columns of {@link #raw(Warehouse)} (the layout of the former {@code raw_records}). */
  public static final List<String> RAW_COLUMNS =
      List.of(
          "entity",
          ParsedSchema.BATCH_ID,
          ParsedSchema.SOURCE_FILE,
          ParsedSchema.FILE_SHA256,
          ParsedSchema.LINE,
          ParsedSchema.INGESTED_AT,
          ParsedSchema.RAW_TEXT,
          ParsedSchema.RAW_FIELDS,
          ParsedSchema.REJECT_REASON);

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

  /**
   * The name of an entity's staged rows as a view in notebooks ({@link #staged(Warehouse,
   * Entity)}). A warehouse written before the raw tables kept them in a Delta table of this name;
   * such a warehouse is refused until a full refresh rebuilds it ({@link #requireCurrentLayout}).
   */
  public static String staged(Entity e) {
    return "stg_" + e.folder();
  }

  /**
   * The raw table of an entity: every record read, with its lineage, raw text and fields, reject
   * reason and message, and its typed values where they parsed (grain: file × line).
   */
  public static String raw(Entity e) {
    return RAW_PREFIX + e.folder();
  }

  /**
   * Committed raw records of every entity, in one frame of {@link #RAW_COLUMNS} (the entity's
   * folder name first).
   */
  public static Dataset<Row> raw(Warehouse wh) {
    Dataset<Row> all = null;
    List<Row> ledger = ledgerFiles(wh);
    for (Entity e : Entity.values()) {
      Dataset<Row> rows =
          committed(wh, e, ledger, wh.read(raw(e), ParsedSchema.raw(e)))
              .withColumn("entity", lit(e.folder()))
              .select(RAW_COLUMNS.stream().map(functions::col).toArray(Column[]::new));
      all = all == null ? rows : all.unionByName(rows);
    }
    return all;
  }

  public static Dataset<Row> ledger(Warehouse wh) {
    return wh.read(LEDGER, LEDGER_SCHEMA);
  }

  /**
   * The ledger's files, collected: {@code entity, file_sha256, batch_id, rows_read} (one row per
   * ingested file, small).
   */
  public static List<Row> ledgerFiles(Warehouse wh) {
    return ledger(wh).select("entity", "file_sha256", "batch_id", "rows_read").collectAsList();
  }

  /** The rows read from all the ledger's files ({@link #ledgerFiles} rows). */
  public static long rowsRead(List<Row> ledgerFiles) {
    return ledgerFiles.stream().mapToLong(r -> r.getLong(3)).sum();
  }

  /**
   * Committed staged rows of an entity: every accepted version, typed, with lineage columns ({@link
   * ParsedSchema#staged}): the accepted rows of the raw table ({@code stg_<entity>} is the name of
   * this view in notebooks). Reads the ledger now ({@link #staged(Warehouse, Entity, List)} with
   * one read for several entities).
   */
  public static Dataset<Row> staged(Warehouse wh, Entity e) {
    return staged(wh, e, ledgerFiles(wh));
  }

  /**
   * Committed staged rows of an entity, of the files of {@code ledgerFiles} ({@link #ledgerFiles}:
   * the ledger as read once for the run). The file list joins as rows in hand: a join with the
   * ledger's Delta table was a file listing and a broadcast, two Spark jobs per read of an entity.
   */
  public static Dataset<Row> staged(Warehouse wh, Entity e, List<Row> ledgerFiles) {
    requireCurrentLayout(wh, e);
    Column[] cols =
        Arrays.stream(ParsedSchema.staged(e).fieldNames())
            .map(functions::col)
            .toArray(Column[]::new);
    return committed(
            wh,
            e,
            ledgerFiles,
            wh.read(raw(e), ParsedSchema.raw(e)).where(col(ParsedSchema.REJECT_REASON).isNull()))
        .select(cols);
  }

  /**
   * Stops with a clear message when the warehouse still has an entity's {@code stg_<entity>} table
   * of a release before the raw tables: its rows would otherwise be silently missing. {@code ingest
   * --full-refresh} rebuilds the ingest tables from the landing files and drops it.
   */
  public static void requireCurrentLayout(Warehouse wh, Entity e) {
    if (wh.exists(staged(e))) {
      throw new LeadloopException(
          "Cannot read "
              + e.folder()
              + " from "
              + wh.root()
              + ": its table "
              + staged(e)
              + " was written by an earlier leadloop release; run `leadloop ingest --full-refresh`"
              + " once on this warehouse to rebuild it from the landing files");
    }
  }

  /**
   * The rows of {@code rows} (an entity's table) whose file and batch are in the ledger. Matching
   * the batch too keeps a full refresh's raw rows of a file invisible until its ledger commit while
   * the same file's rows of the committed batch are still read.
   */
  private static Dataset<Row> committed(
      Warehouse wh, Entity e, List<Row> ledgerFiles, Dataset<Row> rows) {
    // One row per ingested file of the entity (ledgerFiles' columns: entity, file_sha256,
    // batch_id, rows_read), always broadcast (a small run's plan broadcasts on estimates, a large
    // run's only on measured sizes: see PlanMode).
    List<Row> mine =
        ledgerFiles.stream()
            .filter(r -> e.folder().equals(r.getString(0)))
            .map(r -> RowFactory.create(r.getString(1), r.getLong(2)))
            .distinct()
            .toList();
    Dataset<Row> files = broadcast(wh.spark().createDataFrame(mine, COMMITTED_FILES));
    return rows.join(
        files,
        rows.col("file_sha256")
            .equalTo(files.col("_sha"))
            .and(rows.col("batch_id").equalTo(files.col("_batch"))),
        "left_semi");
  }

  private static final StructType COMMITTED_FILES =
      new StructType()
          .add("_sha", DataTypes.StringType, false)
          .add("_batch", DataTypes.LongType, false);

  /** Committed rejects of every entity. */
  public static Dataset<Row> rejects(Warehouse wh) {
    Dataset<Row> rows = wh.read(REJECTS, rejectsSchema());
    Dataset<Row> files =
        ledger(wh)
            .select(
                col("entity").as("_entity"),
                col("file_sha256").as("_sha"),
                col("batch_id").as("_batch"))
            .distinct();
    return rows.join(
        files,
        rows.col("entity")
            .equalTo(files.col("_entity"))
            .and(rows.col("file_sha256").equalTo(files.col("_sha")))
            .and(rows.col("batch_id").equalTo(files.col("_batch"))),
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
