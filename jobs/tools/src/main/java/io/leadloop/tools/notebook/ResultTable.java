package io.leadloop.tools.notebook;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;

/**
 * The collected result of a cell's last statement: column names, which columns are numeric, and up
 * to {@link #MAX_COLLECTED} rows with every value as Spark casts it to a string (as {@code show}
 * prints it; {@code null} stays null), plus the total row count.
 *
 * @param columns column names, in order
 * @param numeric for each column, whether its type is numeric (right-aligned, chartable)
 * @param rows collected rows (at most {@link #MAX_COLLECTED})
 * @param total the result's row count
 */
record ResultTable(
    List<String> columns, List<Boolean> numeric, List<List<String>> rows, long total) {
  /** Rows kept for charts; tables show fewer ({@link NotebookRunner#MAX_TABLE_ROWS}). */
  static final int MAX_COLLECTED = 1000;

  static ResultTable collect(Dataset<Row> result) {
    StructField[] fields = result.schema().fields();
    List<String> columns = new ArrayList<>();
    List<Boolean> numeric = new ArrayList<>();
    String[] positional = new String[fields.length];
    Column[] asText = new Column[fields.length];
    for (int i = 0; i < fields.length; i++) {
      columns.add(fields[i].name());
      numeric.add(fields[i].dataType() instanceof NumericType);
      positional[i] = "_c" + i;
      asText[i] = col(positional[i]).cast("string");
    }
    if (fields.length == 0) {
      return new ResultTable(List.of(), List.of(), List.of(), 0);
    }
    // Positional names: a join may return two columns of one name.
    Dataset<Row> text = result.toDF(positional).select(asText);
    List<Row> collected = text.limit(MAX_COLLECTED + 1).collectAsList();
    long total = collected.size() <= MAX_COLLECTED ? collected.size() : text.count();
    List<List<String>> rows = new ArrayList<>();
    for (Row r : collected.subList(0, Math.min(collected.size(), MAX_COLLECTED))) {
      List<String> values = new ArrayList<>(fields.length);
      for (int i = 0; i < fields.length; i++) {
        values.add(r.isNullAt(i) ? null : r.getString(i));
      }
      rows.add(Collections.unmodifiableList(values));
    }
    return new ResultTable(List.copyOf(columns), List.copyOf(numeric), List.copyOf(rows), total);
  }

  /** The first {@code max} rows as an HTML table, every value escaped. */
  String html(int max) {
    if (columns.isEmpty()) {
      return "<p>OK (no result set)</p>\n";
    }
    StringBuilder b = new StringBuilder("<table class=\"dataframe\" border=\"1\">\n<thead>\n<tr>");
    for (String c : columns) {
      b.append("<th>").append(escape(c)).append("</th>");
    }
    b.append("</tr>\n</thead>\n<tbody>\n");
    for (List<String> row : shown(max)) {
      b.append("<tr>");
      for (int i = 0; i < row.size(); i++) {
        b.append(numeric.get(i) ? "<td style=\"text-align: right\">" : "<td>");
        b.append(row.get(i) == null ? "<i>NULL</i>" : escape(row.get(i))).append("</td>");
      }
      b.append("</tr>\n");
    }
    b.append("</tbody>\n</table>\n<p>").append(escape(footer(max))).append("</p>\n");
    return b.toString();
  }

  /** The first {@code max} rows as a fixed-width text table, the way Spark's show prints one. */
  String plain(int max) {
    if (columns.isEmpty()) {
      return "OK (no result set)";
    }
    List<List<String>> cells = new ArrayList<>();
    cells.add(columns);
    for (List<String> row : shown(max)) {
      cells.add(row.stream().map(v -> v == null ? "NULL" : v.replace('\n', ' ')).toList());
    }
    int[] width = new int[columns.size()];
    for (List<String> row : cells) {
      for (int i = 0; i < row.size(); i++) {
        width[i] = Math.max(width[i], row.get(i).length());
      }
    }
    StringBuilder rule = new StringBuilder("+");
    for (int w : width) {
      rule.append("-".repeat(w)).append('+');
    }
    StringBuilder b = new StringBuilder(rule).append('\n');
    for (int r = 0; r < cells.size(); r++) {
      b.append('|');
      for (int i = 0; i < width.length; i++) {
        String v = cells.get(r).get(i);
        String pad = " ".repeat(width[i] - v.length());
        b.append(r > 0 && numeric.get(i) ? pad + v : v + pad).append('|');
      }
      b.append('\n');
      if (r == 0) {
        b.append(rule).append('\n');
      }
    }
    return b.append(rule).append('\n').append(footer(max)).toString();
  }

  private List<List<String>> shown(int max) {
    return rows.subList(0, Math.min(max, rows.size()));
  }

  private String footer(int max) {
    if (total > max) {
      return "showing the first " + max + " of " + total + " rows";
    }
    return total == 1 ? "1 row" : total + " rows";
  }

  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
