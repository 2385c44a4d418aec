package io.leadloop.jobs.report;

import java.util.List;

/**
 * The report's small-cell rule (spec README, {@code small_cell_threshold}). With threshold {@code
 * T}, a count from 1 to {@code T-1} is shown as {@code <T}, and so is any rate built on one; 0 is
 * shown. Where a total and all but one of its parts would reveal a hidden cell, the next smallest
 * part is hidden too (complementary suppression).
 *
 * <p>Fractional counts (attribution credit) follow the same rule: any value strictly between 0 and
 * {@code T} is small. Pure: no I/O, no Spark.
 */
public final class SmallCells {
  private final int threshold;

  public SmallCells(int threshold) {
    if (threshold < 1) {
      throw new IllegalArgumentException(
          "small_cell_threshold must be at least 1, got " + threshold);
    }
    this.threshold = threshold;
  }

  public int threshold() {
    return threshold;
  }

  /** The text shown instead of a hidden value, e.g. {@code <11}. */
  public String mask() {
    return "<" + threshold;
  }

  /** The primary rule: a value strictly between 0 and the threshold. */
  public boolean small(double value) {
    return value > 0 && value < threshold;
  }

  /**
   * Primary and complementary suppression of a set of cells linked by sums.
   *
   * @param values every cell shown (counts, totals)
   * @param sums each entry {@code {total, part, part, ...}}: indexes into {@code values} where the
   *     total is the sum of the parts, and both the total and the parts are shown
   * @return for each cell, whether it is hidden
   */
  public boolean[] suppress(double[] values, List<int[]> sums) {
    boolean[] hidden = new boolean[values.length];
    for (int i = 0; i < values.length; i++) {
      hidden[i] = small(values[i]);
    }
    boolean changed = true;
    while (changed) {
      changed = false;
      for (int[] sum : sums) {
        if (hiddenCount(sum, hidden) != 1) {
          continue;
        }
        // Exactly one unknown in "total = sum of parts": it could be worked out. Hide one more.
        int next = nextSmallestPart(sum, values, hidden);
        if (next < 0) {
          next = sum[0];
        }
        hidden[next] = true;
        changed = true;
      }
    }
    return hidden;
  }

  /**
   * One line: parts that add up to a shown total. Returns the hidden flags of the parts followed by
   * that of the total (index {@code parts.length}).
   */
  public boolean[] suppressLine(double[] parts, double total) {
    double[] values = new double[parts.length + 1];
    int[] sum = new int[parts.length + 1];
    System.arraycopy(parts, 0, values, 0, parts.length);
    values[parts.length] = total;
    sum[0] = parts.length;
    for (int i = 0; i < parts.length; i++) {
      sum[i + 1] = i;
    }
    return suppress(values, List.of(sum));
  }

  private static int hiddenCount(int[] sum, boolean[] hidden) {
    int n = 0;
    for (int i : sum) {
      if (hidden[i]) {
        n++;
      }
    }
    return n;
  }

  /** The smallest shown part, preferring non-zero parts (ties: the first listed); -1 if none. */
  private static int nextSmallestPart(int[] sum, double[] values, boolean[] hidden) {
    int best = -1;
    for (int k = 1; k < sum.length; k++) {
      int i = sum[k];
      if (hidden[i] || i == sum[0]) {
        continue;
      }
      if (best < 0
          || rank(values[i]) < rank(values[best])
          || (rank(values[i]) == rank(values[best]) && values[i] < values[best])) {
        best = i;
      }
    }
    return best;
  }

  private static int rank(double v) {
    return v > 0 ? 0 : 1;
  }
}
