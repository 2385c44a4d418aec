package io.leadloop.tools.generate;

import java.util.List;

/** Renders one row as a CSV record, a JSON object line or a FHIR R4 Appointment line. */
final class Render {
  private static final String[] HEX = {
    "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "b", "c", "d", "e", "f"
  };

  private Render() {}

  /** RFC 4180, quoted only when needed; a malformed record leaves out its last field. */
  static void csv(StringBuilder sb, String[] values, boolean malformed) {
    int n = malformed ? values.length - 1 : values.length;
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        sb.append(',');
      }
      String v = values[i];
      if (v == null) {
        continue;
      }
      if (needsQuotes(v)) {
        sb.append('"').append(v.replace("\"", "\"\"")).append('"');
      } else {
        sb.append(v);
      }
    }
  }

  static void csvHeader(StringBuilder sb, List<String> columns) {
    csv(sb, columns.toArray(String[]::new), false);
  }

  private static boolean needsQuotes(String v) {
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c == ',' || c == '"' || c == '\n' || c == '\r') {
        return true;
      }
    }
    return false;
  }

  /**
   * A compact JSON object; missing values are left out, {@code sequence_step} is a number. A
   * malformed line is the object cut off in the middle (not a JSON object).
   */
  static void json(StringBuilder sb, List<String> columns, String[] values, boolean malformed) {
    int begin = sb.length();
    sb.append('{');
    boolean first = true;
    for (int i = 0; i < values.length; i++) {
      String v = values[i];
      if (v == null) {
        continue;
      }
      if (!first) {
        sb.append(',');
      }
      first = false;
      string(sb, columns.get(i));
      sb.append(':');
      if (columns.get(i).equals("sequence_step") && isInteger(v)) {
        sb.append(v);
      } else {
        string(sb, v);
      }
    }
    sb.append('}');
    if (malformed) {
      cut(sb, begin);
    }
  }

  /** Cuts a rendered object to about half its length: an unterminated object. */
  static void cut(StringBuilder sb, int begin) {
    sb.setLength(begin + Math.max(2, (sb.length() - begin) / 2));
  }

  private static boolean isInteger(String v) {
    int start = v.startsWith("-") ? 1 : 0;
    if (v.length() == start || v.length() > 10) {
      return false;
    }
    for (int i = start; i < v.length(); i++) {
      if (v.charAt(i) < '0' || v.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  /** A JSON string literal with the escapes RFC 8259 requires. */
  static void string(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
