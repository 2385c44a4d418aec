package io.leadloop.common.parse;

import java.util.Map;
import java.util.Set;

/**
 * One record as read from a landing file, before validation.
 *
 * @param line the physical line where the record starts (1-based; a CSV header is line 1)
 * @param rawText the record's text, cut at {@link #MAX_RAW_CHARS}
 * @param fields values by lower-cased column / key name, untrimmed; {@code null} when malformed
 * @param invalidFields keys whose JSON value was an object or array (a value that does not parse)
 * @param malformed why the record is not a valid record, or {@code null}
 * @param fhir whether the record is a FHIR resource (timestamps may be dates alone)
 */
public record RawRecord(
    long line,
    String rawText,
    Map<String, String> fields,
    Set<String> invalidFields,
    String malformed,
    boolean fhir) {

  /** The raw text kept for a reject is cut at 64 KiB. */
  public static final int MAX_RAW_CHARS = 64 * 1024;

  /**
   * A longer field or JSON line makes its record malformed; what lies beyond is not kept, so a 100
   * MB single-line file costs about this much memory, not 100 MB.
   */
  public static final int MAX_FIELD_CHARS = 1024 * 1024;

  public static RawRecord malformed(long line, String rawText, String message) {
    return new RawRecord(line, cut(rawText), null, Set.of(), message, false);
  }

  static String cut(String s) {
    return s.length() > MAX_RAW_CHARS ? s.substring(0, MAX_RAW_CHARS) : s;
  }
}
