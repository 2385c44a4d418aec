package io.leadloop.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DuckSqlTest {
  @Test
  void splitsAtSemicolonsOutsideQuotesAndCommentsAndFillsPlaceholders() {
    String text =
        "-- a comment; it may name ${absent}\n"
            + "SELECT 'a;b--c' AS \"x;y\", 'it''s;' AS q, ${n} AS n;\n"
            + "/* a block; ${absent} */ SELECT ${n} + 1 -- tail; ${absent}\n"
            + ";\n"
            + "  ;  \n";

    assertThat(DuckSql.statements("t.sql", text, Map.of("n", "41")))
        .containsExactly("SELECT 'a;b--c' AS \"x;y\", 'it''s;' AS q, 41 AS n", "SELECT 41 + 1");
  }

  @Test
  void aValueIsNeitherSplitNorFilledAgain() {
    assertThat(
            DuckSql.statements(
                "t.sql",
                "SELECT * FROM read_csv(${files}); SELECT 1",
                Map.of("files", "['/data/a;b/${cut}--x.csv']")))
        .containsExactly("SELECT * FROM read_csv(['/data/a;b/${cut}--x.csv'])", "SELECT 1");
  }

  @Test
  void aPlaceholderWithoutValueFailsNamingItAndTheFile() {
    assertThatThrownBy(
            () ->
                DuckSql.statements(
                    "metrics.sql", "SELECT 1;\nSELECT ${x} + ${y}", Map.of("y", "2")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Cannot run DuckDB baseline: placeholder ${x} in metrics.sql has no value");
  }

  @Test
  void aShippedFileNeedsItsValues() {
    // the first statement of state.sql (leads at the cutoff) uses ${cut}
    assertThatThrownBy(() -> DuckSql.statements("state.sql", Map.of()))
        .hasMessage("Cannot run DuckDB baseline: placeholder ${cut} in state.sql has no value");
    assertThat(DuckSql.statements("macros.sql", Map.of()))
        .hasSize(5)
        .allSatisfy(s -> assertThat(s).startsWith("CREATE OR REPLACE MACRO ll_"));
  }

  @Test
  void anUnterminatedStringFails() {
    assertThatThrownBy(() -> DuckSql.statements("t.sql", "SELECT 'a;\nSELECT 2", Map.of()))
        .hasMessageStartingWith("Cannot run DuckDB baseline: unterminated ' in t.sql");
  }
}
