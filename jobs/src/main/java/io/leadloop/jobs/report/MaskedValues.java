package io.leadloop.jobs.report;

import io.leadloop.jobs.report.ReportView.Cell;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The numbers one section shows, with the sums that link them, masked by {@link SmallCells}. Add
 * every value (and every total shown), declare the sums, call {@link #solve()}, then read the
 * cells. A rate is masked when its numerator or denominator is.
 */
final class MaskedValues {
  private final SmallCells rule;
  private final List<Double> values = new ArrayList<>();
  private final List<int[]> sums = new ArrayList<>();
  private boolean[] hidden;

  MaskedValues(SmallCells rule) {
    this.rule = rule;
  }

  /** Registers a value shown; returns its id. */
  int add(double value) {
    if (hidden != null) {
      throw new IllegalStateException("already solved");
    }
    values.add(value);
    return values.size() - 1;
  }

  /** Declares {@code total = sum of parts} (all shown). */
  void sum(int total, List<Integer> parts) {
    int[] s = new int[parts.size() + 1];
    s[0] = total;
    for (int i = 0; i < parts.size(); i++) {
      s[i + 1] = parts.get(i);
    }
    sums.add(s);
  }

  /** Adds a total of the given parts (their sum), declares the sum and returns the total's id. */
  int total(List<Integer> parts) {
    double t = 0;
    for (int p : parts) {
      t += values.get(p);
    }
    int id = add(t);
    sum(id, parts);
    return id;
  }

  MaskedValues solve() {
    double[] v = new double[values.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = values.get(i);
    }
    hidden = rule.suppress(v, sums);
    return this;
  }

  double value(int id) {
    return values.get(id);
  }

  boolean hidden(int id) {
    if (hidden == null) {
      throw new IllegalStateException("solve() first");
    }
    return hidden[id];
  }

  Cell count(int id) {
    return hidden(id)
        ? new Cell(rule.mask(), true, true)
        : new Cell(Fmt.count(value(id)), true, false);
  }

  /** A rate (as the mart or {@link RateRule} gave it) built on the cells {@code num / den}. */
  Cell rate(BigDecimal rate, int num, int den) {
    if (hidden(num) || hidden(den)) {
      return new Cell(rule.mask(), true, true);
    }
    return new Cell(Fmt.percent(rate), true, false);
  }

  /** A value derived from counts (a median, a difference): masked with any of its counts. */
  Cell derived(String text, int... counts) {
    if (Fmt.EMPTY.equals(text)) {
      return new Cell(text, true, false);
    }
    for (int c : counts) {
      if (hidden(c)) {
        return new Cell(rule.mask(), true, true);
      }
    }
    return new Cell(text, true, false);
  }

  /** The value to plot, or {@code null} (not drawn) when hidden. */
  Double chartCount(int id) {
    return hidden(id) ? null : value(id);
  }

  /** The rate to plot, or {@code null} when hidden or empty. */
  Double chartRate(BigDecimal rate, int num, int den) {
    return rate == null || hidden(num) || hidden(den) ? null : rate.doubleValue();
  }

  String mask() {
    return rule.mask();
  }
}
