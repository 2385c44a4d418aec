package io.leadloop.jobs.report;

import java.math.BigDecimal;
import java.util.Locale;

/** How numbers are printed in tables and chart labels (no rounding of rates beyond the marts'). */
final class Fmt {
  /** Shown for an empty value (a rate with a zero denominator, a missing median). */
  static final String EMPTY = "–";

  private Fmt() {}

  /** A count, with thousands separators; a fractional count (credit) with one decimal. */
  static String count(double v) {
    if (v == Math.rint(v)) {
      return String.format(Locale.ROOT, "%,d", (long) v);
    }
    return String.format(Locale.ROOT, "%,.1f", v);
  }

  /** A 4-decimal rate as a percentage with 2 decimals: the same digits, {@code 0.3333 → 33.33%}. */
  static String percent(BigDecimal rate) {
    if (rate == null) {
      return EMPTY;
    }
    return rate.setScale(4, java.math.RoundingMode.UNNECESSARY).movePointRight(2).toPlainString() + "%";
  }

  /** A rate held as a double (chart labels of values that came from a 4-decimal rate). */
  static String percent(double rate) {
    return percent(BigDecimal.valueOf(rate).setScale(4, java.math.RoundingMode.HALF_UP));
  }

  /** Minutes with one decimal, as the mart stored them. */
  static String minutes(BigDecimal m) {
    return m == null ? EMPTY : m.toPlainString() + " min";
  }
}
