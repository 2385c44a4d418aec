package io.leadloop.common.metrics;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.timestamp_micros;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.RelationalGroupedDataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Many as-ofs in one plan. A dataset with an {@value #AS_OF} column holds the rows of several
 * as-ofs side by side (a backfill's weeks): the as-of is then a key of every grain the transforms
 * build (each join, window and aggregation is per as-of as well), and each row is evaluated at the
 * cutoff of its own as-of instead of the run's. A dataset without one is one as-of, at the cutoff
 * the caller passes. So a transform written with these helpers computes one as-of or many with the
 * same code, and each as-of's rows are the same either way. Pure.
 */
public final class AsOfs {
  /** The as-of column (a date) of a dataset that holds several as-ofs. */
  public static final String AS_OF = "as_of";

  private AsOfs() {}

  /** The as-ofs {@code asOfs} as a one-column table ({@value #AS_OF}), joined to the states. */
  public static Dataset<Row> table(SparkSession spark, List<LocalDate> asOfs) {
    List<Row> rows = new ArrayList<>();
    asOfs.forEach(d -> rows.add(RowFactory.create(java.sql.Date.valueOf(d))));
    return spark.createDataFrame(rows, new StructType().add(AS_OF, DataTypes.DateType, false));
  }

  /**
   * A collected DATE value (an {@value #AS_OF}): {@code LocalDate} with the session's java8API
   * setting, else {@code java.sql.Date}.
   */
  public static LocalDate localDate(Object v) {
    return v instanceof LocalDate d ? d : ((java.sql.Date) v).toLocalDate();
  }

  /** Whether {@code ds} holds several as-ofs (has an {@value #AS_OF} column). */
  public static boolean stacked(Dataset<Row> ds) {
    return Arrays.asList(ds.columns()).contains(AS_OF);
  }

  /** {@code c} as microseconds: each row's own as-of's when {@code ds} is stacked. */
  public static Column cutoffMicros(Dataset<Row> ds, Cutoff c) {
    return stacked(ds) ? cutoffMicros(col(AS_OF)) : lit(c.micros());
  }

  /** {@code c} as a timestamp: each row's own as-of's when {@code ds} is stacked. */
  public static Column cutoff(Dataset<Row> ds, Cutoff c) {
    return stacked(ds) ? timestamp_micros(cutoffMicros(col(AS_OF))) : c.column();
  }

  /**
   * The cutoff of an as-of column: the start of the next day in the session (= pipeline) time zone,
   * as {@link Cutoff#micros} gives it for one as-of (Spark turns a date into a timestamp at the
   * zone's first instant of the day, as {@code LocalDate.atStartOfDay} does).
   */
  public static Column cutoffMicros(Column asOf) {
    return Cutoff.midnightMicros(date_add(asOf, 1));
  }

  /** {@code columns}, and {@value #AS_OF} when {@code ds} is stacked. */
  public static String[] keys(Dataset<Row> ds, String... columns) {
    if (!stacked(ds)) {
      return columns;
    }
    String[] out = Arrays.copyOf(columns, columns.length + 1);
    out[columns.length] = AS_OF;
    return out;
  }

  /** {@link #keys} as columns. */
  public static Column[] keyColumns(Dataset<Row> ds, Column... columns) {
    if (!stacked(ds)) {
      return columns;
    }
    Column[] out = Arrays.copyOf(columns, columns.length + 1);
    out[columns.length] = col(AS_OF);
    return out;
  }

  /** {@code ds} grouped by {@code columns}, per as-of when stacked. */
  public static RelationalGroupedDataset groupBy(Dataset<Row> ds, Column... columns) {
    return ds.groupBy(keyColumns(ds, columns));
  }

  /** {@code ds} grouped by {@code columns}, per as-of when stacked. */
  public static RelationalGroupedDataset groupBy(Dataset<Row> ds, String... columns) {
    return groupBy(ds, Arrays.stream(columns).map(c -> col(c)).toArray(Column[]::new));
  }

  /** A window partitioned by {@code columns}, per as-of when {@code ds} is stacked. */
  public static WindowSpec window(Dataset<Row> ds, String... columns) {
    return Window.partitionBy(
        Arrays.stream(keys(ds, columns)).map(c -> col(c)).toArray(Column[]::new));
  }

  /** {@code columns} (expressions of {@code selectExpr}), then {@value #AS_OF} when stacked. */
  public static Dataset<Row> select(Dataset<Row> ds, String... columns) {
    return ds.selectExpr(keys(ds, columns));
  }

  /** {@code columns}, then {@value #AS_OF} when {@code ds} is stacked. */
  public static Dataset<Row> select(Dataset<Row> ds, Column... columns) {
    return ds.select(keyColumns(ds, columns));
  }

  /**
   * {@code ds} with {@value #AS_OF} as its last column when stacked: a stacked transform's columns
   * are then those of one as-of, in the same order, followed by the as-of.
   */
  public static Dataset<Row> last(Dataset<Row> ds) {
    if (!stacked(ds)) {
      return ds;
    }
    List<Column> cols = new ArrayList<>();
    for (String c : ds.columns()) {
      if (!c.equals(AS_OF)) {
        cols.add(col("`" + c + "`"));
      }
    }
    cols.add(col(AS_OF));
    return ds.select(cols.toArray(new Column[0]));
  }

  /**
   * {@code left} joined with {@code right} on {@code on}, and on the as-of when both are stacked
   * (the result keeps {@code left}'s {@value #AS_OF}; for a semi or anti join, {@code left}'s rows
   * only).
   */
  public static Dataset<Row> join(
      Dataset<Row> left, Dataset<Row> right, Column on, String joinType) {
    if (!stacked(left) || !stacked(right)) {
      return left.join(right, on, joinType);
    }
    String other = "_right_as_of";
    Dataset<Row> r = right.withColumnRenamed(AS_OF, other);
    Dataset<Row> joined = left.join(r, on.and(col(AS_OF).equalTo(col(other))), joinType);
    return joinType.endsWith("semi") || joinType.endsWith("anti") ? joined : joined.drop(other);
  }

  /** {@link #join} of type inner. */
  public static Dataset<Row> join(Dataset<Row> left, Dataset<Row> right, Column on) {
    return join(left, right, on, "inner");
  }

  /** A join on the columns {@code using} (both sides), and on the as-of when both are stacked. */
  public static Dataset<Row> joinUsing(
      Dataset<Row> left, Dataset<Row> right, String joinType, String... using) {
    List<String> cols = new ArrayList<>(List.of(using));
    if (stacked(left) && stacked(right)) {
      cols.add(AS_OF);
    }
    return left.join(
        right, scala.jdk.javaapi.CollectionConverters.asScala(cols).toList(), joinType);
  }

  /**
   * Collected rows of {@code schema} split by their {@value #AS_OF} (the field at {@code at}), each
   * without it, as rows of the other fields; every as-of of {@code asOfs} has a list (empty when it
   * has no row), in their order. A row of another as-of is an error naming {@code what}.
   */
  public static Map<LocalDate, List<Row>> split(
      List<Row> rows, StructType schema, int at, List<LocalDate> asOfs, String what) {
    List<StructField> fields = new ArrayList<>(Arrays.asList(schema.fields()));
    fields.remove(at);
    StructType without = new StructType(fields.toArray(new StructField[0]));
    Map<LocalDate, List<Row>> out = new LinkedHashMap<>();
    asOfs.forEach(d -> out.put(d, new ArrayList<>()));
    for (Row r : rows) {
      List<Row> of = out.get(localDate(r.get(at)));
      if (of == null) {
        throw new IllegalStateException(
            "Cannot split "
                + what
                + " by as-of: a row of as-of "
                + r.get(at)
                + ", not of this run");
      }
      Object[] kept = new Object[r.length() - 1];
      for (int i = 0, j = 0; i < r.length(); i++) {
        if (i != at) {
          kept[j++] = r.get(i);
        }
      }
      of.add(new GenericRowWithSchema(kept, without));
    }
    return out;
  }
}
