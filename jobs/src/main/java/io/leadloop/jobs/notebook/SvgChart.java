package io.leadloop.jobs.notebook;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A small, dependency-free SVG bar or line chart of a result: categories along x (in result order),
 * one bar per series in each category group or one line per series, y from zero (or the lowest
 * negative value) to a rounded maximum, and a legend when there are several series. Coordinates are
 * printed with one decimal, so the same data always gives the same SVG.
 */
final class SvgChart {
  private static final String[] PALETTE = {
    "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#9c755f"
  };
  private static final double WIDTH = 720;
  private static final double HEIGHT = 360;
  private static final double TOP = 36;
  private static final double LEFT = 64;
  private static final double BOTTOM = 84;
  private static final int MAX_LABELS = 16;

  private SvgChart() {}

  static String render(ChartSpec spec, ResultTable table) {
    int xi = spec.column(table, spec.x());
    int yi = spec.column(table, spec.y());
    int si = spec.series() == null ? -1 : spec.column(table, spec.series());
    List<String> categories = new ArrayList<>();
    Map<String, Map<String, Double>> series = new LinkedHashMap<>();
    for (List<String> row : table.rows()) {
      String x = String.valueOf(row.get(xi));
      String s = si < 0 ? spec.y() : String.valueOf(row.get(si));
      if (!categories.contains(x)) {
        categories.add(x);
      }
      Double y = number(row.get(yi));
      Map<String, Double> values = series.computeIfAbsent(s, k -> new LinkedHashMap<>());
      if (y != null) {
        values.merge(x, y, Double::sum);
      }
    }
    double right = series.size() > 1 ? 150 : 16;
    double plotW = WIDTH - LEFT - right;
    double plotH = HEIGHT - TOP - BOTTOM;
    Axis axis = Axis.of(series.values().stream().flatMap(m -> m.values().stream()).toList());
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\""
            + " font-family=\"sans-serif\" font-size=\"11\">\n", WIDTH, HEIGHT, WIDTH, HEIGHT));
    b.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    b.append(text(LEFT, 20, "start", "font-size=\"14\" font-weight=\"bold\"", spec.title()));
    for (int t = 0; t <= axis.ticks(); t++) {
      double v = axis.min() + t * axis.step();
      double y = TOP + plotH - (v - axis.min()) / axis.span() * plotH;
      b.append(line(LEFT, y, LEFT + plotW, y, "#e0e0e0"));
      b.append(text(LEFT - 6, y + 4, "end", "", axis.label(v)));
    }
    double zero = TOP + plotH - (0 - axis.min()) / axis.span() * plotH;
    b.append(line(LEFT, zero, LEFT + plotW, zero, "#333333"));
    b.append(line(LEFT, TOP, LEFT, TOP + plotH, "#333333"));
    double band = categories.isEmpty() ? plotW : plotW / categories.size();
    int every = Math.max(1, (int) Math.ceil(categories.size() / (double) MAX_LABELS));
    for (int c = 0; c < categories.size(); c += every) {
      double cx = LEFT + band * (c + 0.5);
      b.append(String.format(Locale.ROOT,
          "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" transform=\"rotate(-40 %.1f %.1f)\">%s</text>\n",
          cx, TOP + plotH + 14, cx, TOP + plotH + 14, ResultTable.escape(categories.get(c))));
    }
    if (categories.isEmpty()) {
      b.append(text(LEFT + plotW / 2, TOP + plotH / 2, "middle", "", "no rows"));
    }
    int s = 0;
    for (Map.Entry<String, Map<String, Double>> e : series.entrySet()) {
      String color = PALETTE[s % PALETTE.length];
      List<String> points = new ArrayList<>();
      for (int c = 0; c < categories.size(); c++) {
        Double v = e.getValue().get(categories.get(c));
        if (v == null) {
          continue;
        }
        double y = TOP + plotH - (v - axis.min()) / axis.span() * plotH;
        if (spec.kind().equals("bar")) {
          double w = band * 0.8 / series.size();
          double x = LEFT + band * c + band * 0.1 + w * s;
          b.append(String.format(Locale.ROOT,
              "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>\n",
              x, Math.min(y, zero), Math.max(w, 0.5), Math.abs(zero - y), color));
        } else {
          double x = LEFT + band * (c + 0.5);
          points.add(String.format(Locale.ROOT, "%.1f,%.1f", x, y));
          b.append(String.format(Locale.ROOT,
              "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"/>\n", x, y, color));
        }
      }
      if (points.size() > 1) {
        b.append("<polyline fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"2\" points=\"")
            .append(String.join(" ", points)).append("\"/>\n");
      }
      if (series.size() > 1) {
        double ly = TOP + 14 * s;
        b.append(String.format(Locale.ROOT,
            "<rect x=\"%.1f\" y=\"%.1f\" width=\"10\" height=\"10\" fill=\"%s\"/>\n", WIDTH - right + 12, ly, color));
        b.append(text(WIDTH - right + 26, ly + 9, "start", "", e.getKey()));
      }
      s++;
    }
    return b.append("</svg>\n").toString();
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

  private static String line(double x1, double y1, double x2, double y2, String color) {
    return String.format(Locale.ROOT,
        "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>\n", x1, y1, x2, y2, color);
  }

  private static String text(double x, double y, String anchor, String attrs, String value) {
    return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"%s>%s</text>\n",
        x, y, anchor, attrs.isEmpty() ? "" : " " + attrs, ResultTable.escape(value));
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
