package io.leadloop.common.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TimestampsTest {
  private static final ZoneId UTC = ZoneId.of("UTC");
  private static final ZoneId CHICAGO = ZoneId.of("America/Chicago");

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    // every accepted form, read in UTC when naive
    "2026-03-02T10:00, 2026-03-02T10:00:00Z",
    "2026-03-02T10:00:05, 2026-03-02T10:00:05Z",
    "2026-03-02 10:00:05, 2026-03-02T10:00:05Z",
    "2026-03-02T10:00:05.5, 2026-03-02T10:00:05.500Z",
    "2026-03-02T10:00:05Z, 2026-03-02T10:00:05Z",
    "2026-03-02T10:00Z, 2026-03-02T10:00:00Z",
    "2026-03-02T10:00:05+02:00, 2026-03-02T08:00:05Z",
    "2026-03-02T10:00:05-05:00, 2026-03-02T15:00:05Z",
    "2026-03-02 10:00:05.123456-05:00, 2026-03-02T15:00:05.123456Z",
    // 9 fraction digits are truncated (not rounded) to microseconds
    "2026-03-02T10:00:05.123456789Z, 2026-03-02T10:00:05.123456Z",
    "2026-03-02T10:00:05.999999999Z, 2026-03-02T10:00:05.999999Z"
  })
  void acceptsContractForms(String text, String expected) {
    assertThat(Timestamps.parse(text, UTC)).isEqualTo(Instant.parse(expected));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "yesterday",
        "2026-03-02",
        "2026-03-02T10",
        "2026-13-02T10:00",
        "2026-02-30T10:00",
        "2026-03-02T24:00",
        "2026-03-02T10:00:05.1234567890Z",
        "2026-03-02T10:00:05+0200",
        "2026-03-02T10:00:05 Z",
        "03/02/2026 10:00",
        "2026-03-02T10:00:05+19:00",
        "1772445600"
      })
  void rejectsOtherForms(String text) {
    assertThat(Timestamps.parse(text, UTC)).isNull();
  }

  @ParameterizedTest(name = "{0} in Chicago -> {1}")
  @CsvSource({
    // CST is UTC-6, CDT is UTC-5
    "2026-01-15T09:00, 2026-01-15T15:00:00Z",
    "2026-07-15T09:00, 2026-07-15T14:00:00Z",
    // DST gap 2026-03-08 02:00-03:00 local: 02:30 moves forward by the gap to 03:30 CDT
    "2026-03-08T02:30, 2026-03-08T08:30:00Z",
    // DST overlap 2026-11-01 01:00-02:00 occurs twice: the earlier offset (CDT, -05:00) is taken
    "2026-11-01T01:30, 2026-11-01T06:30:00Z",
    // an explicit offset is exact whatever the source zone
    "2026-11-01T01:30-06:00, 2026-11-01T07:30:00Z"
  })
  void naiveTimesUseSourceZone(String text, String expected) {
    assertThat(Timestamps.parse(text, CHICAGO)).isEqualTo(Instant.parse(expected));
  }

  @ParameterizedTest(name = "FHIR {0} -> {1}")
  @CsvSource({
    // a date alone is its midnight in the source zone (FHIR fields only)
    "2026-03-04, 2026-03-04T06:00:00Z",
    "2026-07-04, 2026-07-04T05:00:00Z",
    "2026-03-04T10:00:00Z, 2026-03-04T10:00:00Z"
  })
  void fhirDatesAreMidnight(String text, String expected) {
    assertThat(Timestamps.parseFhir(text, CHICAGO)).isEqualTo(Instant.parse(expected));
  }
}
