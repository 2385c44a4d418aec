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
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Row;

/** The top stall reasons: {@code mart_stall_reasons} summed per reason over the window. */
final class StallSection {
  static final int TOP_REASONS = 10;

  private StallSection() {}

  static Section build(ReportContext ctx) {
    List<Row> rows =
        new ArrayList<>(
            ctx.marts()
                .aggregate(
                    Marts.STALL_REASONS.table(),
                    ctx.lastWeeks("week"),
                    List.of("reason"),
                    List.of(Agg.sum("recycle_events"))));
    rows.sort(
        Comparator.comparingLong((Row r) -> -count(r, "recycle_events"))
            .thenComparing(r -> text(r, "reason")));
    MaskedValues v = ctx.values();
    List<String> reasons = new ArrayList<>();
    List<Integer> ids = new ArrayList<>();
    long other = 0;
    for (int i = 0; i < rows.size(); i++) {
      if (i < TOP_REASONS) {
        reasons.add(text(rows.get(i), "reason"));
        ids.add(v.add(count(rows.get(i), "recycle_events")));
      } else {
        other += count(rows.get(i), "recycle_events");
      }
    }
    if (rows.size() > TOP_REASONS) {
      reasons.add("other reasons (" + (rows.size() - TOP_REASONS) + ")");
      ids.add(v.add(other));
    }
    int total = v.total(ids);
    v.solve();
    List<TableRow> out = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    int hidden = 0;
    for (int i = 0; i < reasons.size(); i++) {
      out.add(new TableRow(List.of(Cell.label(reasons.get(i)), v.count(ids.get(i))), false, false));
      values.add(v.chartCount(ids.get(i)));
      hidden += v.hidden(ids.get(i)) ? 1 : 0;
    }
    out.add(new TableRow(List.of(Cell.label("All reasons"), v.count(total)), true, false));
    String svg =
        Charts.bars(
            "chart-stalls",
            "Recycle events by reason",
            reasons,
            List.of(new Series("Recycle events", values)),
            false);
    return new Section(
        "stalls",
        "Why leads stall",
        "What are the top reasons leads were recycled?",
        List.of(
            Block.chart(
                new Chart(
                    "chart-stalls",
                    svg,
                    "Recycle events in "
                        + ctx.windowText()
                        + ", all sources, top "
                        + TOP_REASONS
                        + " reasons."
                        + ctx.hiddenNote(hidden, "bar(s)"),
                    "Top stall reasons"),
                SpecLinks.metrics(
                    "recycle_events summed over the weeks and sources of the window.",
                    SpecLinks.STALLS)),
            Block.table(
                new Table(
                    "Recycle events by reason, " + ctx.windowText(),
                    List.of("Reason", "Recycle events"),
                    out),
                SpecLinks.metrics(
                    "A recycle event is a lead_events row with stage recycled, in the week of its"
                        + " occurred_at.",
                    SpecLinks.STALLS))));
  }
}
