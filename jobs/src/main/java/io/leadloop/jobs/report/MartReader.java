package io.leadloop.jobs.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.dense_rank;
import static org.apache.spark.sql.functions.lit;

import io.leadloop.common.spark.Warehouse;
import io.leadloop.jobs.metrics.MartRows;
import io.leadloop.jobs.metrics.MartStore;
import io.leadloop.jobs.publish.GrainOrder;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The mart rows the report reads: this run's rows of each mart (as the metrics step published them,
 * or read once from the warehouse when it was not given them), the rows of earlier as-ofs for
 * trends (one read per table), and sums of counts over rows, worked out here as Spark's {@code sum}
 * and {@code min} would (the report never recomputes a metric from facts). A mart that does not
 * exist reads as no rows.
 */
final class MartReader {
  private static final String AS_OF = "as_of";

  private final Warehouse warehouse;
  private final LocalDate asOf;

  /** This run's rows by table: the published ones, and those read so far. */
  private final Map<String, MartRows> current = new HashMap<>();

  /**
   * @param published this run's rows of the marts published by the run (by table, without {@code
   *     as_of}); a table not in it is read from the warehouse, once
   */
  MartReader(Warehouse warehouse, LocalDate asOf, Map<String, MartRows> published) {
    this.warehouse = warehouse;
    this.asOf = asOf;
    this.current.putAll(published);
  }

  LocalDate asOf() {
    return asOf;
  }

  /** The mart's rows of this run's as-of (without {@code as_of}), ordered by {@code orderBy}. */
  List<Row> rows(String table, String... orderBy) {
    MartRows m = current(table);
    return orderBy.length == 0 || m.rows().isEmpty()
        ? m.rows()
        : GrainOrder.sorted(m.rows(), m.schema(), orderBy);
  }

  /** {@link #group} over this run's rows of the mart. */
  List<Row> aggregate(String table, Predicate<Row> where, List<String> groupBy, List<Agg> aggs) {
    return group(current(table), where, groupBy, aggs);
  }

  /**
   * The mart's rows (with {@code as_of}) of the last {@code n} as-of values present up to this
   * run's: this run's rows as in {@link #rows}, and those of earlier as-ofs in one read.
   */
  MartRows recent(String table, int n) {
    MartRows now = current(table);
    int earlier = now.rows().isEmpty() ? n : n - 1;
    StructType schema = now.schema().add(AS_OF, DataTypes.DateType);
    List<Row> out = new ArrayList<>();
    if (earlier > 0 && MartStore.exists(warehouse, table)) {
      // Ranked in the same query, so only the trend's as-ofs reach the driver (not a year of runs).
      Dataset<Row> d =
          MartStore.read(warehouse, table)
              .where(col(AS_OF).lt(lit(java.sql.Date.valueOf(asOf))))
              .withColumn("as_of_rank", dense_rank().over(Window.orderBy(col(AS_OF).desc())))
              .where(col("as_of_rank").leq(lit(earlier)))
              .drop("as_of_rank");
      out.addAll(d.collectAsList());
    }
    Object day = dateValue(asOf);
    for (Row r : now.rows()) {
      Object[] values = new Object[r.size() + 1];
      for (int i = 0; i < r.size(); i++) {
        values[i] = r.get(i);
      }
      values[r.size()] = day;
      out.add(new GenericRowWithSchema(values, schema));
    }
    return new MartRows(schema, out);
  }

  /** This run's rows of {@code table}: given, or read once. */
  private MartRows current(String table) {
    return current.computeIfAbsent(
        table,
        t -> {
          if (!MartStore.exists(warehouse, t)) {
            return new MartRows(new StructType(), List.of());
          }
          Dataset<Row> d =
              MartStore.read(warehouse, t)
                  .where(col(AS_OF).equalTo(lit(java.sql.Date.valueOf(asOf))))
                  .drop(AS_OF);
          return new MartRows(d.schema(), d.collectAsList());
        });
  }

  /** A date as Spark gives it in a row under the session's settings. */
  private Object dateValue(LocalDate d) {
    boolean java8 =
        Boolean.parseBoolean(
            warehouse.spark().conf().get("spark.sql.datetime.java8API.enabled", "false"));
    return java8 ? d : java.sql.Date.valueOf(d);
  }

  /**
   * An aggregate of a group's rows, named {@code name}: the sum of {@code column} (Spark's {@code
   * sum}: a long for whole numbers, a decimal of the column's scale, null when every value is
   * null), or, with a condition, the least value of {@code column} over the rows that meet it
   * (Spark's {@code min(when(condition, column))}).
   */
  record Agg(String name, String column, Predicate<Row> minWhere) {
    static Agg sum(String column) {
      return new Agg(column, column, null);
    }

    static Agg minWhere(String name, String column, Predicate<Row> condition) {
      return new Agg(name, column, condition);
    }
  }

  /**
   * The aggregates over the rows matching {@code where}, grouped by {@code groupBy} and ordered by
   * it as Spark's {@code groupBy(...).agg(...).orderBy(...)} gives them (without keys: one row,
   * even of no rows). The rows are read by column name; their types are those of {@code m}'s
   * schema.
   */
  static List<Row> group(MartRows m, Predicate<Row> where, List<String> groupBy, List<Agg> aggs) {
    List<StructField> fields = new ArrayList<>();
    for (String k : groupBy) {
      fields.add(field(m.schema(), k));
    }
    for (Agg a : aggs) {
      DataType t = field(m.schema(), a.column()).dataType();
      fields.add(
          DataTypes.createStructField(a.name(), a.minWhere() == null ? sumType(t) : t, true));
    }
    StructType schema = DataTypes.createStructType(fields);
    Map<List<Object>, Object[]> groups = new LinkedHashMap<>();
    if (groupBy.isEmpty()) {
      groups.put(List.of(), new Object[aggs.size()]);
    }
    for (Row r : m.rows()) {
      if (!where.test(r)) {
        continue;
      }
      Object[] key = groupBy.stream().map(r::getAs).toArray();
      Object[] acc = groups.computeIfAbsent(Arrays.asList(key), k -> new Object[aggs.size()]);
      for (int i = 0; i < aggs.size(); i++) {
        Agg a = aggs.get(i);
        Object v = r.getAs(a.column());
        if (v == null) {
          continue;
        }
        if (a.minWhere() != null) {
          if (a.minWhere().test(r) && (acc[i] == null || GrainOrder.compare(v, acc[i]) < 0)) {
            acc[i] = v;
          }
        } else {
          acc[i] = add(acc[i], v);
        }
      }
    }
    List<Row> out = new ArrayList<>();
    for (var e : groups.entrySet()) {
      Object[] values = new Object[groupBy.size() + aggs.size()];
      for (int i = 0; i < groupBy.size(); i++) {
        values[i] = e.getKey().get(i);
      }
      for (int i = 0; i < aggs.size(); i++) {
        Object v = e.getValue()[i];
        values[groupBy.size() + i] =
            v instanceof BigDecimal b
                ? b.setScale(((DecimalType) schema.fields()[groupBy.size() + i].dataType()).scale())
                : v;
      }
      out.add(new GenericRowWithSchema(values, schema));
    }
    return groupBy.isEmpty() ? out : GrainOrder.sorted(out, schema, groupBy.toArray(new String[0]));
  }

  private static StructField field(StructType schema, String name) {
    return schema.fields()[schema.fieldIndex(name)];
  }

  /** The type of Spark's {@code sum} of a column of type {@code t}. */
  private static DataType sumType(DataType t) {
    if (t instanceof DecimalType d) {
      return DataTypes.createDecimalType(
          Math.min(DecimalType.MAX_PRECISION(), d.precision() + 10), d.scale());
    }
    if (t.equals(DataTypes.ByteType)
        || t.equals(DataTypes.ShortType)
        || t.equals(DataTypes.IntegerType)
        || t.equals(DataTypes.LongType)) {
      return DataTypes.LongType;
    }
    throw new IllegalArgumentException("the report sums whole numbers and decimals, not " + t);
  }

  private static Object add(Object sum, Object v) {
    if (v instanceof BigDecimal b) {
      return sum == null ? b : ((BigDecimal) sum).add(b);
    }
    long x = ((Number) v).longValue();
    return sum == null ? x : Math.addExact((Long) sum, x);
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

  /** A date column as a date, or {@code null}. */
  static LocalDate date(Row r, String column) {
    Object v = r.getAs(column);
    if (v == null) {
      return null;
    }
    return io.leadloop.common.metrics.AsOfs.localDate(v);
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
