package io.leadloop.jobs.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.leadloop.common.spark.Warehouse;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Reads the marts back from the warehouse for the report: the rows of the run's as-of, the as-of
 * values of earlier runs, and sums of counts over mart rows (Spark does the grouping; the report
 * never recomputes a metric from facts). A mart that does not exist reads as no rows.
 */
final class MartReader {
  private final Warehouse warehouse;
  private final LocalDate asOf;

  MartReader(Warehouse warehouse, LocalDate asOf) {
    this.warehouse = warehouse;
    this.asOf = asOf;
  }

  LocalDate asOf() {
    return asOf;
  }

  /** The mart's rows of this run's as-of (without the {@code as_of} column), in grain order. */
  List<Row> rows(String table, String... orderBy) {
    if (!warehouse.exists(table)) {
      return List.of();
    }
    Dataset<Row> d = current(table).drop("as_of");
    return d.orderBy(orderBy.length == 0 ? new Column[0] : cols(orderBy)).collectAsList();
  }

  /** The last {@code n} as-of values present in the mart up to this run's, oldest first. */
  List<LocalDate> recentAsOfs(String table, int n) {
    if (!warehouse.exists(table)) {
      return List.of();
    }
    List<Row> rows =
        warehouse
            .read(table)
            .where(col("as_of").leq(lit(java.sql.Date.valueOf(asOf))))
            .select("as_of")
            .distinct()
            .orderBy(col("as_of").desc())
            .limit(n)
            .collectAsList();
    List<LocalDate> out = new ArrayList<>();
    for (int i = rows.size() - 1; i >= 0; i--) {
      Object d = rows.get(i).get(0);
      out.add(d instanceof LocalDate ld ? ld : ((java.sql.Date) d).toLocalDate());
    }
    return out;
  }

  /**
   * Sums of the given aggregate columns over the mart rows matching {@code where} (of any as-of:
   * the caller filters), grouped by {@code groupBy} and ordered by it.
   */
  List<Row> aggregate(String table, Column where, List<String> groupBy, List<Column> aggregates) {
    if (!warehouse.exists(table)) {
      return List.of();
    }
    Column[] keys = cols(groupBy.toArray(new String[0]));
    Dataset<Row> d = warehouse.read(table).where(where);
    Column first = aggregates.get(0);
    Column[] rest = aggregates.subList(1, aggregates.size()).toArray(new Column[0]);
    return d.groupBy(keys).agg(first, rest).orderBy(keys).collectAsList();
  }

  /** The predicate "rows of this run's as-of". */
  Column thisRun() {
    return col("as_of").equalTo(lit(java.sql.Date.valueOf(asOf)));
  }

  private Dataset<Row> current(String table) {
    return warehouse.read(table).where(thisRun());
  }

  private static Column[] cols(String... names) {
    Column[] c = new Column[names.length];
    for (int i = 0; i < names.length; i++) {
      c[i] = col(names[i]);
    }
    return c;
  }

  /** A count column of a row (0 when null). */
  static long count(Row r, String column) {
    Object v = r.getAs(column);
    return v == null ? 0 : ((Number) v).longValue();
  }

  /** A decimal column (a rate, credit or minutes) as stored, or {@code null}. */
  static BigDecimal decimal(Row r, String column) {
    Object v = r.getAs(column);
    if (v == null) {
      return null;
    }
    return v instanceof BigDecimal b ? b : new BigDecimal(v.toString());
  }

  /** A text or date column as text ({@code ""} when null). */
  static String text(Row r, String column) {
    Object v = r.getAs(column);
    return v == null ? "" : v.toString();
  }

  static boolean flag(Row r, String column) {
    Object v = r.getAs(column);
    return v instanceof Boolean b ? b : v != null && ((Number) v).intValue() != 0;
  }
}
