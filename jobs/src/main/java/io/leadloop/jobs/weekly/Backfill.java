package io.leadloop.jobs.weekly;

import io.leadloop.common.LeadloopException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A backfill: one weekly run per Sunday from {@code from} to {@code to} (inclusive), for trend
 * reporting. The landing files (if given) are ingested once, by the first run; later runs reuse the
 * warehouse. Each run's marts replace only their own {@code as_of}.
 */
public final class Backfill {
  private Backfill() {}

  /** The Sundays in [from, to], in order. */
  public static List<LocalDate> sundays(LocalDate from, LocalDate to) {
    if (to.isBefore(from)) {
      throw new LeadloopException("Cannot run backfill: --to " + to + " is before --from " + from);
    }
    List<LocalDate> out = new ArrayList<>();
    for (LocalDate d = from.with(TemporalAdjusters.nextOrSame(DayOfWeek.SUNDAY));
        !d.isAfter(to);
        d = d.plusWeeks(1)) {
      out.add(d);
    }
    return out;
  }

  /** Runs {@code weekly} for each Sunday; {@code options} gets the as-of and whether to ingest. */
  public static List<WeeklyJob.Result> run(
      LocalDate from, LocalDate to, Function<LocalDate, WeeklyJob> weekly) {
    List<WeeklyJob.Result> results = new ArrayList<>();
    for (LocalDate d : sundays(from, to)) {
      results.add(weekly.apply(d).execute());
    }
    return results;
  }
}
