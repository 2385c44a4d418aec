package io.leadloop.common.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadloop.common.SparkTestBase;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The session settings leadloop chooses, and how a user overrides them. */
class SessionsTest extends SparkTestBase {

  @Test
  void wholeStageCodegenIsOffUnlessAPropertyAsksForIt() {
    assertThat(Sessions.wholeStage(new Properties())).isEqualTo("false");
    Properties on = new Properties();
    on.setProperty("spark.sql.codegen.wholeStage", "true");
    assertThat(Sessions.wholeStage(on)).isEqualTo("true");
  }

  @Test
  void theSessionRunsWithoutWholeStageCodegen() {
    // The test JVM sets no such property: the session has leadloop's default.
    assertThat(System.getProperty("spark.sql.codegen.wholeStage")).isNull();
    assertThat(spark().conf().get("spark.sql.codegen.wholeStage")).isEqualTo("false");
    // And a plan has no whole-stage codegen node (Spark marks them "*(n)" in the plan string).
    String plan =
        spark()
            .range(10)
            .selectExpr("id * 2 AS x")
            .where("x > 4")
            .queryExecution()
            .executedPlan()
            .toString();
    assertThat(plan).contains("Filter").doesNotContain("WholeStageCodegen").doesNotContain("*(");
  }

  @Test
  void s3SettingsComeOnlyFromTheVariablesThatAreSet() {
    assertThat(Sessions.s3aSettingsFromEnv(Map.of())).isEmpty();
    assertThat(
            Sessions.s3aSettingsFromEnv(
                Map.of(
                    Sessions.S3_ENDPOINT_ENV, "http://127.0.0.1:9000",
                    Sessions.S3_PATH_STYLE_ENV, "TRUE")))
        .containsEntry("fs.s3a.endpoint", "http://127.0.0.1:9000")
        .containsEntry("fs.s3a.connection.ssl.enabled", "false")
        .containsEntry("fs.s3a.path.style.access", "true")
        .containsEntry("fs.s3a.endpoint.region", "us-east-1")
        .hasSize(4);
  }
}
