package io.leadloop.tools.bench;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Row-by-row comparison of one figure between leadloop (its published CSV) and the DuckDB baseline
 * (a table): rows on one side only, and per value column the rows that differ — counts and booleans
 * exactly, rates and credits within {@link #TOLERANCE}.
 *
 * @param figure figure name, e.g. {@code cohort_funnel}
 * @param leadloopRows rows in leadloop's CSV (after the filter)
 * @param duckRows rows in the baseline
 * @param onlyLeadloop grain keys only leadloop has
 * @param onlyDuck grain keys only the baseline has
 * @param differingRows rows on both sides with at least one differing value
 * @param differencesByColumn per column: how many rows differ and the largest absolute difference
 * @param examples up to {@link #MAX_EXAMPLES} differences, readable
 */
public record Agreement(
    String figure,
    long leadloopRows,
    long duckRows,
    long onlyLeadloop,
    long onlyDuck,
    long differingRows,
    Map<String, ColumnDiff> differencesByColumn,
    List<String> examples) {

  public static final double TOLERANCE = 1e-4;
  static final int MAX_EXAMPLES = 10;

  /** How a column is compared. */
  enum Kind {
    EXACT,
    NUMBER
  }

  /**
   * @param rows rows whose value differs @param maxAbs the largest absolute difference (numbers)
   */
  public record ColumnDiff(long rows, double maxAbs) {}

  public boolean agrees() {
    return onlyLeadloop == 0 && onlyDuck == 0 && differingRows == 0;
  }

  public String summary() {
    if (agrees()) {
      return figure + ": " + leadloopRows + " rows, all equal";
    }
    StringBuilder sb =
        new StringBuilder(
            String.format(
                "%s: leadloop %d rows, DuckDB %d rows; only leadloop %d, only DuckDB %d, differing %d",
                figure, leadloopRows, duckRows, onlyLeadloop, onlyDuck, differingRows));
    differencesByColumn.forEach(
        (c, d) ->
            sb.append(String.format("; %s: %d rows (max |diff| %.4f)", c, d.rows(), d.maxAbs())));
    return sb.toString();
  }

  /**
   * Compares {@code csv} (leadloop's output, optionally filtered by {@code csvWhere}) with the
   * baseline table {@code duckTable}, both read through {@code db}.
   */
  static Agreement compare(
      DuckBaseline db,
      String figure,
      Path csv,
      String csvWhere,
      String duckTable,
      List<String> grain,
      Map<String, Kind> values) {
    List<String> cols = new ArrayList<>(grain);
    cols.addAll(values.keySet());
    String select =
        String.join(", ", cols.stream().map(c -> "CAST(" + c + " AS VARCHAR) AS " + c).toList());
    Map<String, String[]> left =
        rows(
            db,
            "SELECT "
                + select
                + " FROM read_csv('"
                + DuckBaseline.sqlPath(csv)
                + "', header = true, all_varchar = true, delim = ',', quote = '\"')"
                + (csvWhere == null ? "" : " WHERE " + csvWhere),
            grain.size());
    Map<String, String[]> right = rows(db, "SELECT " + select + " FROM " + duckTable, grain.size());
    TreeSet<String> keys = new TreeSet<>(left.keySet());
    keys.addAll(right.keySet());
    long onlyL = 0;
    long onlyR = 0;
    long differing = 0;
    Map<String, long[]> diffRows = new LinkedHashMap<>();
    Map<String, double[]> diffMax = new LinkedHashMap<>();
    List<String> examples = new ArrayList<>();
    for (String k : keys) {
      String[] l = left.get(k);
      String[] r = right.get(k);
      if (l == null || r == null) {
        if (l == null) {
          onlyR++;
        } else {
          onlyL++;
        }
        if (examples.size() < MAX_EXAMPLES) {
          examples.add(
              (l == null ? "only DuckDB: " : "only leadloop: ")
                  + k
                  + " -> "
                  + String.join(",", l == null ? r : l));
        }
        continue;
      }
      boolean any = false;
      int i = grain.size();
      for (var e : values.entrySet()) {
        String a = blankToNull(l[i]);
        String b = blankToNull(r[i]);
        i++;
        double abs = 0;
        boolean differs;
        if (a == null || b == null) {
          differs = a != b;
          abs = Double.NaN;
        } else if (e.getValue() == Kind.NUMBER) {
          abs = Math.abs(Double.parseDouble(a) - Double.parseDouble(b));
          differs = abs > TOLERANCE + 1e-9;
        } else {
          differs = !a.equals(b);
          if (differs && isNumber(a) && isNumber(b)) {
            abs = Math.abs(Double.parseDouble(a) - Double.parseDouble(b));
          }
        }
        if (differs) {
          any = true;
          diffRows.computeIfAbsent(e.getKey(), x -> new long[1])[0]++;
          double[] m = diffMax.computeIfAbsent(e.getKey(), x -> new double[1]);
          if (!Double.isNaN(abs)) {
            m[0] = Math.max(m[0], abs);
          }
          if (examples.size() < MAX_EXAMPLES) {
            examples.add(k + ": " + e.getKey() + " leadloop " + a + " vs DuckDB " + b);
          }
        }
      }
      if (any) {
        differing++;
      }
    }
    Map<String, ColumnDiff> byColumn = new TreeMap<>();
    diffRows.forEach((c, n) -> byColumn.put(c, new ColumnDiff(n[0], diffMax.get(c)[0])));
    return new Agreement(
        figure, left.size(), right.size(), onlyL, onlyR, differing, byColumn, examples);
  }

  private static Map<String, String[]> rows(DuckBaseline db, String sql, int grainSize) {
    Map<String, String[]> out = new LinkedHashMap<>();
    try (Statement s = db.connection().createStatement();
        ResultSet r = s.executeQuery(sql)) {
      int n = r.getMetaData().getColumnCount();
      while (r.next()) {
        String[] v = new String[n];
        for (int i = 0; i < n; i++) {
          v[i] = r.getString(i + 1);
        }
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < grainSize; i++) {
          key.append(i == 0 ? "" : "|").append(v[i]);
        }
        out.put(key.toString(), v);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("DuckDB: " + e.getMessage() + "\n" + sql, e);
    }
    return out;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  private static boolean isNumber(String s) {
    try {
      Double.parseDouble(s);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
