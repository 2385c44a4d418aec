package io.leadloop.tools.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SQL files of the DuckDB baseline (resources {@code bench/duckdb/}): each file's statements,
 * with the comments left out and the named placeholders ({@code ${name}}) filled. Statements are
 * split at the semicolons outside quotes and comments before the values go in, so a value (a file
 * name, say) can hold any character.
 */
final class DuckSql {
  static final String FOLDER = "bench/duckdb/";

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");

  private DuckSql() {}

  /** The statements of {@code file} (a name in {@link #FOLDER}) with {@code values} filled in. */
  static List<String> statements(String file, Map<String, String> values) {
    return statements(file, read(file), values);
  }

  /** The statements of {@code text}; {@code file} names it in errors. */
  static List<String> statements(String file, String text, Map<String, String> values) {
    List<String> out = new ArrayList<>();
    for (String s : split(file, text)) {
      out.add(fill(file, s, values));
    }
    return out;
  }

  private static String read(String file) {
    try (InputStream in = DuckSql.class.getClassLoader().getResourceAsStream(FOLDER + file)) {
      if (in == null) {
        throw new IllegalStateException(
            "Cannot run DuckDB baseline: no SQL file " + FOLDER + file + " on the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The statements of {@code text} ({@code file} names it in errors) without comments ({@code --}
   * and block), trimmed, non-empty.
   */
  private static List<String> split(String file, String text) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    int n = text.length();
    int i = 0;
    while (i < n) {
      char c = text.charAt(i);
      if (c == '\'' || c == '"') {
        // a string or a quoted identifier; a doubled quote stays inside
        int j = i + 1;
        while (j < n) {
          if (text.charAt(j) == c) {
            if (j + 1 < n && text.charAt(j + 1) == c) {
              j += 2;
              continue;
            }
            break;
          }
          j++;
        }
        if (j >= n) {
          throw new IllegalStateException(
              "Cannot run DuckDB baseline: unterminated "
                  + c
                  + " in "
                  + file
                  + " at "
                  + preview(text, i));
        }
        cur.append(text, i, j + 1);
        i = j + 1;
      } else if (c == '-' && i + 1 < n && text.charAt(i + 1) == '-') {
        int j = text.indexOf('\n', i);
        i = j < 0 ? n : j;
      } else if (c == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
        int j = text.indexOf("*/", i + 2);
        if (j < 0) {
          throw new IllegalStateException(
              "Cannot run DuckDB baseline: unterminated comment in "
                  + file
                  + " at "
                  + preview(text, i));
        }
        cur.append(' ');
        i = j + 2;
      } else if (c == ';') {
        add(out, cur);
        i++;
      } else {
        cur.append(c);
        i++;
      }
    }
    add(out, cur);
    return out;
  }

  private static void add(List<String> out, StringBuilder cur) {
    String s = cur.toString().strip();
    if (!s.isEmpty()) {
      out.add(s);
    }
    cur.setLength(0);
  }

  private static String fill(String file, String statement, Map<String, String> values) {
    Matcher m = PLACEHOLDER.matcher(statement);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String v = values.get(m.group(1));
      if (v == null) {
        throw new IllegalStateException(
            "Cannot run DuckDB baseline: placeholder "
                + m.group()
                + " in "
                + file
                + " has no value");
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(v));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private static String preview(String text, int at) {
    String s = text.substring(at, Math.min(text.length(), at + 40));
    return s.replace('\n', ' ');
  }
}
