package io.leadloop.jobs.generate;

import java.util.SplittableRandom;

/** A small table of values with integer weights; the empty string stands for a missing value. */
final class Weighted {
  private final String[] values;
  private final int[] cumulative;
  private final int total;

  private Weighted(String[] values, int[] cumulative) {
    this.values = values;
    this.cumulative = cumulative;
    this.total = cumulative[cumulative.length - 1];
  }

  /** {@code of("a", 3, "b", 1)}: pairs of value and weight. */
  static Weighted of(Object... pairs) {
    int n = pairs.length / 2;
    String[] values = new String[n];
    int[] cumulative = new int[n];
    int sum = 0;
    for (int i = 0; i < n; i++) {
      String value = (String) pairs[2 * i];
      values[i] = value.isEmpty() ? null : value;
      sum += (Integer) pairs[2 * i + 1];
      cumulative[i] = sum;
    }
    return new Weighted(values, cumulative);
  }

  /** A value drawn by weight, {@code null} for the missing value. */
  String pick(SplittableRandom rng) {
    int r = rng.nextInt(total);
    int i = 0;
    while (r >= cumulative[i]) {
      i++;
    }
    return values[i];
  }
}
