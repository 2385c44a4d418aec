package io.leadloop.jobs.report;

import java.awt.BasicStroke;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisState;
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
import org.jfree.chart.text.TextUtils;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * The charts of the report and of the notebooks (the notebook runner draws a cell's result with
 * {@link #bars} and {@link #lines}): built with JFreeChart and rendered to SVG by {@link ChartSvg},
 * in one style. In the report, values arrive already masked: a {@code null} value (hidden by the
 * small-cell rule, or empty) is not drawn and gets no label, and count axes carry no tick labels
 * (the bars are labelled instead, {@link Scale#COUNT}), so no number below the threshold is ever
 * printed in a chart.
 */
public final class Charts {
  static final int WIDTH = 760;
  private static final NumberFormat PERCENT =
      new DecimalFormat("0.00%", DecimalFormatSymbols.getInstance(Locale.ROOT));
  private static final NumberFormat PERCENT_TICKS =
      new DecimalFormat("0%", DecimalFormatSymbols.getInstance(Locale.ROOT));
  private static final NumberFormat COUNT =
      new DecimalFormat("#,##0.#", DecimalFormatSymbols.getInstance(Locale.ROOT));
  private static final NumberFormat NUMBER_TICKS =
      new DecimalFormat("#,##0.####", DecimalFormatSymbols.getInstance(Locale.ROOT));
  private static final String NO_DATA = "Nothing to draw: every value is hidden or empty";

  /** Upper end of a rate axis: room for the labels right of 100%, ticks every 25%. */
  private static final double RATE_AXIS_MAX = 1.22;

  /** Room for a chart's title above the plot. */
  private static final int TITLE_HEIGHT = 28;

  /** A named series of values, one per category ({@code null}: not drawn). */
  public record Series(String name, List<Double> values) {}

  /** One arm of a stratum: rate and Wilson bounds, or {@code null} when not shown. */
  record Interval(double rate, double low, double high) {}

  /** How the value axis reads. */
  public enum Scale {
    /** Rates: an axis from 0 to 100% with ticks every 25%; bars labelled with the percentage. */
    PERCENT,
    /** Counts: no tick labels, each bar labelled with its value (bars only). */
    COUNT,
    /** Any numbers: an axis with tick labels from zero (or the lowest value); no labels. */
    NUMBER
  }

  /**
   * Where a chart goes.
   *
   * @param id the {@code <svg>} element's id, unique in its page (also the prefix of its defs)
   * @param title drawn above the chart, or {@code null} (the report captions its charts instead)
   * @param alt a text alternative (the chart's {@code aria-label})
   * @param standalone with {@code width} and {@code height}, an image of its own (a notebook's);
   *     else sized by the page's CSS from its {@code viewBox} (the report's)
   */
  public record Frame(String id, String title, String alt, boolean standalone) {}

  /** At most this many labels along a category axis: more would overlap. */
  private static final int MAX_LABELS = 40;

  static {
    // Drawn without a display (a job, a notebook run), unless the JVM was told otherwise.
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
    // Rotated labels as SVG text, not glyph outlines (the workaround is for a long-fixed JDK bug,
    // and outlines made a chart of 40 dates 240 kB).
    TextUtils.setUseDrawRotatedStringWorkaround(false);
  }

  private Charts() {}

  /** The report's grouped bars: percentages, or labelled counts. */
  static String bars(
      String id, String alt, List<String> categories, List<Series> series, boolean percent) {
    return bars(
        new Frame(id, null, alt, false), categories, series, percent ? Scale.PERCENT : Scale.COUNT);
  }

  /**
   * Grouped bars, one group per category (one bar per series), horizontal: long category names stay
   * readable.
   */
  public static String bars(
      Frame frame, List<String> categories, List<Series> series, Scale scale) {
    DefaultCategoryDataset data = dataset(categories, series);
    BarRenderer r = new BarRenderer();
    r.setItemMargin(0.04);
    r.setMaximumBarWidth(0.22);
    if (scale != Scale.NUMBER) {
      labels(r, scale == Scale.PERCENT ? PERCENT : COUNT, PlotOrientation.HORIZONTAL);
    }
    CategoryPlot plot = new CategoryPlot(data, new CategoryAxis(), axis(scale), r);
    plot.setOrientation(PlotOrientation.HORIZONTAL);
    plot.setRangeGridlinesVisible(scale != Scale.COUNT);
    plot.setNoDataMessage(NO_DATA);
    JFreeChart chart = chart(plot, series.size() > 1, frame.title());
    int height = 70 + categories.size() * (10 + 15 * series.size());
    return render(chart, frame, Math.max(height, 160));
  }

  /** The report's rates over time (one category per as-of). */
  static String trend(String id, String alt, List<String> xLabels, List<Series> series) {
    return lines(new Frame(id, null, alt, false), xLabels, series, Scale.PERCENT);
  }

  /**
   * Lines over categories in order (a time axis), one per series. Points carry no labels (they
   * would collide where lines run close): the report puts each line's latest value in its name,
   * shown in the legend. Counts need {@link Scale#NUMBER} here: there are no bars to label.
   */
  public static String lines(Frame frame, List<String> xLabels, List<Series> series, Scale scale) {
    if (scale == Scale.COUNT) {
      throw new IllegalArgumentException("A line chart has no bars to label: use NUMBER");
    }
    DefaultCategoryDataset data = dataset(xLabels, series);
    LineAndShapeRenderer r = new LineAndShapeRenderer(true, true);
    r.setDrawOutlines(false); // a dot of the line's colour needs no outline of the same colour
    for (int s = 0; s < series.size(); s++) {
      r.setSeriesStroke(s, new BasicStroke(2.2f));
      r.setSeriesShape(s, new Ellipse2D.Double(-4, -4, 8, 8));
    }
    CategoryAxis x = new SparseLabels((xLabels.size() + MAX_LABELS - 1) / MAX_LABELS);
    if (xLabels.size() > 20) {
      x.setCategoryLabelPositions(CategoryLabelPositions.UP_90);
    } else if (xLabels.size() > 6) {
      x.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
    }
    CategoryPlot plot = new CategoryPlot(data, x, axis(scale), r);
    plot.setNoDataMessage(NO_DATA);
    return render(chart(plot, true, frame.title()), frame, 320);
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
    return render(chart(plot, true, null), new Frame(id, null, alt, false), height);
  }

  /** A category axis that labels every {@code every}-th category only (from the first). */
  private static final class SparseLabels extends CategoryAxis {
    private final int every;

    SparseLabels(int every) {
      this.every = Math.max(1, every);
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public List refreshTicks(
        Graphics2D g2, AxisState state, Rectangle2D dataArea, RectangleEdge edge) {
      List all = super.refreshTicks(g2, state, dataArea, edge);
      List kept = new ArrayList();
      for (int i = 0; i < all.size(); i += every) {
        kept.add(all.get(i));
      }
      return kept;
    }
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

  private static String render(JFreeChart chart, Frame frame, int plotHeight) {
    int height = plotHeight + (frame.title() == null ? 0 : TITLE_HEIGHT);
    return ChartSvg.render(
        chart,
        frame.id(),
        WIDTH,
        height,
        frame.alt() == null ? "" : frame.alt(),
        frame.standalone());
  }

  private static NumberAxis axis(Scale scale) {
    return switch (scale) {
      case PERCENT -> rateAxis();
      case COUNT -> countAxis();
      case NUMBER -> numberAxis();
    };
  }

  /** A plain axis with tick labels, from zero or the lowest value. */
  private static NumberAxis numberAxis() {
    NumberAxis axis = new NumberAxis();
    axis.setAutoRangeIncludesZero(true);
    axis.setNumberFormatOverride(NUMBER_TICKS);
    return axis;
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

  private static JFreeChart chart(org.jfree.chart.plot.Plot plot, boolean legend, String title) {
    JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, legend);
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
