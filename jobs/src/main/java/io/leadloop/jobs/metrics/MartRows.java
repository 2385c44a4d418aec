package io.leadloop.jobs.metrics;

import io.leadloop.common.metrics.AsOfs;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** One mart's rows of one as-of as published (without {@code as_of}), in grain order. */
public record MartRows(StructType schema, List<Row> rows) {
  /**
   * The rows of the as-ofs {@code asOfs} of {@code byAsOf}, each with its {@code as_of} last, as
   * one table's rows (what {@link MartStore#store} of those as-ofs takes).
   */
  public static MartRows stacked(Map<LocalDate, MartRows> byAsOf, List<LocalDate> asOfs) {
    List<Row> rows = new ArrayList<>();
    StructType schema = null;
    for (LocalDate d : asOfs) {
      MartRows of = byAsOf.get(d);
      schema = of.schema();
      Object day = java.sql.Date.valueOf(d);
      for (Row row : of.rows()) {
        Object[] v = new Object[row.length() + 1];
        for (int i = 0; i < row.length(); i++) {
          v[i] = row.get(i);
        }
        v[row.length()] = day;
        rows.add(RowFactory.create(v));
      }
    }
    return new MartRows(schema.add(AsOfs.AS_OF, DataTypes.DateType, false), rows);
  }
}
