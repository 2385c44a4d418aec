package io.leadloop.tools.notebook;

import io.leadloop.common.LeadloopException;
import io.leadloop.common.metrics.AsOfs;
import io.leadloop.common.schema.Entity;
import io.leadloop.common.spark.Warehouse;
import io.leadloop.jobs.ingest.Tables;
import io.leadloop.jobs.metrics.MartStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Registers every Delta table of a warehouse (a folder with a {@code _delta_log} directly under the
 * warehouse location, local or {@code s3a://}) as a temporary view named by its folder, so notebook
 * SQL names tables as {@code mart_cohort_funnel}, {@code segment_members}, ... Folders whose name
 * is not a plain SQL identifier are skipped.
 */
final class WarehouseViews {
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private WarehouseViews() {}

  /**
   * Registers the views; returns their names, sorted. Each mart of the {@link MartStore} is a view
   * of its own name (its columns and {@code as_of}, as a table of its own would be). The staged
   * rows (the accepted rows of the raw tables) are registered as {@code stg_<entity>} (committed
   * rows only, as the pipeline reads them).
   */
  static List<String> register(SparkSession spark, String warehouse) {
    TreeSet<String> names = new TreeSet<>();
    for (Path table : tables(spark, warehouse)) {
      String name = table.getName();
      spark.read().format("delta").load(table.toString()).createOrReplaceTempView(name);
      names.add(name);
    }
    Warehouse wh = new Warehouse(spark, warehouse);
    if (names.contains(MartStore.TABLE)) {
      Dataset<Row> store = wh.read(MartStore.TABLE);
      for (String mart : store.columns()) {
        if (!mart.equals(MartStore.MART) && !mart.equals(AsOfs.AS_OF)) {
          MartStore.read(store, mart).createOrReplaceTempView(mart);
          names.add(mart);
        }
      }
    }
    for (Entity e : Entity.values()) {
      if (names.contains(Tables.raw(e))) {
        Tables.staged(wh, e).createOrReplaceTempView(Tables.staged(e));
        names.add(Tables.staged(e));
      }
    }
    return new ArrayList<>(names);
  }

  private static List<Path> tables(SparkSession spark, String warehouse) {
    Path root = new Path(warehouse);
    try {
      FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(root)) {
        throw new LeadloopException(
            "Cannot register warehouse tables: " + warehouse + " does not exist");
      }
      List<Path> tables = new ArrayList<>();
      for (FileStatus s : fs.listStatus(root)) {
        Path p = s.getPath();
        if (s.isDirectory()
            && IDENTIFIER.matcher(p.getName()).matches()
            && fs.exists(new Path(p, "_delta_log"))) {
          tables.add(p);
        }
      }
      tables.sort((a, b) -> a.getName().compareTo(b.getName()));
      return tables;
    } catch (IOException e) {
      throw new LeadloopException(
          "Cannot register warehouse tables: " + warehouse + ": " + e.getMessage(), e);
    }
  }
}
