package io.leadloop.jobs.weekly;

import java.time.LocalDate;

/**
 * A backfill's progress: one line per phase of the plan of every as-of (ingest, facts, marts), then
 * one per as-of published, with the weeks done and an estimate of the time left (the as-ofs done so
 * far, at their mean time each). Silent for one as-of: a weekly run logs its steps.
 */
final class Progress {
  private final int weeks;
  private final long start = System.nanoTime();
  private long weeksStart;
  private int done;

  Progress(int weeks) {
    this.weeks = weeks;
  }

  /** A phase of the plan of every as-of is done. */
  void phase(String name) {
    if (weeks > 1) {
      System.out.printf("backfill: %s of %d weeks done, %.0f s in%n", name, weeks, seconds(start));
    }
    weeksStart = System.nanoTime();
  }

  /** One more as-of is published. */
  void week(LocalDate asOf) {
    done++;
    if (weeks > 1) {
      double each = seconds(weeksStart) / done;
      System.out.printf(
          "backfill: week %d/%d (%s) published, %.0f s in, about %.0f s left%n",
          done, weeks, asOf, seconds(start), each * (weeks - done));
    }
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
