package io.leadloop.jobs.publish;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * The order of a published file's rows: ascending by the grain columns, as Spark's {@code orderBy}
 * sorts them (missing values first, strings by code point, numbers and dates by value, false before
 * true), so that a small mart collected once is sorted on the driver instead of by another job.
 */
public final class GrainOrder {
  private GrainOrder() {}

  /** A comparator of rows of {@code schema} by the {@code grain} columns. */
  public static Comparator<Row> of(StructType schema, String... grain) {
    int[] at = Arrays.stream(grain).mapToInt(schema::fieldIndex).toArray();
    return (a, b) -> {
      for (int i : at) {
        int c = compare(a.get(i), b.get(i));
        if (c != 0) {
          return c;
        }
      }
      return 0;
    };
  }

  /** {@code rows} sorted by {@code grain} (a new list; the sort is stable). */
  public static List<Row> sorted(List<Row> rows, StructType schema, String... grain) {
    return rows.stream().sorted(of(schema, grain)).toList();
  }

  /** Two values of one column in that order. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static int compare(Object a, Object b) {
    if (a == null || b == null) {
      return a == null ? (b == null ? 0 : -1) : 1;
    }
    if (a instanceof String s && b instanceof String t) {
      return byCodePoint(s, t);
    }
    if (a instanceof Double x && b instanceof Double y) {
      return x.doubleValue() == y.doubleValue() ? 0 : Double.compare(x, y); // as Spark: NaN last
    }
    return ((Comparable) a).compareTo(b);
  }

  /** UTF-8 byte order, which is code point order (String.compareTo is UTF-16 unit order). */
  static int byCodePoint(String s, String t) {
    int i = 0;
    int j = 0;
    while (i < s.length() && j < t.length()) {
      int a = s.codePointAt(i);
      int b = t.codePointAt(j);
      if (a != b) {
        return Integer.compare(a, b);
      }
      i += Character.charCount(a);
      j += Character.charCount(b);
    }
    return Integer.compare(s.length() - i, t.length() - j);
  }
}
