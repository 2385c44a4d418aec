package io.leadloop.jobs.metrics;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

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
    List<Column> aggs = new ArrayList<>(aggregates);
    aggs.add(count(lit(1)).as("_rows"));
    Column first = aggs.get(0);
    Column[] rest = aggs.subList(1, aggs.size()).toArray(new Column[0]);
    Dataset<Row> out =
        rows.groupBy()
            .agg(first, rest)
            .withColumn("dimension", lit(ALL))
            .withColumn("value", lit(ANY));
    for (String d : dimensions) {
      out =
          out.unionByName(
              rows.groupBy(col(d).cast("string").as("value"))
                  .agg(first, rest)
                  .withColumn("dimension", lit(d)));
    }
    return out.where(col("_rows").gt(0)).drop("_rows");
  }

  /**
   * {@link #over} every row and over the rows whose {@code matured} is true, with {@code cohorts}.
   */
  static Dataset<Row> byCohorts(Dataset<Row> rows, String[] dimensions, List<Column> aggregates) {
    return over(rows, dimensions, aggregates)
        .withColumn("cohorts", lit(ALL))
        .unionByName(
            over(rows.where(col("matured")), dimensions, aggregates)
                .withColumn("cohorts", lit(MATURED)));
  }
}
