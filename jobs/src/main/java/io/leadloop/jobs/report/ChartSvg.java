package io.leadloop.jobs.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.geom.Rectangle2D;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.StandardChartTheme;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.ViewBox;

/**
 * The report's chart style (a flat, print-friendly theme with a colour-blind-safe palette) and the
 * rendering of a JFreeChart chart to an inline {@code <svg>} element with JFreeSVG: text stays
 * text, the size comes from a {@code viewBox} (the page's CSS scales it), and each chart's defs get
 * their own id prefix so that several charts can share one page.
 */
final class ChartSvg {
  /** Okabe–Ito colours: distinguishable with the common colour-vision deficiencies and in grey. */
  static final Color[] PALETTE = {
    new Color(0x0072B2),
    new Color(0xE69F00),
    new Color(0x009E73),
    new Color(0xCC79A7),
    new Color(0x56B4E9),
    new Color(0xD55E00),
    new Color(0x000000)
  };

  static final Color INK = new Color(0x1F2933);
  static final Color GRID = new Color(0xD9DEE3);
  static final String FONT = Font.SANS_SERIF;

  private ChartSvg() {}

  /** Applies the report's theme (fonts, colours, flat bars) to a chart. */
  static void style(JFreeChart chart) {
    StandardChartTheme theme = new StandardChartTheme("leadloop", false);
    theme.setExtraLargeFont(new Font(FONT, Font.BOLD, 15));
    theme.setLargeFont(new Font(FONT, Font.BOLD, 13));
    theme.setRegularFont(new Font(FONT, Font.PLAIN, 12));
    theme.setSmallFont(new Font(FONT, Font.PLAIN, 11));
    theme.setChartBackgroundPaint(Color.WHITE);
    theme.setPlotBackgroundPaint(Color.WHITE);
    theme.setLegendBackgroundPaint(Color.WHITE);
    theme.setDomainGridlinePaint(GRID);
    theme.setRangeGridlinePaint(GRID);
    theme.setAxisLabelPaint(INK);
    theme.setTickLabelPaint(INK);
    theme.setItemLabelPaint(INK);
    theme.setLegendItemPaint(INK);
    theme.setTitlePaint(INK);
    theme.setBarPainter(new StandardBarPainter());
    theme.setXYBarPainter(new StandardXYBarPainter());
    theme.setShadowVisible(false);
    theme.setGridBandPaint(new Color(0xF4F6F8));
    theme.setGridBandAlternatePaint(Color.WHITE);
    theme.setErrorIndicatorPaint(INK);
    theme.setAxisOffset(RectangleInsets.ZERO_INSETS);
    theme.apply(chart);
    chart.setAntiAlias(true);
    chart.setTextAntiAlias(true);
  }

  static Paint color(int series) {
    return PALETTE[series % PALETTE.length];
  }

  /**
   * Renders a chart to an {@code <svg>} element of the given design size.
   *
   * @param id the element id, unique in the page (also the prefix of its defs)
   * @param alt a text alternative (the chart's {@code aria-label})
   * @param dimensions whether the element carries {@code width} and {@code height} (an image of its
   *     own) or only its {@code viewBox} (scaled by the page's CSS)
   */
  static String render(
      JFreeChart chart, String id, int width, int height, String alt, boolean dimensions) {
    SVGGraphics2D g2 = new SVGGraphics2D(width, height);
    g2.setDefsKeyPrefix(id + "-");
    DecimalFormat twoDecimals =
        new DecimalFormat("0.##", DecimalFormatSymbols.getInstance(Locale.ROOT));
    g2.setGeomDoubleConverter(twoDecimals::format);
    g2.setRenderingHint(JFreeChart.KEY_SUPPRESS_SHADOW_GENERATION, true);
    chart.draw(g2, new Rectangle2D.Double(0, 0, width, height));
    String svg = g2.getSVGElement(id, dimensions, new ViewBox(0, 0, width, height), null, null);
    String attrs = " role=\"img\" class=\"chart\" aria-label=\"" + escape(alt) + "\"";
    if (!svg.startsWith("<svg")) {
      throw new IllegalStateException("JFreeSVG returned no <svg> element for chart " + id);
    }
    return "<svg" + attrs + svg.substring("<svg".length());
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("\"", "&quot;")
        .replace("<", "&lt;")
        .replace(">", "&gt;");
  }
}
