package io.leadloop.common.parse;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Value normalization rules of the data contract (trim, codes, closed vocabularies). */
public final class Codes {
  private static final Pattern SEPARATORS = Pattern.compile("[\\s\\-]+");

  private Codes() {}

  /** Trims; an empty result is a missing value ({@code null}). */
  public static String trimToNull(String value) {
    if (value == null) {
      return null;
    }
    String t = value.strip();
    return t.isEmpty() ? null : t;
  }

  /**
   * Normalizes a code: trimmed, lower-cased (locale-independent), every run of white space and/or
   * hyphens becomes one {@code _} ({@code "Paid - Search"} becomes {@code paid_search}).
   */
  public static String normalize(String value) {
    String t = trimToNull(value);
    if (t == null) {
      return null;
    }
    return SEPARATORS.matcher(t.toLowerCase(Locale.ROOT)).replaceAll("_");
  }

  /**
   * Matches a value against a closed vocabulary case-insensitively (after trimming) and returns the
   * vocabulary's own spelling, or {@code null} when it is not in the vocabulary.
   */
  public static String vocab(String value, List<String> vocabulary) {
    String t = trimToNull(value);
    if (t == null) {
      return null;
    }
    for (String v : vocabulary) {
      if (v.equalsIgnoreCase(t)) {
        return v;
      }
    }
    return null;
  }
}
