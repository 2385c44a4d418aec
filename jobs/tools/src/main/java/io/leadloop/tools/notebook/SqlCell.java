package io.leadloop.tools.notebook;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Spark SQL of one code cell. A first line {@code %%sql} (sparkmagic, Jupyter SQL magics) or
 * {@code %sql} (Databricks), with any options after it, is dropped; a cell starting with another
 * magic ({@code %%pyspark}, {@code %python}, ...) is not SQL and is not run. With an as-of date,
 * every {@code ${as_of}} becomes that date ({@code YYYY-MM-DD}). Statements are separated by lines
 * ending in {@code ;}; statements holding only blank lines and {@code --} comments are dropped.
 *
 * @param statements the statements to run, in order (the last one's result is the cell's output)
 */
record SqlCell(List<String> statements) {
  static final String AS_OF_PARAMETER = "${as_of}";

  /** The SQL of a cell's source, or empty when the cell is not SQL or holds no statement. */
  static Optional<SqlCell> parse(String source, LocalDate asOf) {
    String body = source;
    String first = firstLine(source).strip();
    if (first.startsWith("%")) {
      String magic = first.split("\\s+", 2)[0];
      if (!magic.equals("%%sql") && !magic.equals("%sql")) {
        return Optional.empty();
      }
      int nl = source.indexOf('\n');
      body = nl < 0 ? "" : source.substring(nl + 1);
    }
    if (asOf != null) {
      body = body.replace(AS_OF_PARAMETER, asOf.toString());
    }
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : body.split("\n", -1)) {
      String trimmed = line.stripTrailing();
      if (trimmed.endsWith(";")) {
        current.append(trimmed, 0, trimmed.length() - 1).append('\n');
        add(statements, current);
      } else {
        current.append(line).append('\n');
      }
    }
    add(statements, current);
    return statements.isEmpty()
        ? Optional.empty()
        : Optional.of(new SqlCell(List.copyOf(statements)));
  }

  private static String firstLine(String source) {
    int nl = source.indexOf('\n');
    return nl < 0 ? source : source.substring(0, nl);
  }

  private static void add(List<String> statements, StringBuilder current) {
    String sql = current.toString().strip();
    current.setLength(0);
    if (hasCode(sql)) {
      statements.add(sql);
    }
  }

  private static boolean hasCode(String sql) {
    for (String line : sql.split("\n")) {
      String t = line.strip();
      if (!t.isEmpty() && !t.startsWith("--")) {
        return true;
      }
    }
    return false;
  }
}
