package io.leadloop.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.slice;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Tables compared as multisets of rows, all of them in one Spark query: each row as JSON (so that
 * tables of any schema stack, maps included), counted per table on either side. A comparison of a
 * dozen tables took three queries per table before, and each query of a test pays Spark's fixed
 * cost per job.
 */
public final class SameRows {
  /** Times to the microsecond (JSON's default keeps milliseconds). */
  private static final Map<String, String> JSON =
      Map.of(
          "timestampFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX",
          "timestampNTZFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSSSS");

  private static final int SHOWN = 5;

  private final List<String> tables = new ArrayList<>();
  private Dataset<Row> rows; // table, row, n_actual, n_expected

  /**
   * Adds a table: {@code actual}'s rows against {@code expected}'s, on {@code actual}'s columns.
   */
  public SameRows add(String table, Dataset<Row> actual, Dataset<Row> expected) {
    if (tables.contains(table)) {
      throw new IllegalArgumentException("Cannot compare " + table + " twice");
    }
    Column[] cols =
        Arrays.stream(actual.columns()).map(c -> col("`" + c + "`")).toArray(Column[]::new);
    Dataset<Row> both =
        tagged(table, actual, cols, 1).unionByName(tagged(table, expected, cols, 0));
    rows = rows == null ? both : rows.unionByName(both);
    tables.add(table);
    return this;
  }

  /** Every table added has the same rows on both sides, and has rows. */
  public void assertSameAndNonEmpty() {
    check(true);
  }

  /** Every table added has the same rows on both sides (none on either is the same). */
  public void assertSame() {
    check(false);
  }

  private void check(boolean nonEmpty) {
    if (rows == null) {
      throw new IllegalStateException("Cannot compare: no table added");
    }
    Dataset<Row> perRow =
        rows.groupBy("table", "row").agg(sum("n_actual").as("a"), sum("n_expected").as("e"));
    Map<String, Row> perTable = new HashMap<>();
    for (Row r :
        perRow
            .groupBy("table")
            .agg(
                sum("a"),
                sum("e"),
                slice(
                    collect_list(
                        when(
                            col("a").notEqual(col("e")),
                            format_string(
                                "%s (actual %d, expected %d)", col("row"), col("a"), col("e")))),
                    1,
                    SHOWN))
            .collectAsList()) {
      perTable.put(r.getString(0), r);
    }
    for (String t : tables) {
      Row r = perTable.get(t);
      long actual = r == null ? 0 : r.getLong(1);
      long expected = r == null ? 0 : r.getLong(2);
      List<String> differ = r == null ? List.of() : r.getList(3);
      assertThat(differ).as(t + ": rows that differ (up to " + SHOWN + ")").isEmpty();
      assertThat(actual).as(t + " rows").isEqualTo(expected);
      if (nonEmpty) {
        assertThat(actual).as(t + " rows").isPositive();
      }
    }
  }

  private static Dataset<Row> tagged(String table, Dataset<Row> ds, Column[] cols, int actual) {
    return ds.select(
        lit(table).as("table"),
        to_json(struct(cols), JSON).as("row"),
        lit(actual).as("n_actual"),
        lit(1 - actual).as("n_expected"));
  }
}
