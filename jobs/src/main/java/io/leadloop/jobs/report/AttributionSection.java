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
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;

/**
 * Bookings credited to each channel under the five rule-based attribution models and {@code
 * markov}, summed over the booking weeks of the window ({@code mart_attribution}), and the chain's
 * removal effects ({@code mart_channel_removal_effects}). Each model's column adds up to the
 * window's bookings, so the small-cell rule hides a second channel wherever one is hidden.
 */
final class AttributionSection {
  static final List<String> MODELS =
      List.of("first_touch", "last_touch", "linear", "position_based", "time_decay", "markov");

  private AttributionSection() {}

  static Section build(ReportContext ctx) {
    List<Row> rows =
        ctx.marts()
            .aggregate(
                Marts.ATTRIBUTION.table(),
                ctx.lastWeeks("booking_week"),
                List.of("channel", "model"),
                List.of(Agg.sum("bookings_credited")));
    Map<String, Map<String, BigDecimal>> credit = new TreeMap<>();
    for (Row r : rows) {
      credit
          .computeIfAbsent(text(r, "channel"), k -> new LinkedHashMap<>())
          .put(text(r, "model"), decimal(r, "bookings_credited"));
    }
    List<String> channels = new ArrayList<>(credit.keySet());
    channels.sort(
        Comparator.comparing((String c) -> credit.get(c).getOrDefault("linear", BigDecimal.ZERO))
            .reversed()
            .thenComparing(c -> c));
    MaskedValues v = ctx.values();
    int[][] ids = new int[channels.size()][MODELS.size()];
    int[] totals = new int[MODELS.size()];
    for (int m = 0; m < MODELS.size(); m++) {
      BigDecimal total = BigDecimal.ZERO;
      List<Integer> parts = new ArrayList<>();
      for (int c = 0; c < channels.size(); c++) {
        BigDecimal x = credit.get(channels.get(c)).getOrDefault(MODELS.get(m), BigDecimal.ZERO);
        ids[c][m] = v.add(x.doubleValue());
        parts.add(ids[c][m]);
        total = total.add(x);
      }
      totals[m] = v.add(total.doubleValue());
      v.sum(totals[m], parts);
    }
    v.solve();
    List<TableRow> out = new ArrayList<>();
    List<List<Double>> series = new ArrayList<>();
    MODELS.forEach(m -> series.add(new ArrayList<>()));
    int hidden = 0;
    for (int c = 0; c < channels.size(); c++) {
      List<Cell> cells = new ArrayList<>(List.of(Cell.label(channels.get(c))));
      for (int m = 0; m < MODELS.size(); m++) {
        cells.add(v.count(ids[c][m]));
        series.get(m).add(v.chartCount(ids[c][m]));
        hidden += v.hidden(ids[c][m]) ? 1 : 0;
      }
      out.add(new TableRow(cells, false, false));
    }
    List<Cell> totalRow = new ArrayList<>(List.of(Cell.label("All channels (bookings)")));
    for (int t : totals) {
      totalRow.add(v.count(t));
    }
    out.add(new TableRow(totalRow, true, false));
    List<Series> chartSeries = new ArrayList<>();
    for (int m = 0; m < MODELS.size(); m++) {
      chartSeries.add(new Series(MODELS.get(m), series.get(m)));
    }
    String svg =
        Charts.bars(
            "chart-attribution",
            "Bookings credited to each channel under six models",
            channels,
            chartSeries,
            false);
    List<String> headers = new ArrayList<>(List.of("Channel"));
    headers.addAll(MODELS);
    return new Section(
        "attribution",
        "Attribution by channel",
        "Which outreach channels earned the bookings? Five rules and one data-driven model for"
            + " sharing each booking among its touches.",
        List.of(
            Block.chart(
                new Chart(
                    "chart-attribution",
                    svg,
                    "Bookings in "
                        + ctx.windowText()
                        + ", credited to the channels of the touches in the "
                        + ctx.config().attributionLookbackDays()
                        + " days before each booking"
                        + " (none = no touch)."
                        + ctx.hiddenNote(hidden, "bar(s)"),
                    "Attribution by channel"),
                SpecLinks.metrics(
                    "bookings_credited summed over the booking weeks of the window; each model"
                        + " splits one booking among its touches.",
                    SpecLinks.ATTRIBUTION)),
            Block.table(
                new Table(
                    "Bookings credited by channel and model, "
                        + ctx.windowText()
                        + " (fractional credit shown to one decimal)",
                    headers,
                    out),
                SpecLinks.metrics(
                    "first_touch / last_touch: all to one touch; linear: 1/n each; position_based:"
                        + " 40/20/40; time_decay: half-life weights; markov: in proportion to the"
                        + " channels' removal effects.",
                    SpecLinks.ATTRIBUTION)),
            removalEffects(ctx)));
  }

  /** The chain's removal effects, largest first; a channel seen on few journeys is masked. */
  private static Block removalEffects(ReportContext ctx) {
    List<Row> rows = new ArrayList<>(ctx.marts().rows(Marts.CHANNEL_REMOVAL_EFFECTS.table()));
    rows.sort(
        Comparator.comparing((Row r) -> decimal(r, "removal_effect"))
            .reversed()
            .thenComparing(r -> text(r, "channel")));
    MaskedValues v = ctx.values();
    int[][] ids = new int[rows.size()][];
    for (int i = 0; i < rows.size(); i++) {
      ids[i] =
          new int[] {v.add(count(rows.get(i), "paths")), v.add(count(rows.get(i), "conversions"))};
    }
    v.solve();
    List<TableRow> out = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      out.add(
          new TableRow(
              List.of(
                  Cell.label(text(r, "channel")),
                  v.derived(Fmt.percent(decimal(r, "removal_effect")), ids[i][0]),
                  v.derived(Fmt.percent(decimal(r, "re_share")), ids[i][0]),
                  v.count(ids[i][0]),
                  v.count(ids[i][1])),
              false,
              false));
    }
    return Block.table(
        new Table(
            "Removal effects of the channels, estimated from the journeys of the leads whose "
                + ctx.config().bookingWindowDays()
                + "-day booking window has passed by "
                + ctx.asOf(),
            List.of(
                "Channel", "Removal effect", "Share of removal effects", "Journeys", "Converting"),
            out),
        SpecLinks.metrics(
            "A channel's removal effect is the share of conversions that would be lost if the"
                + " channel were removed from every journey; markov splits each booking among its"
                + " channels in proportion to them.",
            SpecLinks.MARKOV));
  }
}
