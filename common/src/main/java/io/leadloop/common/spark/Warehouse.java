package io.leadloop.common.spark;

import io.delta.tables.DeltaTable;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * The Delta tables of one warehouse location (a local folder or an {@code s3a://} prefix): each
 * table lives at {@code <warehouse>/<name>}. Reads of a table that does not exist yet give an empty
 * frame of the expected schema.
 */
public final class Warehouse {
  private static final java.util.concurrent.atomic.LongAdder COMMITS =
      new java.util.concurrent.atomic.LongAdder();
  private final SparkSession spark;
  private final String root;

  public Warehouse(SparkSession spark, String root) {
    this.spark = spark;
    String r = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    // A relative local folder is made absolute: Delta's SQL (delta.`path`) reads a relative path
    // as a table name and refuses it.
    this.root =
        r.contains(":") || r.startsWith("/")
            ? r
            : java.nio.file.Path.of(r).toAbsolutePath().normalize().toString();
  }

  public SparkSession spark() {
    return spark;
  }

  public String root() {
    return root;
  }

  public String path(String table) {
    return root + "/" + table;
  }

  public boolean exists(String table) {
    return DeltaTable.isDeltaTable(spark, path(table));
  }

  public Dataset<Row> read(String table, StructType schema) {
    if (!exists(table)) {
      return spark.createDataFrame(List.of(), schema);
    }
    return spark.read().format("delta").load(path(table));
  }

  public Dataset<Row> read(String table) {
    return spark.read().format("delta").load(path(table));
  }

  /**
   * The table's latest Delta version, or -1 when it does not exist: the version of the log's latest
   * snapshot, which (unlike the table's history) takes no Spark job.
   */
  public long version(String table) {
    if (!exists(table)) {
      return -1;
    }
    return org.apache.spark.sql.delta.DeltaLog.forTable(spark, path(table))
        .update(false, scala.Option.empty(), scala.Option.empty())
        .version();
  }

  /**
   * Delta commits this process has asked for through any warehouse (a run's figures per step come
   * from the difference of two readings). Every write of the project goes through this class.
   */
  public static long commits() {
    return COMMITS.sum();
  }

  public void append(String table, Dataset<Row> rows) {
    COMMITS.increment();
    if (!exists(table)) {
      clearUncommitted(table);
    }
    rows.write()
        .format("delta")
        .mode(SaveMode.Append)
        .option("mergeSchema", "false")
        .save(path(table));
  }

  /** Overwrites the rows matching {@code predicate} (an atomic replace of one slice). */
  public void replaceWhere(String table, String predicate, Dataset<Row> rows) {
    replace(table, predicate, rows, false);
  }

  /**
   * {@link #replaceWhere} of a table whose columns grow with its writers: a column of {@code rows}
   * the table lacks is added (Delta's schema merge); a column of the table that {@code rows} lacks
   * is null in them.
   */
  public void replaceWhereMerging(String table, String predicate, Dataset<Row> rows) {
    replace(table, predicate, rows, true);
  }

  private void replace(String table, String predicate, Dataset<Row> rows, boolean mergeSchema) {
    COMMITS.increment();
    if (!exists(table)) {
      // Created by an append: an overwrite of a table that does not exist yet first lists the
      // files of its empty snapshot to remove them, one more Spark job per table created.
      clearUncommitted(table);
      rows.write().format("delta").mode(SaveMode.Append).save(path(table));
      return;
    }
    rows.write()
        .format("delta")
        .mode(SaveMode.Overwrite)
        .option("replaceWhere", predicate)
        .option("mergeSchema", String.valueOf(mergeSchema))
        .save(path(table));
  }

  /**
   * Overwrites the rows matching {@code predicate} of a table that carries the Delta table {@code
   * properties}. A table that does not exist yet is created by this write, properties included, in
   * one commit (its version 0 holds both); an existing one first gets any property it lacks ({@link
   * #ensureProperties}, no commit when all are set). Delta keeps only {@code delta.}-prefixed
   * writer options as properties of a table a write creates, hence a create of the frame with its
   * table properties instead; like every write that creates a table, it makes the columns nullable.
   */
  public void replaceWhere(
      String table, String predicate, Dataset<Row> rows, Map<String, String> properties) {
    if (exists(table)) {
      ensureProperties(table, rows.schema(), properties);
      replaceWhere(table, predicate, rows);
      return;
    }
    COMMITS.increment();
    clearUncommitted(table);
    var writer = rows.writeTo(sqlName(table)).using("delta");
    for (var p : new TreeMap<>(properties).entrySet()) {
      writer = writer.tableProperty(p.getKey(), p.getValue());
    }
    try {
      writer.create();
    } catch (org.apache.spark.sql.catalyst.analysis.TableAlreadyExistsException e) {
      // Only a writer outside the warehouse lock can have created it since exists() above.
      throw new IllegalStateException(
          "Cannot create " + path(table) + ": another writer created it meanwhile", e);
    }
  }

  /**
   * Replaces the rows of one as-of ({@code as_of = 'D'}) of a small table with {@code rows}, in one
   * commit. With no rows, the as-of's rows are removed (and a missing table stays missing).
   */
  public void replaceAsOf(String table, LocalDate asOf, StructType schema, List<Row> rows) {
    if (rows.isEmpty() && !exists(table)) {
      return;
    }
    replaceWhere(table, "as_of = '" + asOf + "'", spark.createDataFrame(rows, schema));
  }

  /**
   * Replaces the rows of several as-ofs ({@link #asOfPredicate}) of a small table with {@code rows}
   * (each carrying its {@code as_of}), in one commit; {@link #replaceAsOf} for many.
   */
  public void replaceAsOfs(String table, List<LocalDate> asOfs, StructType schema, List<Row> rows) {
    if (rows.isEmpty() && !exists(table)) {
      return;
    }
    replaceWhere(table, asOfPredicate(asOfs), spark.createDataFrame(rows, schema));
  }

  /** The rows of the as-ofs {@code asOfs}: {@code as_of = 'D'} for one, {@code as_of IN (...)}. */
  public static String asOfPredicate(List<LocalDate> asOfs) {
    if (asOfs.isEmpty()) {
      throw new IllegalArgumentException("Cannot select as-ofs: none given");
    }
    if (asOfs.size() == 1) {
      return "as_of = '" + asOfs.get(0) + "'";
    }
    StringBuilder b = new StringBuilder("as_of IN (");
    for (int i = 0; i < asOfs.size(); i++) {
      b.append(i == 0 ? "'" : ", '").append(asOfs.get(i)).append("'");
    }
    return b.append(")").toString();
  }

  /**
   * Sets Delta table properties of {@code table}, creating it empty with {@code schema} when it
   * does not exist yet; no commit when every property already has its value.
   */
  public void ensureProperties(String table, StructType schema, Map<String, String> properties) {
    Map<String, String> sorted = new TreeMap<>(properties);
    if (!exists(table)) {
      clearUncommitted(table);
      var builder = DeltaTable.createIfNotExists(spark).location(path(table)).addColumns(schema);
      for (var p : sorted.entrySet()) {
        builder = builder.property(p.getKey(), p.getValue());
      }
      builder.execute();
      COMMITS.increment();
      return;
    }
    // SHOW TBLPROPERTIES reads the snapshot's metadata; DESCRIBE DETAIL took Spark jobs.
    Map<String, String> current = new java.util.HashMap<>();
    for (Row r : spark.sql("SHOW TBLPROPERTIES " + sqlName(table)).collectAsList()) {
      current.put(r.getString(0), r.getString(1));
    }
    String changed =
        sorted.entrySet().stream()
            .filter(p -> !p.getValue().equals(current.get(p.getKey())))
            .map(p -> "'" + p.getKey() + "' = '" + p.getValue() + "'")
            .collect(java.util.stream.Collectors.joining(", "));
    if (!changed.isEmpty()) {
      spark.sql("ALTER TABLE " + sqlName(table) + " SET TBLPROPERTIES (" + changed + ")");
      COMMITS.increment();
    }
  }

  /** The table's name in Spark SQL: its path, quoted. */
  private String sqlName(String table) {
    return "delta.`" + path(table).replace("`", "``") + "`";
  }

  /** Deletes the rows of {@code table} matching {@code condition} in one commit; none: no-op. */
  public void deleteWhere(String table, String condition) {
    if (exists(table)) {
      long v = version(table);
      DeltaTable.forPath(spark, path(table)).delete(condition);
      countCommitSince(table, v);
    }
  }

  /** Deletes every row of {@code table} in one commit (schema and history stay); none: no-op. */
  public void deleteAll(String table) {
    if (exists(table)) {
      long v = version(table);
      DeltaTable.forPath(spark, path(table)).delete();
      countCommitSince(table, v);
    }
  }

  // A delete that matches no row makes no commit.
  private void countCommitSince(String table, long before) {
    if (version(table) > before) {
      COMMITS.increment();
    }
  }

  /**
   * Removes what a process stopped while creating {@code table} left behind (a log folder without a
   * commit, data files no commit names): nothing there is visible to a reader, and Delta refuses to
   * create a table over it.
   */
  private void clearUncommitted(String table) {
    drop(table);
  }

  /**
   * Removes {@code table}'s folder, history included (for tables no release reads any more); a
   * missing folder is no error.
   */
  public void drop(String table) {
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path(table));
    try {
      p.getFileSystem(spark.sparkContext().hadoopConfiguration()).delete(p, true);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(
          "Cannot drop " + path(table) + ": " + e.getMessage(), e);
    }
  }
}
