package io.leadloop.tools.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TimeFormatTest {
  @Test
  void everyFormIsTheSameInstantAsJavaTimeReadsIt() {
    SplittableRandom rng = new SplittableRandom(1);
    for (int i = 0; i < 20_000; i++) {
      long t = rng.nextLong(-2_000_000_000L, 8_000_000_000L);
      for (int form = TimeFormat.Z; form <= TimeFormat.NAIVE_T; form++) {
        String s = TimeFormat.format(t, form);
        Instant read =
            form >= TimeFormat.NAIVE_SPACE
                ? LocalDateTime.parse(s.replace(' ', 'T')).toInstant(ZoneOffset.UTC)
                : OffsetDateTime.parse(s).toInstant();
        assertThat(read.getEpochSecond()).as(s).isEqualTo(t);
      }
    }
  }

  @Test
  void formsLookLikeTheContractExamples() {
    long t = Instant.parse("2026-03-02T15:04:05Z").getEpochSecond();
    assertThat(TimeFormat.format(t, TimeFormat.Z)).isEqualTo("2026-03-02T15:04:05Z");
    assertThat(TimeFormat.format(t, TimeFormat.Z_MILLIS)).isEqualTo("2026-03-02T15:04:05.000Z");
    assertThat(TimeFormat.format(t, TimeFormat.MINUS_5)).isEqualTo("2026-03-02T10:04:05-05:00");
    assertThat(TimeFormat.format(t, TimeFormat.MINUS_6)).isEqualTo("2026-03-02T09:04:05-06:00");
    assertThat(TimeFormat.format(t, TimeFormat.NAIVE_SPACE)).isEqualTo("2026-03-02 15:04:05");
    assertThat(TimeFormat.format(t, TimeFormat.NAIVE_T)).isEqualTo("2026-03-02T15:04:05");
  }
}
