package io.leadloop.jobs.weekly;

import io.leadloop.common.LeadloopException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * A backfill: the weekly run of every Sunday from {@code from} to {@code to} (inclusive), for trend
 * reporting, as one run whose plan computes the facts and marts of all of them at once. Each
 * Sunday's slice of every table and every output file is what a weekly run as of that Sunday writes
 * (but run ids and time stamps); the tables' other as-ofs are left as they are.
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

  /**
   * Runs {@code options} for every Sunday in [from, to] as one run ({@link WeeklyJob}: the facts
   * and marts of all of them in one pass); the results in order. The landing files (if given) are
   * ingested once.
   */
  public static List<WeeklyJob.Result> run(
      SparkSession spark, LocalDate from, LocalDate to, WeeklyOptions options) {
    List<LocalDate> weeks = sundays(from, to);
    if (weeks.isEmpty()) {
      throw new LeadloopException("Cannot run backfill: no Sunday between " + from + " and " + to);
    }
    return new WeeklyJob(spark, options.forAsOfs(weeks)).executeAll();
  }
}
