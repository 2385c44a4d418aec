package io.leadloop.common.parse;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Timestamp forms of the data contract: {@code YYYY-MM-DDTHH:MM[:SS[.fraction]]} (a space may stand
 * for {@code T}; up to 9 fraction digits, truncated to microseconds) followed by {@code Z}, an
 * offset {@code ±HH:MM}, or nothing (then read in the source time zone: a local time in a DST gap
 * moves forward by the gap, one that occurs twice takes the earlier offset — exactly what {@link
 * ZonedDateTime#of} does). Anything else does not parse ({@code null}).
 */
public final class Timestamps {
  private static final Pattern FORM =
      Pattern.compile(
          "(\\d{4})-(\\d{2})-(\\d{2})[T ](\\d{2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d{1,9}))?)?"
              + "(Z|[+-]\\d{2}:\\d{2})?");
  private static final Pattern DATE = Pattern.compile("(\\d{4})-(\\d{2})-(\\d{2})");

  private Timestamps() {}

  /** Parses a contract timestamp, or returns {@code null} when it does not parse. */
  public static Instant parse(String text, ZoneId sourceZone) {
    if (text == null) {
      return null;
    }
    Matcher m = FORM.matcher(text);
    if (!m.matches()) {
      return null;
    }
    try {
      int nanos = 0;
      if (m.group(7) != null) {
        String f = (m.group(7) + "000000000").substring(0, 9);
        nanos = Integer.parseInt(f.substring(0, 6)) * 1000; // truncated to microseconds
      }
      LocalDateTime local =
          LocalDateTime.of(
              Integer.parseInt(m.group(1)),
              Integer.parseInt(m.group(2)),
              Integer.parseInt(m.group(3)),
              Integer.parseInt(m.group(4)),
              Integer.parseInt(m.group(5)),
              m.group(6) == null ? 0 : Integer.parseInt(m.group(6)),
              nanos);
      String zone = m.group(8);
      if (zone == null) {
        return ZonedDateTime.of(local, sourceZone).toInstant();
      }
      ZoneOffset offset = ZoneOffset.of(zone.equals("Z") ? "Z" : zone);
      return local.toInstant(offset);
    } catch (DateTimeException | NumberFormatException e) {
      return null;
    }
  }

  /** FHIR fields also accept a date alone, meaning its midnight in the source time zone. */
  public static Instant parseFhir(String text, ZoneId sourceZone) {
    if (text != null) {
      Matcher d = DATE.matcher(text);
      if (d.matches()) {
        try {
          LocalDate date =
              LocalDate.of(
                  Integer.parseInt(d.group(1)),
                  Integer.parseInt(d.group(2)),
                  Integer.parseInt(d.group(3)));
          return date.atStartOfDay(sourceZone).toInstant();
        } catch (DateTimeException e) {
          return null;
        }
      }
    }
    return parse(text, sourceZone);
  }

  /** Microseconds since the epoch (what Spark stores for a timestamp). */
  public static long micros(Instant i) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, i);
  }
}
