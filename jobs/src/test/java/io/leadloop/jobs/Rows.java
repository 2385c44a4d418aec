package io.leadloop.jobs;

import io.leadloop.jobs.publish.CsvFiles;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Collects a small dataset as maps of column → value formatted as the CSV files print it. */
public final class Rows {
  private Rows() {}

  public static List<Map<String, String>> of(Dataset<Row> ds) {
    List<Map<String, String>> out = new ArrayList<>();
    String[] cols = ds.columns();
    for (Row r : ds.collectAsList()) {
      Map<String, String> m = new LinkedHashMap<>();
      for (int i = 0; i < cols.length; i++) {
        m.put(cols[i], CsvFiles.format(r.get(i)));
      }
      out.add(m);
    }
    return out;
  }

  /** The single row whose {@code column} equals {@code value}. */
  public static Map<String, String> one(Dataset<Row> ds, String column, String value) {
    List<Map<String, String>> m = of(ds).stream().filter(r -> value.equals(r.get(column))).toList();
    if (m.size() != 1) {
      throw new AssertionError("expected one row with " + column + "=" + value + ", got " + m);
    }
    return m.get(0);
  }
}
