package io.leadloop.tools.notebook;

import io.leadloop.jobs.report.Charts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A cell's chart, drawn by the report's {@link Charts} (one chart stack for the report and the
 * notebooks): the x column's values are the categories, in result order; one series per value of
 * the series column (in order of appearance), or one named by the y column; the y column's values
 * are the heights (a value that is not a number is not drawn; a repeated category and series is
 * summed). A y column named {@code rate} or ending in {@code _rate} is drawn on the report's
 * percentage axis, any other on a plain axis with tick labels. Labels and series names are cut to
 * {@value #MAX_TEXT} characters.
 */
final class ResultChart {
  private static final int MAX_TEXT = 28;

  private ResultChart() {}

  /**
   * The chart's {@code <svg>} element, standalone, and a line end; {@code id}: unique in the
   * notebook.
   */
  static String render(ChartSpec spec, ResultTable table, String id) {
    int xi = spec.column(table, spec.x());
    int yi = spec.column(table, spec.y());
    int si = spec.series() == null ? -1 : spec.column(table, spec.series());
    List<String> categories = new ArrayList<>();
    Map<String, Map<String, Double>> bySeries = new LinkedHashMap<>();
    for (List<String> row : table.rows()) {
      String x = cut(String.valueOf(row.get(xi)));
      if (!categories.contains(x)) {
        categories.add(x);
      }
      String name = cut(si < 0 ? spec.y() : String.valueOf(row.get(si)));
      Map<String, Double> values = bySeries.computeIfAbsent(name, k -> new LinkedHashMap<>());
      Double y = number(row.get(yi));
      if (y != null) {
        values.merge(x, y, Double::sum);
      }
    }
    List<Charts.Series> series = new ArrayList<>();
    bySeries.forEach(
        (name, values) ->
            series.add(new Charts.Series(name, categories.stream().map(values::get).toList())));
    Charts.Frame frame = new Charts.Frame(id, spec.title(), spec.title(), true);
    Charts.Scale scale = isRate(spec.y()) ? Charts.Scale.PERCENT : Charts.Scale.NUMBER;
    String svg =
        spec.kind().equals("bar")
            ? Charts.bars(frame, categories, series, scale)
            : Charts.lines(frame, categories, series, scale);
    return svg + "\n";
  }

  static boolean isRate(String column) {
    return column.equals("rate") || column.endsWith("_rate");
  }

  private static String cut(String s) {
    return s.length() <= MAX_TEXT ? s : s.substring(0, MAX_TEXT - 1) + "\u2026";
  }

  private static Double number(String v) {
    if (v == null) {
      return null;
    }
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
