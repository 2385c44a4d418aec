package io.leadloop.jobs.weekly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class BackfillTest {
  @Test
  void oneAsOfPerSunday() {
    // 2026-09-01 is a Tuesday: the Sundays up to Sunday 2026-09-27 inclusive
    assertThat(Backfill.sundays(LocalDate.parse("2026-09-01"), LocalDate.parse("2026-09-27")))
        .extracting(LocalDate::toString)
        .containsExactly("2026-09-06", "2026-09-13", "2026-09-20", "2026-09-27");
    // from a Sunday: it is included; to a Saturday: the last Sunday before it
    assertThat(Backfill.sundays(LocalDate.parse("2026-09-06"), LocalDate.parse("2026-09-19")))
        .extracting(LocalDate::toString)
        .containsExactly("2026-09-06", "2026-09-13");
    assertThat(Backfill.sundays(LocalDate.parse("2026-09-07"), LocalDate.parse("2026-09-12")))
        .isEmpty();
    assertThatThrownBy(
            () -> Backfill.sundays(LocalDate.parse("2026-09-07"), LocalDate.parse("2026-09-01")))
        .hasMessageContaining("before");
  }
}
