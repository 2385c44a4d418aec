package io.leadloop.common.spark;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.logging.Logger;
import org.apache.spark.sql.SparkSession;

/**
 * How a run's queries are planned, chosen from the rows the run computes over (as {@link
 * ExpressionMode} chooses how they evaluate expressions).
 *
 * <p>A small run (at most {@value #MAX_ROWS_KEY} rows, default {@value #DEFAULT_MAX_ROWS}, counted
 * as for the expression mode) plans each query whole: no adaptive execution, joins broadcast on the
 * planner's size estimates up to {@value #SMALL_BROADCAST}, and {@value #SMALL_PARTITIONS} shuffle
 * partitions. Under adaptive execution every shuffle and broadcast of a query is a Spark job of its
 * own, each with its planning, scheduling and plan description on the driver; a small run's data
 * does not need the run-time statistics that pay for them. Conformance case-2 (13,503 landing
 * rows), cold weekly runs one after the other: 59.8 / 58.3 s and 154 Spark jobs against 63.6 / 63.7
 * s and 294 jobs (docs/performance.md). Adaptive execution off alone was slower (70.2 / 75.9 s):
 * every join a sort-merge join over 8 partitions.
 *
 * <p>A large run keeps the session's plan: adaptive execution ({@link Sessions#ADAPTIVE_KEY}),
 * broadcasts only on sizes measured at run time (a static estimate of a projection of a large Delta
 * table once ran a 4 GiB driver out of memory at 1M persons), and the session's shuffle partitions.
 * A {@code -D} property of any of the three Spark keys (e.g. in {@code LEADLOOP_JAVA_OPTS}, or
 * spark-submit's {@code --conf}) fixes that setting for every run.
 */
public final class PlanMode {
  /** The most rows a run plans as a small run (a {@code -D} property). */
  public static final String MAX_ROWS_KEY = "leadloop.smallPlanMaxRows";

  /**
   * Measured up to 100,000 generated persons (1.57M rows: 127.9 / 121.0 s against 182.2 / 151.4 s
   * with the adaptive plan); at 1M persons (15.7M rows) a static estimate once ran a 4 GiB driver
   * out of memory, so the limit stays between the two.
   */
  public static final long DEFAULT_MAX_ROWS = 2_000_000;

  public static final String BROADCAST_KEY = "spark.sql.autoBroadcastJoinThreshold";
  public static final String PARTITIONS_KEY = "spark.sql.shuffle.partitions";

  /** A small run's broadcast limit on the planner's estimates. */
  public static final String SMALL_BROADCAST = "10MB";

  /** A small run's shuffle partitions: one per core of this machine kind. */
  public static final String SMALL_PARTITIONS = "2";

  /** A large run broadcasts only under adaptive execution, on measured sizes. */
  public static final String LARGE_BROADCAST = "-1";

  private static final Logger LOG = Logger.getLogger(PlanMode.class.getName());

  private PlanMode() {}

  /** Whether a run over {@code rows} rows is small under the JVM properties {@code props}. */
  public static boolean small(long rows, Properties props) {
    return rows <= ExpressionMode.maxRows(props, MAX_ROWS_KEY, DEFAULT_MAX_ROWS, "plan mode");
  }

  /**
   * The plan settings of a run over {@code rows} rows: key to value, in a fixed order. {@code
   * sessionPartitions} is the session's own number of shuffle partitions (a large run's).
   */
  public static Map<String, String> choose(long rows, Properties props, String sessionPartitions) {
    boolean small = small(rows, props);
    Map<String, String> m = new LinkedHashMap<>();
    m.put(
        Sessions.ADAPTIVE_KEY, props.getProperty(Sessions.ADAPTIVE_KEY, small ? "false" : "true"));
    m.put(
        BROADCAST_KEY, props.getProperty(BROADCAST_KEY, small ? SMALL_BROADCAST : LARGE_BROADCAST));
    m.put(
        PARTITIONS_KEY,
        props.getProperty(PARTITIONS_KEY, small ? SMALL_PARTITIONS : sessionPartitions));
    return m;
  }

  /** Sets the plan of {@code spark}'s later queries for a run over {@code rows} rows. */
  public static Map<String, String> apply(SparkSession spark, long rows) {
    String sessionPartitions =
        spark.sparkContext().getConf().get(PARTITIONS_KEY, Sessions.DEFAULT_SHUFFLE_PARTITIONS);
    Map<String, String> settings = choose(rows, System.getProperties(), sessionPartitions);
    boolean changed = false;
    for (Map.Entry<String, String> e : settings.entrySet()) {
      if (!e.getValue().equals(spark.conf().get(e.getKey(), null))) {
        spark.conf().set(e.getKey(), e.getValue());
        changed = true;
      }
    }
    if (changed) {
      LOG.info(String.format("plan: %s for %,d rows", settings, rows));
    }
    return settings;
  }
}
