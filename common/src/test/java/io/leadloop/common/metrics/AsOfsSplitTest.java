package io.leadloop.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Collected rows of several as-ofs split by as-of ({@link AsOfs#split}), no Spark session. */
class AsOfsSplitTest {
  private static final LocalDate W1 = LocalDate.parse("2026-09-20");
  private static final LocalDate W2 = LocalDate.parse("2026-09-27");
  private static final LocalDate W3 = LocalDate.parse("2026-10-04");

  /** (segment, as_of, persons): the as-of in the middle, as a grouping's key can put it. */
  private static final StructType SCHEMA =
      new StructType()
          .add("segment", DataTypes.StringType)
          .add(AsOfs.AS_OF, DataTypes.DateType)
          .add("persons", DataTypes.LongType);

  private static Row row(String segment, LocalDate d, long persons) {
    return RowFactory.create(segment, java.sql.Date.valueOf(d), persons);
  }

  @Test
  void eachAsOfGetsItsRowsInOrderWithoutTheAsOf() {
    List<Row> rows =
        List.of(row("stalled", W2, 4L), row("no_show", W1, 2L), row("stalled", W1, 7L));

    Map<LocalDate, List<Row>> split = AsOfs.split(rows, SCHEMA, 1, List.of(W1, W2, W3), "counts");

    assertThat(split.keySet()).containsExactly(W1, W2, W3);
    assertThat(split.get(W1))
        .extracting(r -> r.getString(0) + "," + r.getLong(1))
        .containsExactly("no_show,2", "stalled,7");
    assertThat(split.get(W2).get(0).schema().fieldNames()).containsExactly("segment", "persons");
    assertThat(split.get(W2).get(0).getLong(1)).isEqualTo(4L);
    assertThat(split.get(W3)).isEmpty();
  }

  @Test
  void aRowOfAnotherAsOfIsAnError() {
    List<Row> rows = List.of(row("stalled", W3, 1L));

    assertThatThrownBy(() -> AsOfs.split(rows, SCHEMA, 1, List.of(W1, W2), "mart_x"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Cannot split mart_x by as-of: a row of as-of 2026-10-04, not of this run");
  }
}
