package io.leadloop.jobs.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * What to benchmark.
 *
 * @param scales persons to generate, one run per scale, in order
 * @param seed the generator's seed (the same seed gives the same landing set)
 * @param workDir where each scale gets {@code <persons>/landing}, {@code warehouse}, {@code out}; a
 *     landing set generated earlier with the same seed is reused
 * @param report the Markdown report to write (e.g. {@code docs/benchmarks.md}); {@code null}: none
 */
public record BenchOptions(List<Long> scales, long seed, Path workDir, Path report) {
  public BenchOptions {
    if (scales == null || scales.isEmpty()) {
      throw new IllegalArgumentException("Cannot benchmark: at least one scale is required");
    }
    for (Long s : scales) {
      if (s == null || s <= 0) {
        throw new IllegalArgumentException("Cannot benchmark: scales must be positive, was " + s);
      }
    }
    if (workDir == null) {
      throw new IllegalArgumentException("Cannot benchmark: a work folder is required");
    }
    scales = List.copyOf(scales);
  }
}
