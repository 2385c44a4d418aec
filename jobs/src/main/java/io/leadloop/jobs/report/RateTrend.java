package io.leadloop.jobs.report;

import static io.leadloop.jobs.report.MartReader.count;
import static io.leadloop.jobs.report.MartReader.text;

import io.leadloop.jobs.report.Charts.Series;
import io.leadloop.jobs.report.ReportView.Block;
import io.leadloop.jobs.report.ReportView.Cell;
import io.leadloop.jobs.report.ReportView.Chart;
import io.leadloop.jobs.report.ReportView.Section;
import io.leadloop.jobs.report.ReportView.Table;
import io.leadloop.jobs.report.ReportView.TableRow;
import io.leadloop.jobs.report.ReportView.Tile;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;

/**
 * The "rates" section: recycle rate, booked-from-recycled rate and kept-appointment rates of this
 * run (tiles) and of the last 12 runs (line chart and table). Each point sums one run's
 * cohort_funnel rows over cohorts, sources and service lines and recomputes each rate from the
 * summed counts with {@link RateRule}.
 */
final class RateTrend {
  /** Rate name, numerator column, denominator column. */
  private static final String[][] RATES = {
    {"Recycle rate", "recycled_leads", "leads"},
    {"Booked-from-recycled rate", "booked_from_recycled", "recycled_leads"},
    {"Kept rate, new bookings", "kept_new", "resolved_new"},
    {"Kept rate, recycled bookings", "kept_recycled", "resolved_recycled"},
  };

  private RateTrend() {}

  static Section section(ReportContext ctx, List<Row> rows, String[] counts) {
    MaskedValues v = ctx.values();
    int[][] ids = new int[rows.size()][counts.length];
    for (int i = 0; i < rows.size(); i++) {
      for (int c = 0; c < counts.length; c++) {
        ids[i][c] = v.add(count(rows.get(i), counts[c]));
      }
    }
    v.solve();
    List<String> x = new ArrayList<>();
    List<List<Double>> lines = new ArrayList<>();
    for (String[] ignored : RATES) {
      lines.add(new ArrayList<>());
    }
    List<TableRow> table = new ArrayList<>();
    int hidden = 0;
    for (int i = 0; i < rows.size(); i++) {
      x.add(text(rows.get(i), "as_of"));
      List<Cell> cells = new ArrayList<>(List.of(Cell.label(x.get(i))));
      for (int r = 0; r < RATES.length; r++) {
        int num = ids[i][index(counts, RATES[r][1])];
        int den = ids[i][index(counts, RATES[r][2])];
        BigDecimal rate = RateRule.rate((long) v.value(num), (long) v.value(den));
        Double plotted = v.chartRate(rate, num, den);
        lines.get(r).add(plotted);
        hidden += plotted == null && rate != null ? 1 : 0;
        if (r != 1) {
          cells.add(v.count(den));
        }
        cells.add(v.count(num));
        cells.add(v.rate(rate, num, den));
      }
      table.add(new TableRow(cells, false, !text(rows.get(i), "first_provisional").isEmpty()));
    }
    List<Series> series = new ArrayList<>();
    for (int r = 0; r < RATES.length; r++) {
      String latest =
          table.isEmpty() ? Fmt.EMPTY : table.get(table.size() - 1).cells().get(column(r)).text();
      series.add(new Series(RATES[r][0] + " (" + latest + ")", lines.get(r)));
    }
    String why =
        FunnelSections.provisional(
            rows.isEmpty() ? rows : rows.subList(rows.size() - 1, rows.size()));
    List<Block> blocks = new ArrayList<>();
    blocks.add(
        Block.tiles(
                tiles(ctx, v, rows, ids, counts),
                SpecLinks.metrics(
                    "Rates of this run's cohort_funnel, summed over every cohort, source and"
                        + " service line, recomputed from the summed counts (k/n, half-up, 4"
                        + " decimals).",
                    SpecLinks.FUNNEL))
            .provisional(why));
    String svg = Charts.trend("chart-rates", "Rates over the last runs", x, series);
    blocks.add(
        Block.chart(
                new Chart(
                    "chart-rates",
                    svg,
                    "One point per run (as-of date), the last "
                        + ReportContext.WEEKS
                        + " runs in the warehouse;"
                        + " the legend gives this run's values"
                        + (rows.size() == 1 ? " (only this run so far)." : ".")
                        + ctx.hiddenNote(hidden, "point(s)"),
                    "Rates over the last runs"),
                SpecLinks.metrics(
                    "recycle_rate = recycled_leads / leads; booked_from_recycled_rate ="
                        + " booked_from_recycled / recycled_leads; kept_rate = kept / resolved"
                        + " appointments.",
                    SpecLinks.FUNNEL))
            .provisional(why));
    blocks.add(
        Block.table(
            new Table(
                "The same rates, run by run (rows marked * include cohorts not matured)",
                List.of(
                    "As of",
                    "Leads",
                    "Recycled",
                    "Recycle rate",
                    "Booked from recycled",
                    "Rate",
                    "Resolved (new)",
                    "Kept (new)",
                    "Kept rate (new)",
                    "Resolved (recycled)",
                    "Kept (recycled)",
                    "Kept rate (recycled)"),
                table),
            SpecLinks.metrics(
                "Resolved = kept or not kept (no-show, cancelled) appointments whose start has"
                    + " passed; counts summed per run as above.",
                SpecLinks.BUILDING_BLOCKS)));
    return new Section(
        "rates",
        "Recycling and kept appointments",
        "How often are leads recycled, how many recycled leads book, and how many booked"
            + " appointments are kept, this week and over time?",
        blocks);
  }

  private static List<Tile> tiles(
      ReportContext ctx, MaskedValues v, List<Row> rows, int[][] ids, String[] counts) {
    int last = rows.size() - 1;
    boolean thisRun = last >= 0 && text(rows.get(last), "as_of").equals(ctx.asOf().toString());
    boolean provisional = thisRun && !text(rows.get(last), "first_provisional").isEmpty();
    List<Tile> tiles = new ArrayList<>();
    for (String[] rate : RATES) {
      if (!thisRun) {
        tiles.add(new Tile(rate[0], Fmt.EMPTY, false, false));
        continue;
      }
      int num = ids[last][index(counts, rate[1])];
      int den = ids[last][index(counts, rate[2])];
      Cell c = v.rate(RateRule.rate((long) v.value(num), (long) v.value(den)), num, den);
      tiles.add(new Tile(rate[0], c.text(), c.masked(), provisional));
    }
    return tiles;
  }

  /** The table column of rate {@code r} (label, then count(s) and the rate per rate). */
  private static int column(int r) {
    int c = 0;
    for (int i = 0; i <= r; i++) {
      c += i == 1 ? 2 : 3;
    }
    return c;
  }

  private static int index(String[] counts, String name) {
    for (int i = 0; i < counts.length; i++) {
      if (counts[i].equals(name)) {
        return i;
      }
    }
    throw new IllegalArgumentException(name);
  }
}
