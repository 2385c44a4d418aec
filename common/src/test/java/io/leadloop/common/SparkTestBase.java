package io.leadloop.common;

import io.leadloop.common.fs.NioLocalFileSystem;
import io.leadloop.common.spark.Sessions;
import java.util.Locale;
import java.util.TimeZone;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.junit.jupiter.api.AfterAll;

/**
 * One shared local Spark session per test JVM (local[2], UI off, 2 shuffle partitions, 2 MiB memory
 * pages, UTC, Delta enabled), as Delta's own Java tests do. Test classes extend this and put tables
 * under {@code @TempDir}.
 */
public abstract class SparkTestBase {
  private static SparkSession spark;

  protected static synchronized SparkSession spark() {
    if (spark == null) {
      TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
      Locale.setDefault(Locale.ROOT);
      spark =
          Sessions.builder("leadloop-test")
              .master("local[2]")
              .config("spark.sql.shuffle.partitions", "2")
              .config("spark.default.parallelism", "2")
              .config("spark.sql.adaptive.enabled", "true")
              .config("spark.driver.host", "127.0.0.1")
              .config("spark.databricks.delta.snapshotPartitions", "1")
              // Small pages, as bin/leadloop gives small runs: the default grows with the heap (64
              // MiB at 6 GiB) and each sort or aggregation task takes a fresh one. On 2 cores,
              // ConformanceTest and IncrementalFactsTest took 195.0 s (26.0 s in the kernel)
              // against 233.1 s (92.7 s) with the default.
              .config("spark.buffer.pageSize", "2m")
              .getOrCreate();
      spark.sparkContext().setLogLevel("ERROR");
      // test classes before this one may have listed local files with a plain Configuration
      NioLocalFileSystem.install(spark.sparkContext().hadoopConfiguration());
    }
    spark.conf().set("spark.sql.session.timeZone", "UTC");
    return spark;
  }

  /**
   * Leaves the shared session as the next class expects it: no cached data (a test that expects a
   * failure may stop a job before it releases its caches) and no cached Delta logs of deleted
   * {@code @TempDir} tables.
   */
  @AfterAll
  static void releaseCaches() {
    synchronized (SparkTestBase.class) {
      if (spark != null) {
        spark.catalog().clearCache();
        DeltaLog.clearCache();
      }
    }
  }
}
