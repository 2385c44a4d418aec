package io.leadloop.common.spark;

import io.leadloop.common.LeadloopException;
import io.leadloop.common.fs.NioLocalFileSystem;
import io.leadloop.common.fs.NioLocalFs;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Logger;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark session factory: Delta extension and catalog, java.time values in rows, UTC by default
 * (each run sets the pipeline time zone), small shuffle partition counts and AQE for one machine.
 * Under {@code spark-submit} the master comes from the submit command; otherwise {@code
 * LEADLOOP_MASTER} or {@code local[*]}.
 *
 * <p>S3 ({@code s3a://} locations): the S3A connector is configured from the environment, only for
 * the variables that are set, so a cluster's own {@code spark.hadoop.fs.s3a.*} settings stay in
 * force otherwise: {@value #S3_ENDPOINT_ENV} (e.g. {@code http://127.0.0.1:9000} for MinIO; unset
 * for AWS), {@value #S3_PATH_STYLE_ENV} ({@code true} for MinIO and most S3-compatible servers),
 * {@value #S3_REGION_ENV} (default {@code us-east-1} when an endpoint is given). Credentials are
 * never configured here: S3A's default provider chain reads {@code AWS_ACCESS_KEY_ID} / {@code
 * AWS_SECRET_ACCESS_KEY} (and {@code AWS_SESSION_TOKEN}) from the environment, or the instance /
 * container role.
 *
 * <p>Local paths ({@code file:}) go through {@link io.leadloop.common.fs.NioLocalFileSystem}:
 * Hadoop's local file system without a process per file written or commit made.
 */
public final class Sessions {
  /** Environment variable naming the Spark master when not submitted. */
  public static final String MASTER_ENV = "LEADLOOP_MASTER";

  /** S3 endpoint URL of an S3-compatible server ({@code http://host:port}); unset for AWS S3. */
  public static final String S3_ENDPOINT_ENV = "LEADLOOP_S3_ENDPOINT";

  /** {@code true} for path-style requests ({@code http://host/bucket/key}), as MinIO needs. */
  public static final String S3_PATH_STYLE_ENV = "LEADLOOP_S3_PATH_STYLE";

  /** The S3 region (signing region for S3-compatible servers). */
  public static final String S3_REGION_ENV = "LEADLOOP_S3_REGION";

  /** The region used when an endpoint is given without one (S3A refuses an empty region). */
  public static final String DEFAULT_S3_REGION = "us-east-1";

  public static final String DEFAULT_SHUFFLE_PARTITIONS = "8";

  /** Spark's switch for whole-stage code generation. */
  public static final String WHOLE_STAGE_KEY = "spark.sql.codegen.wholeStage";

  /** Whole-stage code generation is off unless {@value #WHOLE_STAGE_KEY} is given (see below). */
  public static final String DEFAULT_WHOLE_STAGE = "false";

  /**
   * How Spark builds the small evaluators of expressions outside whole stages (projections,
   * predicates, orderings): generated and compiled classes ({@code FALLBACK}, Spark's default) or
   * interpreted ({@code NO_CODEGEN}).
   */
  public static final String CODEGEN_FACTORY_KEY = "spark.sql.codegen.factoryMode";

  /** Spark's switch for adaptive query execution: on unless given as a -D property. */
  public static final String ADAPTIVE_KEY = "spark.sql.adaptive.enabled";

  /** The form of the plan descriptions Spark posts to its listeners (the UI, an event log). */
  public static final String EXPLAIN_MODE_KEY = "spark.sql.ui.explainMode";

  /** The longest plan description Spark builds, in characters. */
  public static final String PLAN_STRING_KEY = "spark.sql.maxPlanStringLength";

  /** The Hadoop file system class for {@code file:} paths. */
  public static final String LOCAL_FS_KEY = "spark.hadoop.fs.file.impl";

  /** The Hadoop {@code FileContext} file system class for {@code file:} paths. */
  public static final String LOCAL_FILE_CONTEXT_KEY =
      "spark.hadoop.fs.AbstractFileSystem.file.impl";

  private static final Logger LOG = Logger.getLogger(Sessions.class.getName());

  private Sessions() {}

  public static SparkSession.Builder builder(String appName) {
    SparkSession.Builder b =
        SparkSession.builder()
            .appName(appName)
            .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
            .config(
                "spark.sql.catalog.spark_catalog",
                "org.apache.spark.sql.delta.catalog.DeltaCatalog")
            .config("spark.sql.datetime.java8API.enabled", "true")
            .config("spark.sql.session.timeZone", "UTC")
            .config(ADAPTIVE_KEY, System.getProperty(ADAPTIVE_KEY, "true"))
            .config("spark.sql.shuffle.partitions", DEFAULT_SHUFFLE_PARTITIONS)
            // Broadcast joins only on sizes measured at run time (AQE's shuffle statistics), never
            // on the planner's static estimates: a projection of a large Delta table can be
            // estimated at a few MiB and broadcast, which ran a 4 GiB driver out of memory at 1M
            // persons ("Could not allocate memory to grow BytesToBytesMap"). Known-tiny sides
            // (the ledger's file list) carry an explicit broadcast hint. A small run's plan
            // (PlanMode) broadcasts on estimates: its tables are small.
            .config("spark.sql.autoBroadcastJoinThreshold", "-1")
            .config("spark.sql.adaptive.autoBroadcastJoinThreshold", "10MB")
            .config("spark.ui.enabled", "false")
            // The status store keeps every SQL execution's plan even with the UI off; a weekly
            // run is a few hundred executions and a backfill many weeks of them in one driver,
            // so keep only the recent ones (the defaults, 1,000 of each, held GiBs of plans).
            .config("spark.sql.ui.retainedExecutions", "50")
            .config("spark.ui.retainedJobs", "100")
            .config("spark.ui.retainedStages", "100")
            .config("spark.ui.retainedTasks", "10000")
            // No partial window-group limit before the shuffle: it sorts every map partition by
            // key to keep the first row of each key, and most keys ranked here (the ids of the
            // states at the cutoff) have one row, so that sort bought nothing. Off, a 1M weekly
            // run's facts used 135-136 s of task CPU instead of 143 s (docs/performance.md).
            .config("spark.sql.optimizer.windowGroupLimitThreshold", "-1")
            .config("spark.sql.ansi.enabled", "false")
            .config("spark.databricks.delta.snapshotPartitions", "2")
            .config("spark.databricks.delta.stalenessLimit", "0")
            .config("spark.sql.sources.partitionOverwriteMode", "static")
            // No file list in Delta's checksum file: with one, Delta rebuilds the table's state
            // after every commit to verify that list whenever the session's time zone is not UTC
            // (a run's session is in the pipeline zone), a Spark job per commit that a run which
            // seldom reads a table it has just written never needed. Off, a case-2 weekly run
            // made 368 Spark jobs instead of 435, with the same outputs.
            .config("spark.databricks.delta.allFilesInCrc.enabled", "false");
    // Plan descriptions in the simple form, at most 8 KiB: Spark describes a query's plan to its
    // listeners when it starts and again each time an adaptive stage completes, in the formatted
    // form by default, whether or not a UI reads it. Our plans are deep (the facts, and every
    // query over the cached facts repeats their plan), so on a small run that was about 40% of the
    // driver thread's CPU (profiled on conformance case-2: 1,244 of 3,164 samples in
    // QueryExecution.explainString). Either may be given as a -D property instead.
    b = b.config(EXPLAIN_MODE_KEY, System.getProperty(EXPLAIN_MODE_KEY, "simple"));
    b = b.config(PLAN_STRING_KEY, System.getProperty(PLAN_STRING_KEY, "8192"));
    // No whole-stage code generation unless asked for (WHOLE_STAGE_KEY as a -D property, e.g. in
    // LEADLOOP_JAVA_OPTS, or spark-submit's --conf): each run is a new JVM, and each whole stage
    // is a new class of large methods the JIT compiles again every run, on cores the tasks need.
    // Off, a 1M weekly run was faster in each of the four 1M pairs measured on 2 cores (full 245
    // s against 298 s, next week 175 against 225 s, a week from a copied warehouse 244 / 244 s
    // against 293 / 253 s; the facts used ~25 s less task CPU), with the same figures; at 100k
    // the difference was within the noise (docs/performance.md, "Settings that matter").
    b = b.config(WHOLE_STAGE_KEY, wholeStage(System.getProperties()));
    // Expression evaluators as for a run over no rows (ExpressionMode): interpreted unless a -D
    // property fixes the mode. Without whole stages, Spark still generates and compiles (Janino) a
    // class for each distinct projection, predicate and ordering, in the tasks, in every new JVM;
    // on conformance case-2 that compiling was half of the task threads' CPU samples. Each run
    // then chooses from the rows it computes over.
    b = b.config(CODEGEN_FACTORY_KEY, ExpressionMode.choose(0, System.getProperties()));
    // Local files without a process per file created or committed (NioLocalFileSystem); a -D
    // property of either key picks another class.
    b =
        b.config(
            LOCAL_FS_KEY, System.getProperty(LOCAL_FS_KEY, NioLocalFileSystem.class.getName()));
    b =
        b.config(
            LOCAL_FILE_CONTEXT_KEY,
            System.getProperty(LOCAL_FILE_CONTEXT_KEY, NioLocalFs.class.getName()));
    Map<String, String> s3 = s3aSettingsFromEnv(System.getenv());
    for (var e : s3.entrySet()) {
      b = b.config("spark.hadoop." + e.getKey(), e.getValue());
    }
    if (!s3.isEmpty()) {
      // Endpoint, style and region only: nothing secret is ever logged.
      LOG.info("S3A settings from the environment: " + s3);
    }
    if (System.getProperty("spark.master") == null) {
      String master = System.getenv(MASTER_ENV);
      b = b.master(master == null || master.isBlank() ? "local[*]" : master);
    }
    return b;
  }

  /**
   * Whether Spark generates code per whole stage: {@value #WHOLE_STAGE_KEY} of {@code props} (the
   * JVM's system properties, where {@code -D} and spark-submit's {@code --conf} put it), else
   * {@value #DEFAULT_WHOLE_STAGE}.
   */
  static String wholeStage(java.util.Properties props) {
    return props.getProperty(WHOLE_STAGE_KEY, DEFAULT_WHOLE_STAGE);
  }

  public static SparkSession getOrCreate(String appName) {
    SparkSession s = builder(appName).getOrCreate();
    NioLocalFileSystem.install(s.sparkContext().hadoopConfiguration());
    s.sparkContext().setLogLevel("WARN");
    return s;
  }

  /**
   * The Hadoop S3A settings ({@code fs.s3a.*} keys) for the {@code LEADLOOP_S3_*} variables of
   * {@code env}; empty when none is set.
   */
  public static Map<String, String> s3aSettingsFromEnv(Map<String, String> env) {
    String endpoint = blankToNull(env.get(S3_ENDPOINT_ENV));
    String style = blankToNull(env.get(S3_PATH_STYLE_ENV));
    String region = blankToNull(env.get(S3_REGION_ENV));
    if (endpoint == null && style == null && region == null) {
      return Map.of();
    }
    Boolean pathStyle = null;
    if (style != null) {
      String v = style.toLowerCase(Locale.ROOT);
      if (!v.equals("true") && !v.equals("false")) {
        throw new LeadloopException(
            "Cannot configure S3: "
                + S3_PATH_STYLE_ENV
                + " must be true or false, not '"
                + style
                + "'");
      }
      pathStyle = Boolean.valueOf(v);
    }
    return s3aSettings(endpoint, pathStyle, region);
  }

  /**
   * S3A settings ({@code fs.s3a.*} keys without the {@code spark.hadoop.} prefix) for an endpoint,
   * addressing style and region; a {@code null} argument leaves S3A's default. An {@code http://}
   * endpoint turns TLS off; an endpoint without a region gets {@value #DEFAULT_S3_REGION}. Apply
   * them to a Hadoop configuration as they are, or per bucket as {@code fs.s3a.bucket.<bucket>.*}.
   */
  public static Map<String, String> s3aSettings(String endpoint, Boolean pathStyle, String region) {
    Map<String, String> m = new LinkedHashMap<>();
    if (endpoint != null) {
      m.put("fs.s3a.endpoint", endpoint);
      if (endpoint.regionMatches(true, 0, "http://", 0, 7)) {
        m.put("fs.s3a.connection.ssl.enabled", "false");
      }
      if (region == null) {
        region = DEFAULT_S3_REGION;
      }
    }
    if (pathStyle != null) {
      m.put("fs.s3a.path.style.access", pathStyle.toString());
    }
    if (region != null) {
      m.put("fs.s3a.endpoint.region", region);
    }
    return m;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
