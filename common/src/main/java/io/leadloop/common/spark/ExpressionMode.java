package io.leadloop.common.spark;

import java.util.Properties;
import java.util.logging.Logger;
import org.apache.spark.sql.SparkSession;

/**
 * Whether a run's queries evaluate expressions interpreted or as generated, compiled classes
 * ({@link Sessions#CODEGEN_FACTORY_KEY}), chosen from the rows the run computes over.
 *
 * <p>Compiling is a fixed cost of every new JVM: each distinct projection, predicate and ordering
 * is a class Janino compiles in the tasks. Interpreting costs per row. Measured on 2 cores, one
 * weekly run each way (docs/performance.md): conformance case-2 (13,503 landing rows) and 10,000
 * generated persons (157,236 rows) ran 22% and 9% faster interpreted; 1,000,000 persons (15.7M
 * rows) ran 1.5 times as long (599 s against 387 s; facts 259 s against 153 s), and 100,000 persons
 * (1.57M rows) were even (121 s against 119 s). So runs over at most {@value #MAX_ROWS_KEY} rows
 * (default {@value #DEFAULT_MAX_ROWS}) interpret, larger ones compile. A {@code -D} property
 * {@value Sessions#CODEGEN_FACTORY_KEY} (e.g. in {@code LEADLOOP_JAVA_OPTS}) fixes the mode for
 * every run instead.
 */
public final class ExpressionMode {
  /** The most rows a run interprets its expressions for (a {@code -D} property). */
  public static final String MAX_ROWS_KEY = "leadloop.interpretedMaxRows";

  public static final long DEFAULT_MAX_ROWS = 500_000;

  /**
   * Landing bytes per row, to size files not yet parsed: 110-113 in the generated sets (CSV and
   * JSON lines of the contract), rounded down so that the estimate errs towards more rows.
   */
  public static final long LANDING_BYTES_PER_ROW = 100;

  public static final String INTERPRETED = "NO_CODEGEN";
  public static final String COMPILED = "FALLBACK";

  private static final Logger LOG = Logger.getLogger(ExpressionMode.class.getName());

  private ExpressionMode() {}

  /**
   * The mode for a run over {@code rows} rows under the JVM properties {@code props}: the property
   * {@value Sessions#CODEGEN_FACTORY_KEY} when given, else interpreted up to {@value #MAX_ROWS_KEY}
   * rows.
   */
  public static String choose(long rows, Properties props) {
    String fixed = props.getProperty(Sessions.CODEGEN_FACTORY_KEY);
    if (fixed != null) {
      return fixed;
    }
    return rows <= maxRows(props, MAX_ROWS_KEY, DEFAULT_MAX_ROWS, "expression mode")
        ? INTERPRETED
        : COMPILED;
  }

  /**
   * The row limit the property {@code key} of {@code props} gives ({@code fallback} when unset),
   * for choosing {@code mode}; a value that is not a number stops the run.
   */
  static long maxRows(Properties props, String key, long fallback, String mode) {
    String max = props.getProperty(key);
    try {
      return max == null ? fallback : Long.parseLong(max.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "Cannot choose the " + mode + ": " + key + " is not a number: " + max, e);
    }
  }

  /** Sets the mode of {@code spark}'s later queries for a run over {@code rows} rows. */
  public static String apply(SparkSession spark, long rows) {
    String mode = choose(rows, System.getProperties());
    if (!mode.equals(spark.conf().get(Sessions.CODEGEN_FACTORY_KEY, null))) {
      spark.conf().set(Sessions.CODEGEN_FACTORY_KEY, mode);
      LOG.info(String.format("expressions: %s for %,d rows", mode, rows));
    }
    return mode;
  }
}
