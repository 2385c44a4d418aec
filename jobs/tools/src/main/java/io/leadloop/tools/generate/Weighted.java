package io.leadloop.tools.generate;

import java.util.SplittableRandom;

/** A small table of values with integer weights, drawn from by a person's random source. */
final class Weighted {
  private final String[] values;
  private final int[] cumulative;
  private final int total;

  private Weighted(String[] values, int[] cumulative) {
    this.values = values;
    this.cumulative = cumulative;
    this.total = cumulative[cumulative.length - 1];
  }

  /** {@code of("a 3, b 1, ~ 2")}: values with their weights; {@code ~} is a missing value. */
  static Weighted of(String table) {
    String[] entries = table.split(",");
    String[] values = new String[entries.length];
    int[] cumulative = new int[entries.length];
    int sum = 0;
    for (int i = 0; i < entries.length; i++) {
      String[] pair = entries[i].trim().split(" ");
      values[i] = pair[0].equals("~") ? null : pair[0];
      sum += Integer.parseInt(pair[1]);
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
