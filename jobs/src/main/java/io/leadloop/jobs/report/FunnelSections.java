package io.leadloop.jobs.report;

import static io.leadloop.jobs.report.MartReader.count;
import static io.leadloop.jobs.report.MartReader.text;

import io.leadloop.jobs.metrics.Marts;
import io.leadloop.jobs.report.Charts.Series;
import io.leadloop.jobs.report.MartReader.Agg;
import io.leadloop.jobs.report.ReportView.Block;
import io.leadloop.jobs.report.ReportView.Cell;
import io.leadloop.jobs.report.ReportView.Chart;
import io.leadloop.jobs.report.ReportView.Section;
import io.leadloop.jobs.report.ReportView.Table;
import io.leadloop.jobs.report.ReportView.TableRow;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;

/** Sections from {@code mart_cohort_funnel}: bookings by source, and the rates with their trend. */
final class FunnelSections {
  static final String TABLE = Marts.COHORT_FUNNEL.table();
  private static final String[] BY_SOURCE = {
    "leads", "booked_first_cycle", "recycled_leads", "booked_from_recycled"
  };

  private FunnelSections() {}

  /** Sums of the funnel's counts, and the first cohort week that has not matured. */
  static List<Agg> sums(String... columns) {
    List<Agg> c = new ArrayList<>();
    for (String name : columns) {
      c.add(Agg.sum(name));
    }
    c.add(
        Agg.minWhere(
            "first_provisional", "cohort_week", r -> Boolean.FALSE.equals(r.getAs("matured"))));
    return c;
  }

  /** "Cohorts from week X on have not matured", or null when every cohort summed has matured. */
  static String provisional(List<Row> rows) {
    String first = null;
    for (Row r : rows) {
      String f = text(r, "first_provisional");
      if (!f.isEmpty() && (first == null || f.compareTo(first) < 0)) {
        first = f;
      }
    }
    return first == null
        ? null
        : "Cohorts from the week of "
            + first
            + " on have not matured (matured = false: their"
            + " booking window is still open), so these counts and rates can still change.";
  }

  static Section bookings(ReportContext ctx) {
    List<Row> rows = ctx.marts().aggregate(TABLE, r -> true, List.of("source"), sums(BY_SOURCE));
    MaskedValues v = ctx.values();
    int[][] ids = new int[rows.size()][BY_SOURCE.length];
    for (int i = 0; i < rows.size(); i++) {
      for (int c = 0; c < BY_SOURCE.length; c++) {
        ids[i][c] = v.add(count(rows.get(i), BY_SOURCE[c]));
      }
    }
    int[] totals = new int[BY_SOURCE.length];
    for (int c = 0; c < BY_SOURCE.length; c++) {
      List<Integer> parts = new ArrayList<>();
      for (int[] row : ids) {
        parts.add(row[c]);
      }
      totals[c] = v.total(parts);
    }
    v.solve();
    List<TableRow> out = new ArrayList<>();
    List<String> sources = new ArrayList<>();
    List<Double> first = new ArrayList<>();
    List<Double> recycled = new ArrayList<>();
    int hidden = 0;
    for (int i = 0; i < rows.size(); i++) {
      sources.add(text(rows.get(i), "source"));
      out.add(new TableRow(sourceRow(v, sources.get(i), ids[i]), false, false));
      first.add(v.chartCount(ids[i][1]));
      recycled.add(v.chartCount(ids[i][3]));
      hidden += (v.hidden(ids[i][1]) ? 1 : 0) + (v.hidden(ids[i][3]) ? 1 : 0);
    }
    out.add(new TableRow(sourceRow(v, "All sources", totals), true, false));
    String chart =
        Charts.bars(
            "chart-bookings",
            "Leads booked, by source: in their first cycle and after a recycle",
            sources,
            List.of(
                new Series("Booked in first cycle", first),
                new Series("Booked from recycled", recycled)),
            false);
    String why = provisional(rows);
    Table table =
        new Table(
            "Leads and bookings by source, all cohorts to date",
            List.of(
                "Source",
                "Leads",
                "Booked in first cycle",
                "First-cycle booking rate",
                "Recycled leads",
                "Booked from recycled",
                "Booked-from-recycled rate"),
            out);
    return new Section(
        "bookings",
        "Bookings by source",
        "Which sources produced bookings? (For channels, see Attribution below.)",
        List.of(
            Block.chart(
                    new Chart(
                        "chart-bookings",
                        chart,
                        "Leads booked by source, all cohorts of this run's cohort_funnel."
                            + ctx.hiddenNote(hidden, "bar(s)"),
                        "Bookings by source"),
                    SpecLinks.metrics(
                        "Sums of booked_first_cycle and booked_from_recycled over the cohort weeks"
                            + " and service lines of each source.",
                        SpecLinks.FUNNEL))
                .provisional(why),
            Block.table(
                    table,
                    SpecLinks.metrics(
                        "Counts summed over cohorts and service lines; each rate recomputed from"
                            + " the summed counts (k/n rounded half-up to 4 decimals), as the mart"
                            + " defines it.",
                        SpecLinks.FUNNEL))
                .provisional(why)));
  }

  private static List<Cell> sourceRow(MaskedValues v, String label, int[] ids) {
    return List.of(
        Cell.label(label),
        v.count(ids[0]),
        v.count(ids[1]),
        v.rate(RateRule.rate((long) v.value(ids[1]), (long) v.value(ids[0])), ids[1], ids[0]),
        v.count(ids[2]),
        v.count(ids[3]),
        v.rate(RateRule.rate((long) v.value(ids[3]), (long) v.value(ids[2])), ids[3], ids[2]));
  }

  static Section rates(ReportContext ctx) {
    String[] counts = {
      "leads",
      "recycled_leads",
      "booked_from_recycled",
      "resolved_new",
      "kept_new",
      "resolved_recycled",
      "kept_recycled"
    };
    List<Row> rows =
        MartReader.group(
            ctx.marts().recent(TABLE, ReportContext.WEEKS),
            r -> true,
            List.of("as_of"),
            sums(counts));
    return RateTrend.section(ctx, rows, counts);
  }
}
