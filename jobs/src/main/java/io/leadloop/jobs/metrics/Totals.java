package io.leadloop.jobs.metrics;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import io.leadloop.common.metrics.AsOfs;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The totals marts' grain: a mart's rows summed by each of its grain columns in turn ({@code
 * dimension} names the column, {@code value} holds its value as text) and over all its rows ({@code
 * dimension} {@value #ALL}, {@code value} {@value #ANY}); with {@link #byCohorts}, once over every
 * row ({@code cohorts} {@value #ALL}) and once over the matured rows only ({@code cohorts} {@value
 * #MATURED}). A group is written only when it sums at least one row. The rates of a totals row are
 * computed from its sums by the mart's own rate functions, so that a notebook or the report reads a
 * rate over several rows instead of working it out again. Pure.
 */
final class Totals {
  static final String ALL = "all";
  static final String ANY = "*";
  static final String MATURED = "matured";
  static final String[] GRAIN = {"dimension", "value"};
  static final String[] COHORTS_GRAIN = {"dimension", "value", "cohorts"};

  private Totals() {}

  /**
   * A totals mart's columns: its {@code grain}, {@code first}, the mart's {@code columns} but those
   * {@code left}, then {@code last}.
   */
  static String[] columns(
      String[] grain, String first, String[] columns, String[] left, String... last) {
    List<String> out = new ArrayList<>(List.of(grain));
    out.add(first);
    for (String c : columns) {
      if (!List.of(left).contains(c)) {
        out.add(c);
      }
    }
    out.addAll(List.of(last));
    return out.toArray(new String[0]);
  }

  /** Columns {@code dimension, value} and the {@code aggregates} over {@code rows}. */
  static Dataset<Row> over(Dataset<Row> rows, String[] dimensions, List<Column> aggregates) {
    Dataset<Row> keyed = keyed(rows, dimensions);
    return aggregate(keyed, aggregates, AsOfs.keyColumns(keyed, col("dimension"), col("value")));
  }

  /**
   * {@link #over} every row and over the rows whose {@code matured} is true, with {@code cohorts}.
   */
  static Dataset<Row> byCohorts(Dataset<Row> rows, String[] dimensions, List<Column> aggregates) {
    Column cohorts = when(col("matured"), array(lit(ALL), lit(MATURED))).otherwise(array(lit(ALL)));
    Dataset<Row> keyed = keyed(rows.withColumn("cohorts", explode(cohorts)), dimensions);
    return aggregate(
        keyed, aggregates, AsOfs.keyColumns(keyed, col("dimension"), col("value"), col("cohorts")));
  }

  /*
   * Every group in one aggregation: each row is repeated once per group it belongs to (the
   * all-rows group, then one per dimension), so the totals cost one shuffle instead of one per
   * group and a union of them. Only groups holding a row exist, as the class comment says.
   */
  private static Dataset<Row> keyed(Dataset<Row> rows, String[] dimensions) {
    List<Column> keys = new ArrayList<>();
    keys.add(struct(lit(ALL).as("dimension"), lit(ANY).as("value")));
    for (String d : dimensions) {
      keys.add(struct(lit(d).as("dimension"), col(d).cast("string").as("value")));
    }
    return rows.withColumn("_key", explode(array(keys.toArray(new Column[0]))))
        .withColumn("dimension", col("_key.dimension"))
        .withColumn("value", col("_key.value"))
        .drop("_key");
  }

  private static Dataset<Row> aggregate(
      Dataset<Row> keyed, List<Column> aggregates, Column... groups) {
    Column first = aggregates.get(0);
    Column[] rest = aggregates.subList(1, aggregates.size()).toArray(new Column[0]);
    return keyed.groupBy(groups).agg(first, rest);
  }
}
