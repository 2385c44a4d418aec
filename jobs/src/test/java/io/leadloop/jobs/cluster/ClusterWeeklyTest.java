package io.leadloop.jobs.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadloop.common.SparkTestBase;
import io.leadloop.jobs.SharedRuns;
import io.leadloop.jobs.TestPaths;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The weekly job submitted to a real Spark standalone cluster: a master and a worker started as
 * separate JVMs from the test classpath (no Spark distribution), and the driver in a third JVM with
 * {@code -Dspark.master=spark://...} as spark-submit would start it ({@code
 * io.leadloop.jobs.cli.Main weekly ...}). Its executor runs on the worker, which finds the leadloop
 * classes through {@code spark.executor.extraClassPath}. The outputs must equal a local-mode run of
 * the same inputs.
 *
 * <p>With {@code -Dleadloop.test.clusterJar=jobs/target/leadloop-cluster.jar} the application is
 * that jar instead of the project's class folders and libraries (Spark's own libraries still come
 * from the test classpath): a check that the cluster jar holds everything Spark does not.
 */
@Tag("objectstore")
class ClusterWeeklyTest extends SparkTestBase {
  static final LocalDate AS_OF = LocalDate.parse("2026-09-30");
  static final String INGESTED_AT = "2026-11-23T00:00:00Z";
  static final List<ChildJvm> CHILDREN = new ArrayList<>();

  /**
   * The master and worker JVMs: small, and the JIT's first tier only (they mostly wait), with the
   * serial collector. Four cold JVMs share the machine's cores, so their compiler threads compete
   * with the run.
   */
  static final List<String> DAEMON_FLAGS =
      List.of("-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

  @TempDir static Path tmp;
  static String master;
  static Path workDir;
  static Path log4j;

  @BeforeAll
  static void startCluster() throws Exception {
    Path sparkHome = Files.createDirectories(tmp.resolve("spark-home/jars"));
    workDir = Files.createDirectories(tmp.resolve("worker-work"));
    log4j = tmp.resolve("log4j2.properties");
    Files.writeString(
        log4j,
        """
        rootLogger.level = warn
        rootLogger.appenderRef.stdout.ref = console
        appender.console.type = Console
        appender.console.name = console
        appender.console.layout.type = PatternLayout
        appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n
        logger.deploy.name = org.apache.spark.deploy
        logger.deploy.level = info
        logger.leadloop.name = io.leadloop
        logger.leadloop.level = info
        """);
    int port = freePort();
    master = "spark://127.0.0.1:" + port;
    Map<String, String> env =
        Map.of("SPARK_HOME", sparkHome.getParent().toString(), "SPARK_SCALA_VERSION", "2.13");
    ChildJvm m =
        start(
            "spark-master",
            DAEMON_FLAGS,
            ChildJvm.testClasspath(),
            List.of(
                "org.apache.spark.deploy.master.Master",
                "--host",
                "127.0.0.1",
                "--port",
                String.valueOf(port),
                "--webui-port",
                String.valueOf(freePort())),
            env);
    m.awaitLine(
        Pattern.compile("I have been elected leader|Starting Spark master at"),
        Duration.ofMinutes(2));
    ChildJvm w =
        start(
            "spark-worker",
            DAEMON_FLAGS,
            ChildJvm.testClasspath(),
            List.of(
                "org.apache.spark.deploy.worker.Worker",
                master,
                "--host",
                "127.0.0.1",
                "--port",
                String.valueOf(freePort()),
                "--webui-port",
                String.valueOf(freePort()),
                "--cores",
                "1",
                "--memory",
                "1g",
                "--work-dir",
                workDir.toString()),
            env);
    w.awaitLine(Pattern.compile("Successfully registered with master"), Duration.ofMinutes(2));
  }

  @AfterAll
  static void stopCluster() {
    // Driver first, then worker (and its executors), then master.
    for (int i = CHILDREN.size() - 1; i >= 0; i--) {
      CHILDREN.get(i).close();
    }
  }

  static ChildJvm start(
      String name,
      List<String> jvmArgs,
      String classpath,
      List<String> mainAndArgs,
      Map<String, String> env)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(ChildJvm.java());
    cmd.addAll(ChildJvm.moduleFlags());
    cmd.addAll(jvmArgs);
    cmd.add("-Dlog4j2.configurationFile=" + log4j.toUri());
    cmd.add("-cp");
    cmd.add(classpath);
    cmd.addAll(mainAndArgs);
    ChildJvm c =
        ChildJvm.start(
            name, cmd, env, Path.of("target", "child-logs", name + ".log").toAbsolutePath());
    CHILDREN.add(c);
    return c;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /**
   * The application's classpath: the test classpath, or with {@code leadloop.test.clusterJar} that
   * jar plus the test classpath's libraries that are not in it.
   */
  static String applicationClasspath() {
    String jar = System.getProperty("leadloop.test.clusterJar");
    if (jar == null || jar.isBlank()) {
      return ChildJvm.testClasspath();
    }
    Pattern inJar =
        Pattern.compile(
            ".*/(target/(test-)?classes|leadloop-common[^/]*\\.jar|delta-[^/]*\\.jar|unitycatalog[^/]*\\.jar"
                + "|jackson-dataformat-yaml[^/]*\\.jar|snakeyaml[^/]*\\.jar|compiler-0[^/]*\\.jar|jfreechart[^/]*\\.jar"
                + "|org\\.jfree\\.svg[^/]*\\.jar)/?");
    List<String> cp = new ArrayList<>();
    cp.add(Path.of(jar).toAbsolutePath().toString());
    Arrays.stream(ChildJvm.testClasspath().split(File.pathSeparator))
        .filter(e -> !inJar.matcher(e.replace('\\', '/')).matches())
        .forEach(cp::add);
    return String.join(File.pathSeparator, cp);
  }

  @Test
  void weeklyOnAStandaloneClusterMatchesLocalMode() throws Exception {
    Path c = TestPaths.shared().resolve("conformance/case-1");
    Path clusterOut = tmp.resolve("cluster-out");
    String appCp = applicationClasspath();
    long t0 = System.nanoTime();
    ChildJvm driver =
        start(
            "spark-driver",
            Stream.concat(
                    ChildJvm.COLD_RUN_FLAGS.stream(),
                    Stream.of(
                        "-Xmx2g",
                        "-Dspark.executor.extraJavaOptions="
                            + String.join(" ", ChildJvm.COLD_RUN_FLAGS),
                        "-Dspark.master=" + master,
                        "-Dspark.app.name=leadloop-cluster-test",
                        "-Dspark.driver.host=127.0.0.1",
                        "-Dspark.driver.bindAddress=127.0.0.1",
                        "-Dspark.executor.memory=1g",
                        "-Dspark.cores.max=1",
                        "-Dspark.executor.extraClassPath=" + appCp))
                .toList(),
            appCp,
            List.of(
                "io.leadloop.jobs.cli.Main",
                "weekly",
                "--landing",
                c.resolve("landing").toString(),
                "--warehouse",
                tmp.resolve("cluster-wh").toString(),
                "--out",
                clusterOut.toString(),
                "--as-of",
                AS_OF.toString(),
                "--config",
                c.resolve("config.yaml").toString(),
                "--ingested-at",
                INGESTED_AT),
            Map.of());
    int status = driver.waitFor(Duration.ofMinutes(20));
    long t1 = System.nanoTime();
    assertThat(status).as(driver.tail()).isZero();
    assertThat(driver.output()).contains("leadloop: run ");
    // The work ran in an executor on the worker (its stderr is kept under the work dir).
    List<Path> executorLogs;
    try (Stream<Path> s = Files.walk(workDir)) {
      executorLogs = s.filter(p -> p.getFileName().toString().equals("stderr")).toList();
    }
    assertThat(executorLogs).as("executor logs under " + workDir).isNotEmpty();
    assertThat(Files.readString(executorLogs.get(0))).contains("CoarseGrainedExecutorBackend");

    System.out.printf(
        "case-1 weekly: standalone cluster (driver JVM, 1 executor of 1 core) %.1f s%n",
        (t1 - t0) / 1e9);
    // Local mode: case-1's weekly run, shared with the conformance and S3 tests.
    SharedRuns.Run local = SharedRuns.conformance(spark(), "case-1");
    assertThat(local.result().summary().asOf()).isEqualTo(AS_OF.toString());
    assertThat(INGESTED_AT).isEqualTo(SharedRuns.CONFORMANCE_INGESTED_AT.toString());
    int n = Outputs.assertSame(local.out(), clusterOut);
    System.out.println("identical outputs (local mode vs cluster): " + n + " files");
    System.out.println(Outputs.check(c.resolve("expected"), clusterOut));
  }
}
