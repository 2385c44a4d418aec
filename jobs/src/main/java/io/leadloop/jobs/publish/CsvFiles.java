package io.leadloop.jobs.publish;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The output format of metrics.md: UTF-8 without BOM, {@code \n} line ends, comma, header row,
 * fields quoted only when needed, missing values empty, booleans {@code true}/{@code false}, dates
 * {@code YYYY-MM-DD}, rows sorted by the grain columns.
 */
public final class CsvFiles {
  /**
   * Columns holding a share (outcomes.md): printed in plain notation without trailing zeros ({@code
   * 0}, {@code 0.1}, {@code 0.25}), where every other decimal keeps its 4 places.
   */
  public static final java.util.Set<String> SHARE_COLUMNS = java.util.Set.of("holdout_share");

  private CsvFiles() {}

  /**
   * Writes {@code rows} (already in column order) sorted by {@code grain}; returns rows written.
   */
  public static long write(OutputFiles files, String path, Dataset<Row> rows, String... grain) {
    Dataset<Row> sorted =
        grain.length == 0
            ? rows
            : rows.orderBy(grain[0], java.util.Arrays.copyOfRange(grain, 1, grain.length));
    return write(files, path, List.of(rows.columns()), sorted.toLocalIterator());
  }

  /**
   * Writes rows already in hand, in the order given (e.g. {@link GrainOrder#sorted}), under a
   * header of {@code columns}; returns rows written.
   */
  public static long write(OutputFiles files, String path, List<String> columns, List<Row> rows) {
    return write(files, path, columns, rows.iterator());
  }

  private static long write(
      OutputFiles files, String path, List<String> columns, Iterator<Row> it) {
    long n = 0;
    boolean[] share = new boolean[columns.size()];
    for (int i = 0; i < share.length; i++) {
      share[i] = SHARE_COLUMNS.contains(columns.get(i));
    }
    try (OutputFiles.Writer w = files.open(path)) {
      w.write(line(columns));
      StringBuilder sb = new StringBuilder();
      while (it.hasNext()) {
        Row r = it.next();
        sb.setLength(0);
        for (int i = 0; i < r.length(); i++) {
          if (i > 0) {
            sb.append(',');
          }
          Object v = r.get(i);
          sb.append(quote(share[i] && v instanceof BigDecimal d ? share(d) : format(v)));
        }
        sb.append('\n');
        w.write(sb.toString());
        n++;
      }
      w.commit();
    }
    return n;
  }

  public static String line(List<String> values) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(quote(values.get(i)));
    }
    return sb.append('\n').toString();
  }

  public static String format(Object v) {
    if (v == null) {
      return "";
    }
    if (v instanceof BigDecimal d) {
      return d.signum() == 0 ? d.abs().toPlainString() : d.toPlainString();
    }
    if (v instanceof LocalDate d) {
      return d.toString();
    }
    return v.toString();
  }

  /** A share in plain notation without trailing zeros. */
  public static String share(BigDecimal d) {
    return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
  }

  public static String quote(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
  }
}
