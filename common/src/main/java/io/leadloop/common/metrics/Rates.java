package io.leadloop.common.metrics;

import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;

/**
 * Rate and interval definitions of metrics.md, as Spark columns. Rates are exact ratios rounded
 * half-up to 4 decimals (decimal(10,4), so never {@code -0.0000}); empty when the denominator is 0.
 * Derived values are computed from unrounded doubles, bounds clamped to [0, 1], then rounded.
 */
public final class Rates {
  /** z for a 95% Wilson interval. */
  public static final double Z = 1.959964;

  private Rates() {}

  /** Unrounded {@code k / n} as a double; null when {@code n = 0}. */
  public static Column ratio(Column k, Column n) {
    return when(n.gt(0), k.cast("double").divide(n.cast("double")));
  }

  /** A published value: rounded half-up to 4 decimals. */
  public static Column round4(Column x) {
    return round(x, 4).cast("decimal(12,4)");
  }

  public static Column rate(Column k, Column n) {
    return round4(ratio(k, n));
  }

  public static Column wilsonLow(Column k, Column n) {
    return round4(wilsonLowUnrounded(k, n));
  }

  public static Column wilsonHigh(Column k, Column n) {
    return round4(wilsonHighUnrounded(k, n));
  }

  /** The unrounded Wilson bound (what a derived interval such as Newcombe's is built from). */
  public static Column wilsonLowUnrounded(Column k, Column n) {
    // greatest/least skip nulls: guard n = 0 explicitly so the bound stays empty.
    return when(n.gt(0), greatest(lit(0.0), center(k, n).minus(half(k, n))));
  }

  public static Column wilsonHighUnrounded(Column k, Column n) {
    return when(n.gt(0), least(lit(1.0), center(k, n).plus(half(k, n))));
  }

  private static Column center(Column k, Column n) {
    Column p = ratio(k, n);
    Column nd = n.cast("double");
    return p.plus(lit(Z * Z).divide(nd.multiply(2))).divide(lit(1.0).plus(lit(Z * Z).divide(nd)));
  }

  private static Column half(Column k, Column n) {
    Column p = ratio(k, n);
    Column nd = n.cast("double");
    Column inner =
        p.multiply(lit(1.0).minus(p))
            .divide(nd)
            .plus(lit(Z * Z).divide(nd.multiply(nd).multiply(4)));
    return lit(Z).multiply(sqrt(inner)).divide(lit(1.0).plus(lit(Z * Z).divide(nd)));
  }
}
