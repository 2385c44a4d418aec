package io.leadloop.tools.generate;

import java.util.SplittableRandom;

/**
 * Writes epoch seconds as contract timestamps in the mixed forms real exports use: mostly {@code
 * Z}, some with a (zero) millisecond fraction, some with a {@code -05:00} / {@code -06:00} offset,
 * some naive (UTC wall-clock time, with a space or a {@code T}). Hand-rolled (civil-from-days)
 * because {@code DateTimeFormatter} would dominate the generator's run time.
 */
final class TimeFormat {
  static final int Z = 0;
  static final int Z_MILLIS = 1;
  static final int MINUS_5 = 2;
  static final int MINUS_6 = 3;
  static final int NAIVE_SPACE = 4;
  static final int NAIVE_T = 5;

  /** Cumulative percentages of the forms above, in order. */
  private static final int[] MIXED = {78, 83, 91, 94, 98, 100};

  /** FHIR instants always carry a zone. */
  private static final int[] ZONED = {80, 86, 96, 100};

  private TimeFormat() {}

  /** A random form for a CSV / JSONL field. */
  static String mixed(long epochSecond, SplittableRandom rng) {
    return format(epochSecond, pick(MIXED, rng.nextInt(100)));
  }

  /** A random zoned form (Z, Z with millis, or an offset) for FHIR. */
  static String zoned(long epochSecond, SplittableRandom rng) {
    return format(epochSecond, pick(ZONED, rng.nextInt(100)));
  }

  private static int pick(int[] cumulative, int r) {
    int i = 0;
    while (r >= cumulative[i]) {
      i++;
    }
    return i;
  }

  static String format(long epochSecond, int form) {
    int offsetMinutes = form == MINUS_5 ? -300 : form == MINUS_6 ? -360 : 0;
    long local = epochSecond + offsetMinutes * 60L;
    long day = Math.floorDiv(local, 86_400L);
    int secondOfDay = (int) Math.floorMod(local, 86_400L);
    StringBuilder sb = new StringBuilder(29);
    appendDate(sb, day);
    sb.append(form == NAIVE_SPACE ? ' ' : 'T');
    append2(sb, secondOfDay / 3600);
    sb.append(':');
    append2(sb, secondOfDay / 60 % 60);
    sb.append(':');
    append2(sb, secondOfDay % 60);
    if (form == Z_MILLIS) {
      // Times are whole seconds: the fraction is zero, so every form of a time is the same instant.
      sb.append(".000");
    }
    if (form == Z || form == Z_MILLIS) {
      sb.append('Z');
    } else if (offsetMinutes != 0) {
      sb.append('-');
      append2(sb, -offsetMinutes / 60);
      sb.append(":00");
    }
    return sb.toString();
  }

  /** Appends {@code YYYY-MM-DD} for a day counted from 1970-01-01 (Hinnant's civil_from_days). */
  static void appendDate(StringBuilder sb, long epochDay) {
    long z = epochDay + 719_468L;
    long era = Math.floorDiv(z, 146_097L);
    long doe = z - era * 146_097L;
    long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    int day = (int) (doy - (153 * mp + 2) / 5 + 1);
    int month = (int) (mp < 10 ? mp + 3 : mp - 9);
    long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    String y = Long.toString(year);
    for (int i = y.length(); i < 4; i++) {
      sb.append('0');
    }
    sb.append(y).append('-');
    append2(sb, month);
    sb.append('-');
    append2(sb, day);
  }

  private static void append2(StringBuilder sb, int v) {
    sb.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
  }
}
