package io.leadloop.jobs.report;

import static io.leadloop.jobs.report.MartReader.count;
import static io.leadloop.jobs.report.MartReader.decimal;
import static io.leadloop.jobs.report.MartReader.flag;
import static io.leadloop.jobs.report.MartReader.text;

import io.leadloop.jobs.metrics.Marts;
import io.leadloop.jobs.report.Charts.Interval;
import io.leadloop.jobs.report.ReportView.Block;
import io.leadloop.jobs.report.ReportView.Cell;
import io.leadloop.jobs.report.ReportView.Chart;
import io.leadloop.jobs.report.ReportView.Section;
import io.leadloop.jobs.report.ReportView.Table;
import io.leadloop.jobs.report.ReportView.TableRow;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;

/**
 * Recycled against new leads: the strata of {@code mart_cohort_comparison} with their Wilson
 * intervals as stored (dot-and-whisker chart and table), and the Mantel–Haenszel differences of
 * {@code mart_cohort_comparison_summary}. The eligible strata are shown (those the MH difference
 * uses); when none is eligible, the matured ones; largest first, at most {@value #MAX_STRATA}.
 */
final class ComparisonSection {
  static final int MAX_STRATA = 30;

  private ComparisonSection() {}

  static Section build(ReportContext ctx) {
    List<Row> all =
        ctx.marts().rows(Marts.COHORT_COMPARISON.table(), "source", "cohort_month", "service_line");
    List<Row> eligible = all.stream().filter(r -> flag(r, "eligible")).toList();
    List<Row> shown =
        new ArrayList<>(
            !eligible.isEmpty() ? eligible : all.stream().filter(r -> flag(r, "matured")).toList());
    // Largest strata first (most leads in both arms): those are the ones the rule lets through.
    shown.sort(
        java.util.Comparator.comparingLong(
            (Row r) -> -(count(r, "new_leads") + count(r, "recycled_leads"))));
    String which =
        !eligible.isEmpty()
            ? "eligible strata (the ones the MH difference uses)"
            : "matured strata (no stratum is eligible: each arm needs "
                + ctx.config().minStratumN()
                + " leads)";
    int more = Math.max(0, shown.size() - MAX_STRATA);
    shown = shown.subList(0, Math.min(shown.size(), MAX_STRATA));
    MaskedValues v = ctx.values();
    int[][] ids = new int[shown.size()][];
    for (int i = 0; i < shown.size(); i++) {
      Row r = shown.get(i);
      ids[i] =
          new int[] {
            v.add(count(r, "new_leads")),
            v.add(count(r, "new_booked")),
            v.add(count(r, "recycled_leads")),
            v.add(count(r, "recycled_booked"))
          };
    }
    List<Row> summary = ctx.marts().rows(Marts.COMPARISON_SUMMARY.table(), "source");
    int[][] sids = summaryIds(v, summary);
    v.solve();
    List<String> labels = new ArrayList<>();
    List<Interval> newArm = new ArrayList<>();
    List<Interval> recycledArm = new ArrayList<>();
    List<TableRow> rows = new ArrayList<>();
    int hidden = 0;
    for (int i = 0; i < shown.size(); i++) {
      Row r = shown.get(i);
      String label =
          text(r, "source") + " · " + text(r, "service_line") + " · " + text(r, "cohort_month");
      Interval n = interval(v, r, "new", ids[i][1], ids[i][0]);
      Interval c = interval(v, r, "recycled", ids[i][3], ids[i][2]);
      hidden +=
          (n == null && decimal(r, "new_rate") != null ? 1 : 0)
              + (c == null && decimal(r, "recycled_rate") != null ? 1 : 0);
      if (n != null || c != null) { // a stratum with nothing to draw gets no row in the chart
        labels.add(label);
        newArm.add(n);
        recycledArm.add(c);
      }
      rows.add(
          new TableRow(
              List.of(
                  Cell.label(label),
                  v.count(ids[i][0]),
                  v.count(ids[i][1]),
                  withCi(v, r, "new", ids[i][1], ids[i][0]),
                  v.count(ids[i][2]),
                  v.count(ids[i][3]),
                  withCi(v, r, "recycled", ids[i][3], ids[i][2]),
                  v.derived(Fmt.points(decimal(r, "rate_diff")), ids[i]),
                  Cell.label(
                      flag(r, "eligible")
                          ? "eligible"
                          : flag(r, "matured") ? "matured" : "provisional")),
              false,
              !flag(r, "matured")));
    }
    String svg =
        Charts.intervals(
            "chart-comparison",
            "Booking rate of new and recycled leads per stratum",
            labels,
            List.of("New leads (first cycle)", "Recycled leads (after recycle)"),
            List.of(newArm, recycledArm));
    String moreNote =
        more > 0 ? " " + more + " more strata are in " + Marts.COHORT_COMPARISON.path() + "." : "";
    List<Block> blocks = new ArrayList<>();
    blocks.add(
        Block.chart(
            new Chart(
                "chart-comparison",
                svg,
                "Booking rate with its Wilson 95% interval, per "
                    + which
                    + "; an empty arm (no leads) has no"
                    + " dot."
                    + moreNote
                    + ctx.hiddenNote(hidden, "arm(s)"),
                "Recycled against new leads"),
            SpecLinks.metrics(
                "new_rate = new_booked / new_leads, recycled_rate = recycled_booked /"
                    + " recycled_leads, each with its Wilson 95% interval, as stored in the mart.",
                SpecLinks.COMPARISON)));
    blocks.add(
        Block.table(
            new Table(
                "Strata: " + which,
                List.of(
                    "Source · service line · month",
                    "New leads",
                    "New booked",
                    "New rate (95% CI)",
                    "Recycled leads",
                    "Recycled booked",
                    "Recycled rate (95% CI)",
                    "Difference",
                    "Status"),
                rows),
            SpecLinks.metrics(
                "rate_diff = recycled_rate − new_rate; a stratum is eligible when matured and both"
                    + " arms have at least min_stratum_n leads.",
                SpecLinks.COMPARISON)));
    blocks.add(
        Block.table(
            summaryTable(v, summary, sids),
            SpecLinks.metrics(
                "Mantel–Haenszel risk difference over the eligible strata, weights n1·n0 / (n1 +"
                    + " n0); source * is over all eligible strata.",
                SpecLinks.COMPARISON)));
    return new Section(
        "comparison",
        "Recycled against new leads",
        "Do recycled leads book as often as new leads from the same source?",
        blocks);
  }

  private static int[][] summaryIds(MaskedValues v, List<Row> summary) {
    int[][] sids = new int[summary.size()][];
    int star = -1;
    for (int i = 0; i < summary.size(); i++) {
      Row r = summary.get(i);
      sids[i] =
          new int[] {
            v.add(count(r, "strata")),
            v.add(count(r, "new_leads")),
            v.add(count(r, "recycled_leads"))
          };
      star = "*".equals(text(r, "source")) ? i : star;
    }
    if (star >= 0 && summary.size() > 1) {
      for (int c = 0; c < 3; c++) {
        List<Integer> parts = new ArrayList<>();
        for (int i = 0; i < summary.size(); i++) {
          if (i != star) {
            parts.add(sids[i][c]);
          }
        }
        v.sum(sids[star][c], parts);
      }
    }
    return sids;
  }

  private static Table summaryTable(MaskedValues v, List<Row> summary, int[][] sids) {
    List<TableRow> rows = new ArrayList<>();
    for (int i = 0; i < summary.size(); i++) {
      Row r = summary.get(i);
      boolean star = "*".equals(text(r, "source"));
      rows.add(
          new TableRow(
              List.of(
                  Cell.label(star ? "All sources (*)" : text(r, "source")),
                  v.count(sids[i][0]),
                  v.count(sids[i][1]),
                  v.count(sids[i][2]),
                  v.derived(Fmt.points(decimal(r, "mh_rate_diff")), sids[i][1], sids[i][2])),
              star,
              false));
    }
    return new Table(
        "Mantel–Haenszel difference, recycled minus new (empty when no stratum is eligible)",
        List.of("Source", "Eligible strata", "New leads", "Recycled leads", "MH difference"),
        rows);
  }

  private static Interval interval(MaskedValues v, Row r, String arm, int num, int den) {
    Double rate = v.chartRate(decimal(r, arm + "_rate"), num, den);
    if (rate == null) {
      return null;
    }
    return new Interval(
        rate,
        decimal(r, arm + "_ci_low").doubleValue(),
        decimal(r, arm + "_ci_high").doubleValue());
  }

  /**
   * An arm's rate with its Wilson interval ({@code <arm>_rate}, {@code _ci_low}, {@code _ci_high}).
   */
  static Cell withCi(MaskedValues v, Row r, String arm, int num, int den) {
    Cell rate = v.rate(decimal(r, arm + "_rate"), num, den);
    if (rate.masked() || decimal(r, arm + "_rate") == null) {
      return rate;
    }
    return new Cell(
        rate.text()
            + " ("
            + Fmt.percent(decimal(r, arm + "_ci_low"))
            + "–"
            + Fmt.percent(decimal(r, arm + "_ci_high"))
            + ")",
        true,
        false);
  }
}
