package io.leadloop.jobs.export;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.leadloop.common.metrics.AsOfs;
import io.leadloop.common.spark.Warehouse;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The rows each destination was sent, per as-of ({@code export_history} Delta table), so diffs are
 * against the previous successful export and a re-run of an as-of sees the same history. A
 * destination's rows for an as-of are registered only after its files were published.
 */
public final class ExportHistory {
  public static final String TABLE = "export_history";
  public static final StructType SCHEMA =
      new StructType()
          .add("destination", DataTypes.StringType, false)
          .add("as_of", DataTypes.DateType, false)
          .add("run_id", DataTypes.StringType, false)
          .add("person_id", DataTypes.StringType, true)
          .add("segment", DataTypes.StringType, true);

  private final Warehouse warehouse;

  public ExportHistory(Warehouse warehouse) {
    this.warehouse = warehouse;
  }

  /**
   * The keys of each as-of's previous export in a run that publishes (or, in a dry run, counts) the
   * as-ofs {@code asOfs} (ascending) and replaces their stored rows: {@code keyCols}, then the
   * as-of diffed against them ({@link ExportWriter#EXPORT_AS_OF}). The previous export of an as-of
   * is the latest before it among the run's own ({@code now}: keys of every as-of, same columns)
   * and those stored for as-ofs outside the run.
   */
  Dataset<Row> previous(
      String destination, List<LocalDate> asOfs, Dataset<Row> now, List<String> keyCols) {
    Dataset<Row> stored =
        warehouse
            .read(TABLE, SCHEMA)
            .where(col("destination").equalTo(destination))
            .where(
                col("as_of")
                    .isin(asOfs.stream().map(java.sql.Date::valueOf).toArray())
                    .unary_$bang());
    TreeSet<LocalDate> exported = new TreeSet<>(asOfs);
    for (Row r : stored.select("as_of").distinct().collectAsList()) {
      exported.add(AsOfs.localDate(r.get(0)));
    }
    List<Row> pairs = new ArrayList<>();
    for (LocalDate asOf : asOfs) {
      LocalDate before = exported.lower(asOf);
      if (before != null) {
        pairs.add(RowFactory.create(java.sql.Date.valueOf(before), java.sql.Date.valueOf(asOf)));
      }
    }
    Dataset<Row> previousOf =
        warehouse
            .spark()
            .createDataFrame(
                pairs,
                new StructType()
                    .add("_from", DataTypes.DateType, false)
                    .add("_to", DataTypes.DateType, false));
    Dataset<Row> sent =
        stored
            .where(col("person_id").isNotNull())
            .select(ExportWriter.columns(keyCols, col("as_of").as("_from")))
            .unionByName(now.withColumnRenamed(ExportWriter.EXPORT_AS_OF, "_from"));
    return sent.join(broadcast(previousOf), "_from")
        .select(ExportWriter.columns(keyCols, col("_to").as(ExportWriter.EXPORT_AS_OF)));
  }

  /**
   * Registers the exports of {@code asOfs} in one commit: {@code rows} (person_id, segment, as_of,
   * run_id) plus one marker row (person_id null) per as-of, with its run id, so an export with no
   * members still counts as the previous one.
   */
  public void register(String destination, Map<LocalDate, String> runIds, Dataset<Row> rows) {
    List<Row> markers = new ArrayList<>();
    runIds.forEach(
        (d, id) -> markers.add(RowFactory.create(null, null, java.sql.Date.valueOf(d), id)));
    StructType marker =
        new StructType()
            .add("person_id", DataTypes.StringType, true)
            .add("segment", DataTypes.StringType, true)
            .add("as_of", DataTypes.DateType, false)
            .add("run_id", DataTypes.StringType, false);
    List<LocalDate> asOfs = List.copyOf(runIds.keySet());
    String pred = "destination = '" + destination + "' AND " + Warehouse.asOfPredicate(asOfs);
    warehouse.replaceWhere(
        TABLE,
        pred,
        rows.select("person_id", "segment", "as_of", "run_id")
            .unionByName(warehouse.spark().createDataFrame(markers, marker))
            .withColumn("destination", lit(destination))
            .select("destination", "as_of", "run_id", "person_id", "segment"));
  }
}
