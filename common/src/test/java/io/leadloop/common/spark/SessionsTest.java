package io.leadloop.common.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadloop.common.ProcessStarts;
import io.leadloop.common.SparkTestBase;
import io.leadloop.common.fs.NioLocalFileSystem;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
  void theSessionCompilesNoClassPerExpression() {
    assertThat(System.getProperty("spark.sql.codegen.factoryMode")).isNull();
    assertThat(spark().conf().get("spark.sql.codegen.factoryMode")).isEqualTo("NO_CODEGEN");
    // Spark counts the classes it compiles (CodegenMetrics). A query of the same shape with a new
    // literal compiles new classes when code is generated, and nothing when they are interpreted
    // (what is left, e.g. the aggregation's row joiner, depends only on the
    // schema and was compiled by the first query).
    assertThat(compiledBySaltedQuery()).isZero();
    spark().conf().set("spark.sql.codegen.factoryMode", "FALLBACK");
    try {
      assertThat(compiledBySaltedQuery()).isPositive();
    } finally {
      spark().conf().set("spark.sql.codegen.factoryMode", "NO_CODEGEN");
    }
  }

  /** Classes compiled by the second of two queries that differ only in a literal. */
  private long compiledBySaltedQuery() {
    var compiled = org.apache.spark.metrics.source.CodegenMetrics.METRIC_COMPILATION_TIME();
    saltedQuery(System.nanoTime());
    long before = compiled.getCount();
    saltedQuery(System.nanoTime() + 1);
    return compiled.getCount() - before;
  }

  private void saltedQuery(long salt) {
    var rows =
        spark()
            .range(100)
            .selectExpr("id % 7 AS k", "id * " + salt + " AS x")
            .where("x >= " + -salt)
            .groupBy("k")
            .count()
            .orderBy("k")
            .collectAsList();
    assertThat(rows).hasSize(7);
    assertThat(rows.get(0).getLong(1)).isEqualTo(15); // ids 0, 7, ..., 98
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

  @Test
  void aDeltaTableIsWrittenWithoutAProcessPerFile(@TempDir Path tmp) throws Exception {
    Configuration conf = spark().sparkContext().hadoopConfiguration();
    assertThat(FileSystem.get(tmp.toUri(), conf)).isInstanceOf(NioLocalFileSystem.class);
    String table = tmp.resolve("t").toString();
    List<String> started =
        ProcessStarts.during(
            tmp.resolve("processes.jfr"),
            () -> {
              // a table created, then a second commit (a file and a directory each, and a log
              // rename)
              spark().range(3).write().format("delta").save(table);
              spark().range(3, 5).write().format("delta").mode("append").save(table);
            });
    assertThat(spark().read().format("delta").load(table).count()).isEqualTo(5);
    assertThat(started).isEmpty();
  }

  @Test
  void aLocalFileSystemCachedBeforeTheSessionIsReplaced() throws Exception {
    Configuration conf = spark().sparkContext().hadoopConfiguration();
    URI local = URI.create("file:///");
    // as a tool that lists local files before any session exists: Hadoop's own gets cached
    // (closing the session's instance only takes it out of the cache; its holders keep it)
    FileSystem.get(local, conf).close();
    try {
      FileSystem plain = FileSystem.get(local, new Configuration());
      assertThat(plain).isNotInstanceOf(NioLocalFileSystem.class);
      assertThat(FileSystem.get(local, conf)).isSameAs(plain);
    } finally {
      NioLocalFileSystem.install(conf);
    }
    FileSystem installed = FileSystem.get(local, conf);
    assertThat(installed).isInstanceOf(NioLocalFileSystem.class);
    assertThat(FileSystem.get(local, new Configuration())).isSameAs(installed);
    // the configured class already cached stays
    NioLocalFileSystem.install(conf);
    assertThat(FileSystem.get(local, conf)).isSameAs(installed);
  }
}
