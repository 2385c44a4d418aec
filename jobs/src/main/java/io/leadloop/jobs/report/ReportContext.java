package io.leadloop.jobs.report;

import io.leadloop.common.config.LeadloopConfig;
import io.leadloop.jobs.run.RunSummary;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.function.Predicate;
import org.apache.spark.sql.Row;

/**
 * What every section builder needs: the marts, the small-cell rule, the configuration, the run
 * summary, and the report's windows (the run's as-of; the last {@value #WEEKS} ISO weeks ending
 * with the as-of's week; the last {@value #WEEKS} as-of values for trends).
 */
record ReportContext(MartReader marts, SmallCells rule, LeadloopConfig config, RunSummary summary) {
  static final int WEEKS = 12;

  LocalDate asOf() {
    return marts.asOf();
  }

  /** Monday of the as-of's ISO week. */
  LocalDate week() {
    return asOf().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
  }

  /** Monday of the first of the last {@value #WEEKS} weeks. */
  LocalDate firstWeek() {
    return week().minusWeeks(WEEKS - 1);
  }

  /** Rows whose week column lies in the last {@value #WEEKS} weeks. */
  Predicate<Row> lastWeeks(String weekColumn) {
    LocalDate first = firstWeek();
    LocalDate last = week();
    return r -> {
      LocalDate w = MartReader.date(r, weekColumn);
      return w != null && !w.isBefore(first) && !w.isAfter(last);
    };
  }

  /** "the 12 weeks from 2026-07-06 to 2026-09-27". */
  String windowText() {
    return "the " + WEEKS + " weeks from " + firstWeek() + " to " + asOf();
  }

  MaskedValues values() {
    return new MaskedValues(rule);
  }

  /** A caption line saying how many values a chart leaves out, or "" when none. */
  String hiddenNote(int hidden, String what) {
    if (hidden == 0) {
      return "";
    }
    return " "
        + hidden
        + " "
        + what
        + (hidden == 1 ? " is" : " are")
        + " not drawn: below "
        + rule.threshold()
        + " (small-cell rule) or hidden with one that is.";
  }
}
