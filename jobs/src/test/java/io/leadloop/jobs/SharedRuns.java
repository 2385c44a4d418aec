package io.leadloop.jobs;

import io.leadloop.common.config.ConfigLoader;
import io.leadloop.jobs.weekly.WeeklyJob;
import io.leadloop.jobs.weekly.WeeklyOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.io.FileUtils;
import org.apache.spark.sql.SparkSession;

/**
 * Weekly runs that several test classes compare against, each run once per test JVM: the local run
 * of conformance case-1 (the checker's, the S3 run's and the cluster run's reference) and the run
 * of {@code data-samples} (the crash tests' uninterrupted run, the browser's report). A caller
 * reads them and never writes under them: a test that changes a warehouse copies it first.
 */
public final class SharedRuns {
  /** A finished run: its warehouse, its out folder and what it returned. */
  public record Run(Path warehouse, Path out, WeeklyJob.Result result) {}

  /** As-of and ingestion time of the conformance runs (the cases' README). */
  public static final LocalDate CONFORMANCE_AS_OF = LocalDate.parse("2026-09-30");

  public static final Instant CONFORMANCE_INGESTED_AT = Instant.parse("2026-11-23T00:00:00Z");
  public static final LocalDate SAMPLES_AS_OF = LocalDate.parse("2026-09-27");
  public static final Instant SAMPLES_INGESTED_AT = Instant.parse("2026-10-01T00:00:00Z");

  private static final Map<String, Run> RUNS = new HashMap<>();
  private static Path root;

  private SharedRuns() {}

  /** The weekly run of conformance case {@code name} (e.g. {@code case-1}), in local mode. */
  public static Run conformance(SparkSession spark, String name) {
    Path c = TestPaths.shared().resolve("conformance").resolve(name);
    return run(
        spark,
        name,
        c.resolve("landing"),
        c.resolve("config.yaml"),
        CONFORMANCE_AS_OF,
        CONFORMANCE_INGESTED_AT);
  }

  /** The weekly run of the bundled {@code data-samples} with their configuration. */
  public static Run samples(SparkSession spark) {
    Path s = TestPaths.repoRoot().resolve("data-samples");
    return run(
        spark, "data-samples", s, s.resolve("config.yaml"), SAMPLES_AS_OF, SAMPLES_INGESTED_AT);
  }

  private static synchronized Run run(
      SparkSession spark,
      String key,
      Path landing,
      Path config,
      LocalDate asOf,
      Instant ingestedAt) {
    Run done = RUNS.get(key);
    if (done != null) {
      return done;
    }
    Path dir = root().resolve(key);
    Path wh = dir.resolve("wh");
    Path out = dir.resolve("out");
    WeeklyJob.Result result =
        new WeeklyJob(
                spark,
                new WeeklyOptions(
                    landing.toString(),
                    wh.toString(),
                    out.toString(),
                    asOf,
                    ConfigLoader.load(config),
                    ingestedAt,
                    false))
            .execute();
    Run r = new Run(wh, out, result);
    RUNS.put(key, r);
    return r;
  }

  private static Path root() {
    if (root == null) {
      try {
        root = Files.createTempDirectory("leadloop-shared-runs");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Path r = root;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> FileUtils.deleteQuietly(r.toFile())));
    }
    return root;
  }
}
