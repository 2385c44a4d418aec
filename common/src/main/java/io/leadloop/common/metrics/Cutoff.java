package io.leadloop.common.metrics;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.timestamp_micros;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.unix_micros;

import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import org.apache.spark.sql.Column;

/**
 * A run's cutoff {@code c}: the start of day {@code D+1} in the pipeline time zone. Durations are
 * exact ({@code N days} = {@code N × 86,400 s}), so instants are compared as microseconds.
 */
public record Cutoff(LocalDate asOf, ZoneId zone) implements Serializable {
  public static final long MICROS_PER_DAY = 86_400_000_000L;

  public Instant instant() {
    return asOf.plusDays(1).atStartOfDay(zone).toInstant();
  }

  public long micros() {
    Instant i = instant();
    return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
  }

  /** {@code c} as a timestamp literal. */
  public Column column() {
    return timestamp_micros(lit(micros()));
  }

  /** {@code c - days} as microseconds. */
  public long minusDays(long days) {
    return micros() - days * MICROS_PER_DAY;
  }

  /** Microseconds of a timestamp column. */
  public static Column micros(Column ts) {
    return unix_micros(ts);
  }

  /** A date column at its midnight in the session (= pipeline) time zone, as microseconds. */
  public static Column midnightMicros(Column date) {
    return unix_micros(to_date(date).cast("timestamp"));
  }

  public static Column days(long n) {
    return lit(n * MICROS_PER_DAY);
  }
}
