package io.leadloop.common.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leadloop.common.SparkTestBase;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Small runs plan each query whole (no adaptive execution, static broadcasts up to 10 MB, two
 * shuffle partitions); large runs keep the session's adaptive plan; properties fix each setting.
 */
class PlanModeTest extends SparkTestBase {
  private static final String AQE = "spark.sql.adaptive.enabled";
  private static final String BROADCAST = "spark.sql.autoBroadcastJoinThreshold";
  private static final String PARTITIONS = "spark.sql.shuffle.partitions";

  @Test
  void runsUpToTwoMillionRowsAreSmall() {
    Properties none = new Properties();
    assertThat(PlanMode.choose(2_000_000, none, "8"))
        .containsExactly(
            Map.entry(AQE, "false"), Map.entry(BROADCAST, "10MB"), Map.entry(PARTITIONS, "2"));
    assertThat(PlanMode.choose(2_000_001, none, "8"))
        .containsExactly(
            Map.entry(AQE, "true"), Map.entry(BROADCAST, "-1"), Map.entry(PARTITIONS, "8"));
    assertThat(PlanMode.choose(15_000_000, none, "200")).containsEntry(PARTITIONS, "200");
  }

  @Test
  void aPropertyMovesTheLimitOrFixesASetting() {
    Properties max = new Properties();
    max.setProperty("leadloop.smallPlanMaxRows", "1000");
    assertThat(PlanMode.small(1000, max)).isTrue();
    assertThat(PlanMode.small(1001, max)).isFalse();

    Properties fixed = new Properties();
    fixed.setProperty(AQE, "true");
    fixed.setProperty(PARTITIONS, "16");
    assertThat(PlanMode.choose(10, fixed, "8"))
        .containsExactly(
            Map.entry(AQE, "true"), Map.entry(BROADCAST, "10MB"), Map.entry(PARTITIONS, "16"));
    Properties broadcast = new Properties();
    broadcast.setProperty(BROADCAST, "1MB");
    assertThat(PlanMode.choose(10_000_000, broadcast, "8")).containsEntry(BROADCAST, "1MB");

    Properties bad = new Properties();
    bad.setProperty("leadloop.smallPlanMaxRows", "many");
    assertThatThrownBy(() -> PlanMode.small(1, bad))
        .hasMessage("Cannot choose the plan mode: leadloop.smallPlanMaxRows is not a number: many");
  }

  @Test
  void aRunSetsThePlanOfTheSessionsLaterQueries() {
    try {
      PlanMode.apply(spark(), 13_503);
      assertThat(spark().conf().get(AQE)).isEqualTo("false");
      assertThat(spark().conf().get(BROADCAST)).isEqualTo("10MB");
      assertThat(spark().conf().get(PARTITIONS)).isEqualTo("2");
      // a large run gets the session's own partitions back: the test session is built with 2
      PlanMode.apply(spark(), 15_000_000);
      assertThat(spark().conf().get(AQE)).isEqualTo("true");
      assertThat(spark().conf().get(BROADCAST)).isEqualTo("-1");
      assertThat(spark().conf().get(PARTITIONS)).isEqualTo("2");
    } finally {
      spark().conf().set(AQE, "true");
      spark().conf().set(BROADCAST, "-1");
    }
  }
}
