package io.leadloop.jobs.weekly;

/**
 * A backfill's progress: one line per phase of each plan (ingest, facts, marts, segments, reports),
 * and per plan the weeks done and an estimate of the time left (the as-ofs done so far, at their
 * mean time each). Silent for one as-of: a weekly run logs its steps.
 */
final class Progress {
  private final int weeks;
  private final long start = System.nanoTime();
  private String plan = "";

  Progress(int weeks) {
    this.weeks = weeks;
  }

  /** The as-ofs are computed in {@code plans} plans; the next phases are of plan {@code i}. */
  void plan(int i, int plans, int planWeeks) {
    plan =
        plans > 1
            ? String.format(
                "plan %d/%d (%d week%s): ", i + 1, plans, planWeeks, planWeeks == 1 ? "" : "s")
            : "";
  }

  /** The current plan is done, and with it {@code weeksDone} weeks in all. */
  void planDone(int weeksDone) {
    if (!plan.isEmpty()) {
      System.out.printf(
          "backfill: %sdone, %d/%d weeks, %.0f s in, about %.0f s left%n",
          plan, weeksDone, weeks, seconds(start), seconds(start) / weeksDone * (weeks - weeksDone));
    }
  }

  /** A phase of the plan of every as-of (of the current plan) is done. */
  void phase(String name) {
    if (weeks > 1) {
      String of = plan.isEmpty() ? String.format(" of %d weeks", weeks) : "";
      System.out.printf("backfill: %s%s%s done, %.0f s in%n", plan, name, of, seconds(start));
    }
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
