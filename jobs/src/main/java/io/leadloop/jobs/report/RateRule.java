package io.leadloop.jobs.report;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The one place the report computes a rate: where it sums counts over mart rows (over sources, or
 * over weeks), the rate is recomputed from the summed counts with the marts' own rule (metrics.md:
 * the exact ratio {@code k/n} rounded half-up to 4 decimals; empty when {@code n = 0}). Rates of a
 * single mart row are shown as the mart stored them, never recomputed.
 */
public final class RateRule {
  private RateRule() {}

  /** {@code k/n} rounded half-up to 4 decimals, or {@code null} when {@code n = 0}. */
  public static BigDecimal rate(long k, long n) {
    if (n == 0) {
      return null;
    }
    return BigDecimal.valueOf(k).divide(BigDecimal.valueOf(n), 4, RoundingMode.HALF_UP);
  }
}
