package io.leadloop.jobs.weekly;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadloop.common.SparkTestBase;
import io.leadloop.jobs.SharedRuns;
import io.leadloop.jobs.TestPaths;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs {@code weekly} on each conformance case of {@code ../shared/conformance} and requires the
 * shared checker to find every expected file identical (its expectations were worked out by an
 * independent implementation of the spec).
 */
class ConformanceTest extends SparkTestBase {
  @ParameterizedTest
  @ValueSource(strings = {"case-1", "case-2"})
  void matchesExpectedOutputs(String name) throws Exception {
    Path c = TestPaths.shared().resolve("conformance").resolve(name);
    // The case's weekly run (case-1's is also the S3 and cluster runs' reference).
    Path out = SharedRuns.conformance(spark(), name).out();
    String report = check(c.resolve("expected"), out);
    System.out.println(name + ":\n" + report);
    assertThat(report).contains("13 of 13 files match");
  }

  /**
   * Runs the shared checker on an output folder; returns its report, and fails unless it exits 0.
   */
  static String check(Path expected, Path out) throws Exception {
    Process p =
        new ProcessBuilder(
                "python3",
                TestPaths.shared().resolve("conformance/check.py").toString(),
                expected.toString(),
                out.toString())
            .redirectErrorStream(true)
            .start();
    String report = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(report).isZero();
    return report;
  }
}
