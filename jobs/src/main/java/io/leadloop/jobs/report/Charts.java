package io.leadloop.jobs.report;

import java.awt.BasicStroke;
import java.awt.geom.Ellipse2D;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.text.NumberFormat;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.AbstractCategoryItemRenderer;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.LineAndShapeRenderer;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * The report's three kinds of chart, built with JFreeChart and rendered to SVG by {@link ChartSvg}.
 * Values arrive already masked: a {@code null} value (hidden by the small-cell rule, or empty) is
 * not drawn and gets no label. Count axes carry no tick labels (the bars are labelled instead), so
 * no number below the threshold is ever printed in a chart.
 */
final class Charts {
  static final int WIDTH = 760;
  private static final NumberFormat PERCENT =
      new DecimalFormat("0.00%", DecimalFormatSymbols.getInstance(Locale.ROOT));
  private static final NumberFormat PERCENT_TICKS =
      new DecimalFormat("0%", DecimalFormatSymbols.getInstance(Locale.ROOT));
  private static final NumberFormat COUNT =
      new DecimalFormat("#,##0.#", DecimalFormatSymbols.getInstance(Locale.ROOT));

  /** Upper end of a rate axis: room for the labels right of 100%, ticks every 25%. */
  private static final double RATE_AXIS_MAX = 1.22;

  /** A named series of values, one per category ({@code null}: not drawn). */
  record Series(String name, List<Double> values) {}

  /** One arm of a stratum: rate and Wilson bounds, or {@code null} when not shown. */
  record Interval(double rate, double low, double high) {}

  private Charts() {}

  /** Grouped bars, one group per category; horizontal bars suit long category names. */
  static String bars(
      String id, String alt, List<String> categories, List<Series> series, boolean percent) {
    DefaultCategoryDataset data = dataset(categories, series);
    NumberAxis values = percent ? rateAxis() : countAxis();
    BarRenderer r = new BarRenderer();
    r.setItemMargin(0.04);
    r.setMaximumBarWidth(0.22);
    labels(r, percent ? PERCENT : COUNT, PlotOrientation.HORIZONTAL);
    CategoryPlot plot = new CategoryPlot(data, new CategoryAxis(), values, r);
    plot.setOrientation(PlotOrientation.HORIZONTAL);
    plot.setRangeGridlinesVisible(percent);
    plot.setNoDataMessage("Nothing to draw: every value is hidden or empty");
    JFreeChart chart = chart(plot, series.size() > 1);
    int height = 70 + categories.size() * (10 + 15 * series.size());
    return ChartSvg.render(chart, id, WIDTH, Math.max(height, 160), alt);
  }

  /**
   * Rates over time (one category per as-of). Points carry no labels (they would collide where
   * lines run close); the caller puts each line's latest value in its name, shown in the legend.
   */
  static String trend(String id, String alt, List<String> xLabels, List<Series> series) {
    DefaultCategoryDataset data = dataset(xLabels, series);
    LineAndShapeRenderer r = new LineAndShapeRenderer(true, true);
    for (int s = 0; s < series.size(); s++) {
      r.setSeriesStroke(s, new BasicStroke(2.2f));
      r.setSeriesShape(s, new Ellipse2D.Double(-4, -4, 8, 8));
    }
    CategoryAxis x = new CategoryAxis();
    if (xLabels.size() > 6) {
      x.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
    }
    CategoryPlot plot = new CategoryPlot(data, x, rateAxis(), r);
    plot.setNoDataMessage("Nothing to draw: every value is hidden or empty");
    return ChartSvg.render(chart(plot, true), id, WIDTH, 320, alt);
  }

  /**
   * Dot-and-whisker chart of two arms per stratum (rate and Wilson 95% interval), one row per
   * stratum; a {@code null} arm is not drawn.
   */
  static String intervals(
      String id,
      String alt,
      List<String> strata,
      List<String> armNames,
      List<List<Interval>> arms) {
    YIntervalSeriesCollection data = new YIntervalSeriesCollection();
    for (int a = 0; a < arms.size(); a++) {
      YIntervalSeries s = new YIntervalSeries(armNames.get(a));
      double offset = (a - (arms.size() - 1) / 2.0) * 0.3;
      for (int i = 0; i < strata.size(); i++) {
        Interval v = arms.get(a).get(i);
        if (v != null) {
          s.add(i + offset, v.rate(), v.low(), v.high());
        }
      }
      data.addSeries(s);
    }
    SymbolAxis rows = new SymbolAxis(null, strata.toArray(new String[0]));
    rows.setInverted(true);
    rows.setGridBandsVisible(true);
    rows.setAutoRange(false);
    rows.setRange(-0.6, Math.max(strata.size(), 1) - 0.4);
    XYErrorRenderer r = new XYErrorRenderer();
    r.setDrawXError(false);
    r.setDrawYError(true);
    r.setDefaultLinesVisible(false);
    r.setCapLength(6);
    r.setErrorStroke(new BasicStroke(1.6f));
    for (int a = 0; a < arms.size(); a++) {
      r.setSeriesShape(a, new Ellipse2D.Double(-4.5, -4.5, 9, 9));
    }
    XYPlot plot = new XYPlot(data, rows, rateAxis(), r);
    plot.setOrientation(PlotOrientation.HORIZONTAL);
    plot.setNoDataMessage("Nothing to draw: every stratum is hidden");
    int height = 90 + Math.max(strata.size(), 3) * 26;
    return ChartSvg.render(chart(plot, true), id, WIDTH, height, alt);
  }

  private static DefaultCategoryDataset dataset(List<String> categories, List<Series> series) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (Series s : series) {
      for (int i = 0; i < categories.size(); i++) {
        data.addValue(s.values().get(i), s.name(), categories.get(i));
      }
    }
    return data;
  }

  private static NumberAxis rateAxis() {
    NumberAxis axis = new NumberAxis();
    axis.setRange(0, RATE_AXIS_MAX);
    axis.setTickUnit(new NumberTickUnit(0.25, PERCENT_TICKS));
    return axis;
  }

  /** A count axis: no tick labels (bars are labelled), room above the longest bar for its label. */
  private static NumberAxis countAxis() {
    NumberAxis axis = new NumberAxis();
    axis.setVisible(false);
    axis.setAutoRangeIncludesZero(true);
    axis.setUpperMargin(0.18);
    return axis;
  }

  private static void labels(
      AbstractCategoryItemRenderer r, NumberFormat format, PlotOrientation o) {
    r.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}", format));
    r.setDefaultItemLabelsVisible(true);
    r.setDefaultPositiveItemLabelPosition(
        o == PlotOrientation.HORIZONTAL
            ? new ItemLabelPosition(ItemLabelAnchor.OUTSIDE3, TextAnchor.CENTER_LEFT)
            : new ItemLabelPosition(ItemLabelAnchor.OUTSIDE12, TextAnchor.BOTTOM_CENTER));
  }

  private static JFreeChart chart(org.jfree.chart.plot.Plot plot, boolean legend) {
    JFreeChart chart = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, plot, legend);
    ChartSvg.style(chart);
    plot.setOutlineVisible(false);
    if (plot instanceof CategoryPlot cp) {
      for (int s = 0; s < cp.getDataset().getRowCount(); s++) {
        cp.getRenderer().setSeriesPaint(s, ChartSvg.color(s));
      }
    } else if (plot instanceof XYPlot xp) {
      for (int s = 0; s < xp.getDataset().getSeriesCount(); s++) {
        xp.getRenderer().setSeriesPaint(s, ChartSvg.color(s));
      }
    }
    LegendTitle l = chart.getLegend();
    if (l != null) {
      l.setPosition(RectangleEdge.TOP);
      l.setFrame(org.jfree.chart.block.BlockBorder.NONE);
    }
    return chart;
  }
}
