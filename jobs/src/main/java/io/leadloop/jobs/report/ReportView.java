package io.leadloop.jobs.report;

import java.util.List;

/**
 * The report's view model: plain records that the Mustache template {@code report/report.mustache}
 * renders. Every text here is already formatted and already masked by the small-cell rule.
 */
public final class ReportView {
  private ReportView() {}

  /** The whole page. */
  public record Report(
      String title,
      String asOf,
      String cutoff,
      String runId,
      String mask,
      int threshold,
      int largestHidden,
      String css,
      List<Section> sections) {}

  /** One numbered section of the page (an {@code <section id=...>}). */
  public record Section(String id, String title, String question, List<Block> blocks) {
    /**
     * A provisional note repeated by later figures of the section is shown once (they keep the
     * tag).
     */
    public Section {
      java.util.List<Block> once = new java.util.ArrayList<>();
      java.util.Set<String> said = new java.util.HashSet<>();
      for (Block b : blocks) {
        boolean repeated = b.provisional() && !said.add(String.valueOf(b.provisionalNote()));
        once.add(
            repeated
                ? new Block(b.tiles(), b.chart(), b.table(), b.note(), b.how(), true, "as above")
                : b);
      }
      blocks = List.copyOf(once);
    }
  }

  /**
   * One figure of a section: exactly one of tiles, chart or table is set, plus its "how this is
   * computed" line.
   */
  public record Block(
      List<Tile> tiles,
      Chart chart,
      Table table,
      String note,
      How how,
      boolean provisional,
      String provisionalNote) {
    public static Block tiles(List<Tile> tiles, How how) {
      return new Block(List.copyOf(tiles), null, null, null, how, false, null);
    }

    public static Block chart(Chart chart, How how) {
      return new Block(null, chart, null, null, how, false, null);
    }

    public static Block table(Table table, How how) {
      return new Block(null, null, table, null, how, false, null);
    }

    public static Block note(String note) {
      return new Block(null, null, null, note, null, false, null);
    }

    /** A sentence in place of a figure, with the definition of the figure it stands for. */
    public static Block note(String note, How how) {
      return new Block(null, null, null, note, how, false, null);
    }

    public boolean hasTiles() {
      return tiles != null && !tiles.isEmpty();
    }

    /** The same figure marked provisional (its cohorts are not matured), with why. */
    public Block provisional(String why) {
      return why == null ? this : new Block(tiles, chart, table, note, how, true, why);
    }
  }

  /** A headline number. */
  public record Tile(String label, String value, boolean masked, boolean provisional) {}

  /** An inline SVG chart and its caption. */
  public record Chart(String id, String svg, String caption, String alt) {}

  /** A table with a caption; the first column is a label, the others are numbers. */
  public record Table(String caption, List<String> headers, List<TableRow> rows) {}

  /** A table row; {@code total} rows are set apart. */
  public record TableRow(List<Cell> cells, boolean total, boolean provisional) {}

  /** One cell: its text, whether it is a number (right-aligned) and whether it is masked. */
  public record Cell(String text, boolean num, boolean masked) {
    public static Cell label(String text) {
      return new Cell(text, false, false);
    }
  }

  /** "How this is computed": a short sentence and a link to the definition in the spec. */
  public record How(String text, String href, String label) {}
}
