package io.leadloop.jobs;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leadloop.common.SparkTestBase;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** The comparison the equality tests rest on: it must fail on every kind of difference. */
class SameRowsTest extends SparkTestBase {
  private static Dataset<Row> rows(String values) {
    return spark().sql("SELECT * FROM VALUES " + values + " AS t(id, at, n, tags)");
  }

  private static final String A =
      "('a', TIMESTAMP '2026-09-01 10:00:00.000001', 1.5D, map('k', 1)),"
          + " ('b', TIMESTAMP '2026-09-02 10:00:00', CAST(NULL AS DOUBLE), map('k', 2))";

  @Test
  void theSameRowsInAnotherOrderAndColumnOrderPass() {
    Dataset<Row> b =
        rows("('b', TIMESTAMP '2026-09-02 10:00:00', CAST(NULL AS DOUBLE), map('k', 2)),"
                + " ('a', TIMESTAMP '2026-09-01 10:00:00.000001', 1.5D, map('k', 1))")
            .select("tags", "n", "at", "id");
    assertThatCode(() -> new SameRows().add("t", rows(A), b).assertSameAndNonEmpty())
        .doesNotThrowAnyException();
  }

  @Test
  void aDifferenceOfAMicrosecondAValueADuplicateOrAMapFails() {
    List<String> others =
        List.of(
            // the first time a microsecond later
            "('a', TIMESTAMP '2026-09-01 10:00:00.000002', 1.5D, map('k', 1)),"
                + " ('b', TIMESTAMP '2026-09-02 10:00:00', CAST(NULL AS DOUBLE), map('k', 2))",
            // a null where a value was
            "('a', TIMESTAMP '2026-09-01 10:00:00.000001', CAST(NULL AS DOUBLE), map('k', 1)),"
                + " ('b', TIMESTAMP '2026-09-02 10:00:00', CAST(NULL AS DOUBLE), map('k', 2))",
            // a map value
            "('a', TIMESTAMP '2026-09-01 10:00:00.000001', 1.5D, map('k', 1)),"
                + " ('b', TIMESTAMP '2026-09-02 10:00:00', CAST(NULL AS DOUBLE), map('k', 3))",
            // 'a' twice and 'b' missing: the same count, another multiset
            "('a', TIMESTAMP '2026-09-01 10:00:00.000001', 1.5D, map('k', 1)),"
                + " ('a', TIMESTAMP '2026-09-01 10:00:00.000001', 1.5D, map('k', 1))");
    for (String other : others) {
      assertThatThrownBy(() -> new SameRows().add("t", rows(A), rows(other)).assertSame())
          .as(other)
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("t: rows that differ");
    }
  }

  @Test
  void aRowMoreFailsOnTheCountAndEmptyTablesOnlyWhenRowsAreRequired() {
    Dataset<Row> extra =
        rows(A + ", ('a', TIMESTAMP '2026-09-01 10:00:00.000001', 1.5D, map('k', 1))");
    // the extra row is one more of a row both have: its count differs
    assertThatThrownBy(() -> new SameRows().add("t", rows(A), extra).assertSame())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("actual 1, expected 2");
    Dataset<Row> none = rows(A).limit(0);
    SameRows empty = new SameRows().add("same", rows(A), rows(A)).add("empty", none, none);
    assertThatCode(empty::assertSame).doesNotThrowAnyException();
    assertThatThrownBy(empty::assertSameAndNonEmpty)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("empty rows");
  }
}
