package io.leadloop.tools.notebook;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A small, dependency-free SVG bar or line chart of a result: categories along x (in result order,
 * labels rotated), one bar per series in each category group or one line per series, y from zero
 * (or the lowest negative value) to a rounded maximum, and a legend when there are several series.
 * Margins follow the longest label; coordinates are printed with one decimal, so the same data
 * always gives the same SVG.
 */
final class SvgChart {
  private static final String[] PALETTE = {
    "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#9c755f"
  };
  private static final double WIDTH = 720;
  private static final double TOP = 36;
  private static final double PLOT_HEIGHT = 240;
  private static final double CHAR_WIDTH = 6.2;
  private static final double SIN = Math.sin(Math.toRadians(40));
  private static final double COS = Math.cos(Math.toRadians(40));
  private static final int MAX_LABELS = 16;
  private static final int MAX_TEXT = 28;

  private final StringBuilder svg = new StringBuilder();
  private final List<String> categories = new ArrayList<>();
  private final Map<String, Map<String, Double>> series = new LinkedHashMap<>();
  private double left;
  private double plotWidth;
  private double band;
  private Axis axis;

  private SvgChart() {}

  static String render(ChartSpec spec, ResultTable table) {
    SvgChart c = new SvgChart();
    c.collect(spec, table);
    return c.draw(spec);
  }

  private void collect(ChartSpec spec, ResultTable table) {
    int xi = spec.column(table, spec.x());
    int yi = spec.column(table, spec.y());
    int si = spec.series() == null ? -1 : spec.column(table, spec.series());
    for (List<String> row : table.rows()) {
      String x = cut(String.valueOf(row.get(xi)));
      if (!categories.contains(x)) {
        categories.add(x);
      }
      Map<String, Double> values =
          series.computeIfAbsent(
              cut(si < 0 ? spec.y() : String.valueOf(row.get(si))), k -> new LinkedHashMap<>());
      Double y = number(row.get(yi));
      if (y != null) {
        values.merge(x, y, Double::sum);
      }
    }
    axis = Axis.of(series.values().stream().flatMap(m -> m.values().stream()).toList());
  }

  private String draw(ChartSpec spec) {
    int every = Math.max(1, (int) Math.ceil(categories.size() / (double) MAX_LABELS));
    int longestLabel = 0;
    for (int c = 0; c < categories.size(); c += every) {
      longestLabel = Math.max(longestLabel, categories.get(c).length());
    }
    int firstLabel = categories.isEmpty() ? 0 : categories.get(0).length();
    int longestName = series.keySet().stream().mapToInt(String::length).max().orElse(0);
    double right = series.size() > 1 ? 36 + 6.5 * longestName : 16;
    left = Math.max(56, COS * CHAR_WIDTH * firstLabel - 4);
    plotWidth = WIDTH - left - right;
    band = plotWidth / Math.max(1, categories.size());
    double height = TOP + PLOT_HEIGHT + Math.max(40, 26 + SIN * CHAR_WIDTH * longestLabel);
    svg.append(
        format(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\""
                + " viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\" font-size=\"11\">\n",
            WIDTH, height, WIDTH, height));
    svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    text(left, 20, "start", " font-size=\"14\" font-weight=\"bold\"", spec.title());
    for (int t = 0; t <= axis.ticks(); t++) {
      double v = axis.min() + t * axis.step();
      line(left, y(v), left + plotWidth, y(v), "#e0e0e0");
      text(left - 6, y(v) + 4, "end", "", axis.label(v));
    }
    line(left, y(0), left + plotWidth, y(0), "#333333");
    line(left, TOP, left, TOP + PLOT_HEIGHT, "#333333");
    double labelY = TOP + PLOT_HEIGHT + 14;
    for (int c = 0; c < categories.size(); c += every) {
      double cx = left + band * (c + 0.5);
      svg.append(
          format(
              "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" transform=\"rotate(-40 %.1f"
                  + " %.1f)\">%s</text>\n",
              cx, labelY, cx, labelY, ResultTable.escape(categories.get(c))));
    }
    if (categories.isEmpty()) {
      text(left + plotWidth / 2, TOP + PLOT_HEIGHT / 2, "middle", "", "no rows");
    }
    int s = 0;
    for (Map.Entry<String, Map<String, Double>> e : series.entrySet()) {
      String color = PALETTE[s % PALETTE.length];
      if (spec.kind().equals("bar")) {
        bars(e.getValue(), s, color);
      } else {
        polyline(e.getValue(), color);
      }
      if (series.size() > 1) {
        double ly = TOP + 14 * s;
        svg.append(
            format(
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"10\" height=\"10\" fill=\"%s\"/>\n",
                WIDTH - right + 12, ly, color));
        text(WIDTH - right + 26, ly + 9, "start", "", e.getKey());
      }
      s++;
    }
    return svg.append("</svg>\n").toString();
  }

  private void bars(Map<String, Double> values, int s, String color) {
    double w = band * 0.8 / series.size();
    for (int c = 0; c < categories.size(); c++) {
      Double v = values.get(categories.get(c));
      if (v != null) {
        double x = left + band * c + band * 0.1 + w * s;
        svg.append(
            format(
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>\n",
                x, Math.min(y(v), y(0)), Math.max(w, 0.5), Math.abs(y(0) - y(v)), color));
      }
    }
  }

  private void polyline(Map<String, Double> values, String color) {
    List<String> points = new ArrayList<>();
    for (int c = 0; c < categories.size(); c++) {
      Double v = values.get(categories.get(c));
      if (v != null) {
        double x = left + band * (c + 0.5);
        points.add(format("%.1f,%.1f", x, y(v)));
        svg.append(
            format("<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"/>\n", x, y(v), color));
      }
    }
    if (points.size() > 1) {
      svg.append(
          format(
              "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>\n",
              color, String.join(" ", points)));
    }
  }

  private double y(double v) {
    return TOP + PLOT_HEIGHT - (v - axis.min()) / axis.span() * PLOT_HEIGHT;
  }

  private void line(double x1, double y1, double x2, double y2, String color) {
    svg.append(
        format(
            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>\n",
            x1, y1, x2, y2, color));
  }

  private void text(double x, double y, String anchor, String attrs, String value) {
    svg.append(
        format(
            "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"%s>%s</text>\n",
            x, y, anchor, attrs, ResultTable.escape(value)));
  }

  private static String format(String pattern, Object... args) {
    return String.format(Locale.ROOT, pattern, args);
  }

  /** A label or legend entry, cut to {@value #MAX_TEXT} characters. */
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

  /** The y axis: from min to min + ticks × step, covering zero and every value. */
  private record Axis(double min, double step, int ticks) {
    static Axis of(List<Double> values) {
      double lo = 0;
      double hi = 0;
      for (double v : values) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      if (hi - lo == 0) {
        hi = lo + 1;
      }
      double raw = (hi - lo) / 5;
      double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
      double step = magnitude;
      for (double m : new double[] {1, 2, 2.5, 5, 10}) {
        step = m * magnitude;
        if (step >= raw) {
          break;
        }
      }
      double min = Math.floor(lo / step) * step;
      int ticks = (int) Math.ceil((hi - min) / step - 1e-9);
      return new Axis(min, step, Math.max(1, ticks));
    }

    double span() {
      return step * ticks;
    }

    String label(double v) {
      int decimals = (int) Math.max(0, Math.min(4, Math.ceil(-Math.log10(step) - 1e-9)));
      double scaled = step * Math.pow(10, decimals);
      if (Math.abs(scaled - Math.rint(scaled)) > 1e-9 && decimals < 4) {
        decimals++;
      }
      String s = String.format(Locale.ROOT, "%." + decimals + "f", v);
      return s.matches("-0(\\.0*)?") ? s.substring(1) : s;
    }
  }
}
