package io.leadloop.tools.bench;

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
 * @param nextWeek also time the next week's run on the same warehouse (about two thirds of the full
 *     run again; {@code --no-next-week} leaves it out, e.g. at 10M persons)
 * @param backfillWeeks also time a backfill of this many Sundays up to the bench's as-of on the
 *     warehouse of the runs before, with DuckDB computing {@code cohort_funnel} at the same as-ofs
 *     beside it ({@code --backfill-weeks N}; 0: none)
 */
public record BenchOptions(
    List<Long> scales, long seed, Path workDir, Path report, boolean nextWeek, int backfillWeeks) {
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
    if (backfillWeeks < 0) {
      throw new IllegalArgumentException("Cannot benchmark: --backfill-weeks must be 0 or more");
    }
    scales = List.copyOf(scales);
  }

  /** Without a backfill measurement. */
  public BenchOptions(List<Long> scales, long seed, Path workDir, Path report, boolean nextWeek) {
    this(scales, seed, workDir, report, nextWeek, 0);
  }

  /** With the next week's run. */
  public BenchOptions(List<Long> scales, long seed, Path workDir, Path report) {
    this(scales, seed, workDir, report, true);
  }
}
