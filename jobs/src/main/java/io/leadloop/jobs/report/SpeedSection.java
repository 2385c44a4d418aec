package io.leadloop.jobs.report;

import static io.leadloop.jobs.report.MartReader.count;
import static io.leadloop.jobs.report.MartReader.decimal;
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
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Row;

/**
 * Speed to lead against the SLA by inquiry channel ({@code mart_speed_to_lead}): counts summed over
 * the cohort weeks and sources of the window with the SLA rate recomputed by {@link RateRule}, and
 * the response-time percentiles of single mart rows (they cannot be summed).
 */
final class SpeedSection {
  private static final String[] SPEED = {"leads", "touched", "sla_due", "within_sla"};
  static final int MEDIAN_ROWS = 15;

  private SpeedSection() {}

  static Section build(ReportContext ctx) {
    String table = Marts.SPEED_TO_LEAD.table();
    List<Row> rows =
        ctx.marts()
            .aggregate(
                table,
                ctx.lastWeeks("cohort_week"),
                List.of("inquiry_channel"),
                List.of(
                    Agg.sum("leads"),
                    Agg.sum("touched"),
                    Agg.sum("sla_due"),
                    Agg.sum("within_sla")));
    MaskedValues v = ctx.values();
    int[][] ids = new int[rows.size()][SPEED.length];
    for (int i = 0; i < rows.size(); i++) {
      for (int c = 0; c < SPEED.length; c++) {
        ids[i][c] = v.add(count(rows.get(i), SPEED[c]));
      }
    }
    int[] totals = new int[SPEED.length];
    for (int c = 0; c < SPEED.length; c++) {
      List<Integer> parts = new ArrayList<>();
      for (int[] row : ids) {
        parts.add(row[c]);
      }
      totals[c] = v.total(parts);
    }
    // Medians of single mart rows (they cannot be summed): the window's rows with enough responses.
    List<Row> window =
        ctx.marts().rows(table, "cohort_week", "source", "inquiry_channel").stream()
            .filter(r -> text(r, "cohort_week").compareTo(ctx.firstWeek().toString()) >= 0)
            .sorted(Comparator.comparing((Row r) -> text(r, "cohort_week")).reversed())
            .toList();
    List<Row> shownRows =
        window.stream().filter(r -> count(r, "touched") >= ctx.rule().threshold()).toList();
    List<Row> latest = shownRows.subList(0, Math.min(MEDIAN_ROWS, shownRows.size()));
    int leftOut = window.size() - latest.size();
    int[] touchedIds = latest.stream().mapToInt(r -> v.add(count(r, "touched"))).toArray();
    int[] dueIds = latest.stream().mapToInt(r -> v.add(count(r, "sla_due"))).toArray();
    int[] withinIds = latest.stream().mapToInt(r -> v.add(count(r, "within_sla"))).toArray();
    v.solve();
    List<TableRow> out = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    List<Double> rates = new ArrayList<>();
    int hidden = 0;
    for (int i = 0; i < rows.size(); i++) {
      String channel = text(rows.get(i), "inquiry_channel");
      Integer sla = ctx.config().slaMinutes().get(channel);
      labels.add(channel + (sla == null ? "" : " (SLA " + sla + " min)"));
      var rate = RateRule.rate((long) v.value(ids[i][3]), (long) v.value(ids[i][2]));
      Double plotted = v.chartRate(rate, ids[i][3], ids[i][2]);
      rates.add(plotted);
      hidden += plotted == null && rate != null ? 1 : 0;
      out.add(
          new TableRow(
              speedRow(v, channel, sla == null ? Fmt.EMPTY : sla + " min", ids[i]), false, false));
    }
    out.add(new TableRow(speedRow(v, "All channels", "", totals), true, false));
    String svg =
        Charts.bars(
            "chart-speed",
            "Share of due leads answered within the SLA, by inquiry channel",
            labels,
            List.of(new Series("Within SLA", rates)),
            true);
    List<TableRow> medians = new ArrayList<>();
    for (int i = 0; i < latest.size(); i++) {
      Row r = latest.get(i);
      medians.add(
          new TableRow(
              List.of(
                  Cell.label(
                      text(r, "cohort_week")
                          + " · "
                          + text(r, "source")
                          + " · "
                          + text(r, "inquiry_channel")),
                  v.count(touchedIds[i]),
                  v.derived(Fmt.minutes(decimal(r, "median_minutes")), touchedIds[i]),
                  v.derived(Fmt.minutes(decimal(r, "p90_minutes")), touchedIds[i]),
                  v.count(dueIds[i]),
                  v.count(withinIds[i]),
                  v.rate(decimal(r, "sla_rate"), withinIds[i], dueIds[i])),
              false,
              false));
    }
    return new Section(
        "speed",
        "Speed to lead",
        "How fast are new leads answered, against the SLA of their channel?",
        List.of(
            Block.chart(
                new Chart(
                    "chart-speed",
                    svg,
                    "Leads created in "
                        + ctx.windowText()
                        + ", all sources."
                        + ctx.hiddenNote(hidden, "bar(s)"),
                    "Speed to lead against SLA"),
                SpecLinks.metrics(
                    "SLA rate = within_sla / sla_due, from counts summed over cohort weeks and"
                        + " sources (k/n, half-up, 4 decimals).",
                    SpecLinks.SPEED)),
            Block.table(
                new Table(
                    "By inquiry channel, leads created in " + ctx.windowText(),
                    List.of(
                        "Inquiry channel",
                        "SLA",
                        "Leads",
                        "Responded",
                        "Due",
                        "Within SLA",
                        "SLA rate"),
                    out),
                SpecLinks.metrics(
                    "A lead is due when created_at + SLA is before the cutoff; responded = has a"
                        + " first outbound response.",
                    SpecLinks.SPEED)),
            Block.table(
                new Table(
                    "Response times per cohort week, source and channel, latest first (medians"
                        + " cannot be added up, so mart rows are shown as stored; "
                        + leftOut
                        + " rows of the window with"
                        + " fewer than "
                        + ctx.rule().threshold()
                        + " responses, or beyond the first "
                        + MEDIAN_ROWS
                        + ", are left out)",
                    List.of(
                        "Cohort week · source · inquiry channel",
                        "Responded",
                        "Median",
                        "90th percentile",
                        "Due",
                        "Within SLA",
                        "SLA rate"),
                    medians),
                SpecLinks.metrics(
                    "Nearest-rank median and 90th percentile of the exact response times, as"
                        + " stored in the mart.",
                    SpecLinks.SPEED))));
  }

  private static List<Cell> speedRow(MaskedValues v, String label, String sla, int[] ids) {
    return List.of(
        Cell.label(label),
        new Cell(sla, true, false),
        v.count(ids[0]),
        v.count(ids[1]),
        v.count(ids[2]),
        v.count(ids[3]),
        v.rate(RateRule.rate((long) v.value(ids[3]), (long) v.value(ids[2])), ids[3], ids[2]));
  }
}
