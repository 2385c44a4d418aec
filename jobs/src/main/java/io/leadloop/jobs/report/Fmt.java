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
    BigDecimal oneDecimal = BigDecimal.valueOf(v).setScale(1, java.math.RoundingMode.HALF_UP);
    if (oneDecimal.stripTrailingZeros().scale() <= 0) {
      return String.format(Locale.ROOT, "%,d", oneDecimal.longValue());
    }
    return String.format(Locale.ROOT, "%,.1f", oneDecimal);
  }

  /** A 4-decimal rate as a percentage with 2 decimals: the same digits, {@code 0.3333 → 33.33%}. */
  static String percent(BigDecimal rate) {
    if (rate == null) {
      return EMPTY;
    }
    return rate.setScale(4, java.math.RoundingMode.HALF_UP).movePointRight(2).toPlainString() + "%";
  }

  /** A difference of two 4-decimal rates in percentage points, signed: {@code +12.50 pts}. */
  static String points(BigDecimal diff) {
    if (diff == null) {
      return EMPTY;
    }
    String p = diff.setScale(4, java.math.RoundingMode.HALF_UP).movePointRight(2).toPlainString();
    return (diff.signum() > 0 ? "+" : "") + p + " pts";
  }

  /** Minutes with one decimal, as the mart stored them. */
  static String minutes(BigDecimal m) {
    return m == null ? EMPTY : m.toPlainString() + " min";
  }
}
