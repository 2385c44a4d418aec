package io.leadloop.jobs.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadloop.common.SparkTestBase;
import java.sql.Date;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The driver-side sort of published rows is the order of Spark's {@code orderBy} on the grain. */
class GrainOrderTest extends SparkTestBase {
  static final StructType SCHEMA =
      new StructType()
          .add("week", DataTypes.DateType)
          .add("source", DataTypes.StringType)
          .add("n", DataTypes.LongType)
          .add("flag", DataTypes.BooleanType);

  static Row row(String week, String source, Long n, Boolean flag) {
    return RowFactory.create(week == null ? null : Date.valueOf(week), source, n, flag);
  }

  @Test
  void sortsAsSparkDoes() {
    // By hand: week ascending, missing first; then source by code point (missing first, "L10" <
    // "L9", upper case before lower, U+FF21 before U+1F600 although UTF-16 puts the surrogate
    // pair of U+1F600 first); then n by value (negative first); then false before true.
    List<Row> expected =
        List.of(
            row(null, "b", 1L, true),
            row("2026-03-02", null, 5L, false),
            row("2026-03-02", "L10", 1L, false),
            row("2026-03-02", "L9", -3L, true),
            row("2026-03-02", "L9", 2L, false),
            row("2026-03-02", "L9", 2L, true),
            row("2026-03-02", "Z", null, false),
            row("2026-03-02", "a", 0L, false),
            row("2026-03-02", "\uFF21", 0L, false),
            row("2026-03-02", "\uD83D\uDE00", 0L, false),
            row("2026-03-09", "a", 0L, false));
    List<Row> shuffled = new ArrayList<>(expected);
    Collections.shuffle(shuffled, new java.util.Random(7));
    String[] grain = {"week", "source", "n", "flag"};

    assertThat(GrainOrder.sorted(shuffled, SCHEMA, grain)).containsExactlyElementsOf(expected);
    // Spark's rows hold its own date objects: compared by their text
    assertThat(
            spark()
                .createDataFrame(shuffled, SCHEMA)
                .orderBy("week", "source", "n", "flag")
                .collectAsList()
                .stream()
                .map(Row::toString))
        .containsExactlyElementsOf(expected.stream().map(Row::toString).toList());
  }
}
