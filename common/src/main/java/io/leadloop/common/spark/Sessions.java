package io.leadloop.common.spark;

import org.apache.spark.sql.SparkSession;

/**
 * The Spark session factory: Delta extension and catalog, java.time values in rows, UTC by default
 * (each run sets the pipeline time zone), small shuffle partition counts and AQE for one machine.
 * Under {@code spark-submit} the master comes from the submit command; otherwise {@code
 * LEADLOOP_MASTER} or {@code local[*]}.
 */
public final class Sessions {
  /** Environment variable naming the Spark master when not submitted. */
  public static final String MASTER_ENV = "LEADLOOP_MASTER";

  public static final String DEFAULT_SHUFFLE_PARTITIONS = "8";

  private Sessions() {}

  public static SparkSession.Builder builder(String appName) {
    SparkSession.Builder b =
        SparkSession.builder()
            .appName(appName)
            .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
            .config(
                "spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
            .config("spark.sql.datetime.java8API.enabled", "true")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.sql.adaptive.enabled", "true")
            .config("spark.sql.shuffle.partitions", DEFAULT_SHUFFLE_PARTITIONS)
            .config("spark.ui.enabled", "false")
            .config("spark.sql.ansi.enabled", "false")
            .config("spark.databricks.delta.snapshotPartitions", "2")
            .config("spark.databricks.delta.stalenessLimit", "0")
            .config("spark.sql.sources.partitionOverwriteMode", "static");
    if (System.getProperty("spark.master") == null) {
      String master = System.getenv(MASTER_ENV);
      b = b.master(master == null || master.isBlank() ? "local[*]" : master);
    }
    return b;
  }

  public static SparkSession getOrCreate(String appName) {
    SparkSession s = builder(appName).getOrCreate();
    s.sparkContext().setLogLevel("WARN");
    return s;
  }
}
