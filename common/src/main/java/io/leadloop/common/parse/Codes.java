package io.leadloop.common.parse;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Value normalization rules of the data contract (trim, codes, closed vocabularies). */
public final class Codes {
  // "white space" is Unicode's: a no-break or em space inside a code separates words too.
  private static final Pattern SEPARATORS =
      Pattern.compile("[\\s\\-]+", Pattern.UNICODE_CHARACTER_CLASS);

  private Codes() {}

  /**
   * Trims white space (Unicode's, no-break spaces included); an empty result is a missing value
   * ({@code null}).
   */
  public static String trimToNull(String value) {
    if (value == null) {
      return null;
    }
    int start = 0;
    int end = value.length();
    while (start < end && isSpace(value.charAt(start))) {
      start++;
    }
    while (end > start && isSpace(value.charAt(end - 1))) {
      end--;
    }
    return start == end ? null : value.substring(start, end);
  }

  private static boolean isSpace(char c) {
    return Character.isWhitespace(c) || Character.isSpaceChar(c);
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
