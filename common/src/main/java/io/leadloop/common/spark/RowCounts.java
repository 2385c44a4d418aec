package io.leadloop.common.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The row counts of several datasets in one query: a {@code count()} per dataset is a query each
 * (two Spark jobs under adaptive execution), and a run that reports the rows of ten kept datasets
 * paid twenty jobs for them.
 */
public final class RowCounts {
  private RowCounts() {}

  /** Rows per name ({@code name}, {@code rows}); a dataset without rows has no row here. Pure. */
  public static Dataset<Row> counted(Map<String, Dataset<Row>> datasets) {
    if (datasets.isEmpty()) {
      throw new IllegalArgumentException("Cannot count rows: no dataset given");
    }
    Dataset<Row> names = null;
    for (var e : datasets.entrySet()) {
      Dataset<Row> n = e.getValue().select(lit(e.getKey()).as("name"));
      names = names == null ? n : names.unionAll(n);
    }
    return names.groupBy(col("name")).count().withColumnRenamed("count", "rows");
  }

  /** The rows of each dataset, in the order given (0 for an empty one). */
  public static Map<String, Long> of(Map<String, Dataset<Row>> datasets) {
    Map<String, Long> out = new LinkedHashMap<>();
    datasets.keySet().forEach(k -> out.put(k, 0L));
    for (Row r : counted(datasets).collectAsList()) {
      out.put(r.getString(0), r.getLong(1));
    }
    return out;
  }

  /**
   * The rows of each dataset at each as-of of {@code asOfs}: datasets of several as-ofs side by
   * side ({@code as_of} column, {@link io.leadloop.common.metrics.AsOfs}), counted in one query; 0
   * for an as-of without rows.
   */
  public static Map<LocalDate, Map<String, Long>> byAsOf(
      Map<String, Dataset<Row>> datasets, List<LocalDate> asOfs) {
    Map<LocalDate, Map<String, Long>> out = new LinkedHashMap<>();
    for (LocalDate d : asOfs) {
      Map<String, Long> zero = new LinkedHashMap<>();
      datasets.keySet().forEach(k -> zero.put(k, 0L));
      out.put(d, zero);
    }
    Dataset<Row> names = null;
    for (var e : datasets.entrySet()) {
      Dataset<Row> n = e.getValue().select(lit(e.getKey()).as("name"), col("as_of"));
      names = names == null ? n : names.unionAll(n);
    }
    for (Row r : names.groupBy(col("name"), col("as_of")).count().collectAsList()) {
      Map<String, Long> of = out.get(LocalDate.parse(String.valueOf(r.get(1))));
      if (of != null) {
        of.put(r.getString(0), r.getLong(2));
      }
    }
    return out;
  }
}
