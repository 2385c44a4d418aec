package io.leadloop.common.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leadloop.common.SparkTestBase;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Interpreted expressions for small runs, compiled ones for large runs, or what a property says.
 */
class ExpressionModeTest extends SparkTestBase {

  @Test
  void runsUpToHalfAMillionRowsInterpretAndLargerOnesCompile() {
    Properties none = new Properties();
    assertThat(ExpressionMode.choose(0, none)).isEqualTo("NO_CODEGEN");
    assertThat(ExpressionMode.choose(500_000, none)).isEqualTo("NO_CODEGEN");
    assertThat(ExpressionMode.choose(500_001, none)).isEqualTo("FALLBACK");
  }

  @Test
  void aPropertyMovesTheLimitOrFixesTheMode() {
    Properties max = new Properties();
    max.setProperty("leadloop.interpretedMaxRows", "1000");
    assertThat(ExpressionMode.choose(1000, max)).isEqualTo("NO_CODEGEN");
    assertThat(ExpressionMode.choose(1001, max)).isEqualTo("FALLBACK");

    Properties fixed = new Properties();
    fixed.setProperty("spark.sql.codegen.factoryMode", "CODEGEN_ONLY");
    assertThat(ExpressionMode.choose(1, fixed)).isEqualTo("CODEGEN_ONLY");
    Properties generated = new Properties();
    generated.setProperty("spark.sql.codegen.factoryMode", "FALLBACK");
    assertThat(ExpressionMode.choose(0, generated)).isEqualTo("FALLBACK");

    Properties bad = new Properties();
    bad.setProperty("leadloop.interpretedMaxRows", "many");
    assertThatThrownBy(() -> ExpressionMode.choose(1, bad))
        .hasMessage(
            "Cannot choose the expression mode: leadloop.interpretedMaxRows is not a number: many");
  }

  @Test
  void aRunSetsTheModeOfTheSessionsLaterQueries() {
    String key = "spark.sql.codegen.factoryMode";
    try {
      assertThat(ExpressionMode.apply(spark(), 2_000_000)).isEqualTo("FALLBACK");
      assertThat(spark().conf().get(key)).isEqualTo("FALLBACK");
      assertThat(ExpressionMode.apply(spark(), 13_503)).isEqualTo("NO_CODEGEN");
      assertThat(spark().conf().get(key)).isEqualTo("NO_CODEGEN");
    } finally {
      spark().conf().set(key, "NO_CODEGEN");
    }
  }
}
