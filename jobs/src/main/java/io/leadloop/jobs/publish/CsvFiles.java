package io.leadloop.jobs.publish;

import static org.apache.spark.sql.functions.col;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

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
   * Writes one file per as-of of {@code paths} (in its order, ascending) from one pass: {@code
   * rows} (in column order) of the as-of {@code asOf} gives, each file sorted by {@code grain}. An
   * as-of without rows gets a file of its header. Streamed from one sorted partition (one Spark
   * job), never held on the driver. Returns rows written per as-of.
   */
  public static Map<LocalDate, Long> writeEach(
      OutputFiles files,
      Map<LocalDate, String> paths,
      Dataset<Row> rows,
      Column asOf,
      String... grain) {
    List<String> columns = List.of(rows.columns());
    List<Column> order = new ArrayList<>();
    order.add(col(FILE_AS_OF));
    for (String g : grain) {
      order.add(col(g));
    }
    Iterator<Row> it =
        rows.withColumn(FILE_AS_OF, asOf)
            .repartition(1)
            .sortWithinPartitions(order.toArray(new Column[0]))
            .toLocalIterator();
    AsOfRows in = new AsOfRows(it, columns.size());
    Map<LocalDate, Long> written = new LinkedHashMap<>();
    paths.forEach((d, path) -> written.put(d, write(files, path, columns, in.of(d))));
    if (in.hasAny()) {
      throw new IllegalStateException(
          "Cannot write " + paths.values() + ": a row of an as-of after the last file's");
    }
    return written;
  }

  private static final String FILE_AS_OF = "_file_as_of";

  /**
   * A stream of rows sorted by their as-of (the column after the written ones), split by it: the
   * files of several as-ofs written from one sorted stream.
   */
  public static final class AsOfRows {
    private final Iterator<Row> it;
    private final int width;
    private Row next;

    /** {@code width}: the written columns; the as-of is the column after them. */
    public AsOfRows(Iterator<Row> it, int width) {
      this.it = it;
      this.width = width;
      this.next = it.hasNext() ? it.next() : null;
    }

    /** Whether a row is left. */
    public boolean hasAny() {
      return next != null;
    }

    private LocalDate day(Row r) {
      return io.leadloop.common.metrics.AsOfs.localDate(r.get(width));
    }

    /** The rows of as-of {@code d} (those before it are a caller's error), without the as-of. */
    public Iterator<Row> of(LocalDate d) {
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          if (next != null && day(next).isBefore(d)) {
            throw new IllegalStateException("Cannot write rows of " + day(next) + ": no file");
          }
          return next != null && day(next).equals(d);
        }

        @Override
        public Row next() {
          if (!hasNext()) {
            throw new java.util.NoSuchElementException();
          }
          Object[] v = new Object[width];
          for (int i = 0; i < width; i++) {
            v[i] = next.get(i);
          }
          next = it.hasNext() ? it.next() : null;
          return RowFactory.create(v);
        }
      };
    }
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
