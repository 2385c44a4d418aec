package io.leadloop.common.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadloop.common.schema.Entity;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class FhirAppointmentsTest {
  private static final RowValidator V =
      new RowValidator(
          Entity.APPOINTMENTS, ZoneId.of("America/Chicago"), Instant.parse("2026-11-23T00:00:00Z"));

  private static ParsedRow one(String json) {
    List<RawRecord> r = JsonLineReaderTest.read(json, true);
    assertThat(r).hasSize(1);
    return V.validate(r.get(0));
  }

  private static Object get(ParsedRow p, String field) {
    return p.values()[Entity.APPOINTMENTS.indexOf(field)];
  }

  @Test
  void mapsAnAppointmentWithAbsoluteReferences() {
    ParsedRow p =
        one(
            "{\"resourceType\": \"Appointment\", \"id\": \"A1\", \"status\": \"Fulfilled\","
                + " \"meta\": {\"lastUpdated\": \"2026-10-23T00:42:28Z\"}, \"created\": \"2026-10-12\","
                + " \"start\": \"2026-10-21T22:30:00-05:00\", \"serviceType\": [{\"coding\": [{\"code\": \"XR\"}]}],"
                + " \"cancelationReason\": {\"coding\": [{\"code\": \"Pat - Moved\"}]},"
                + " \"participant\": [{\"actor\": {\"reference\": \"Practitioner/D1\"}},"
                + " {\"actor\": {\"reference\": \"https://ehr.example.org/fhir/Patient/P00152\"}},"
                + " {\"actor\": {\"reference\": \"Location/South Wing\"}}]}");
    assertThat(p.accepted()).isTrue();
    assertThat(get(p, "appointment_id")).isEqualTo("A1");
    assertThat(get(p, "person_id")).isEqualTo("P00152");
    assertThat(get(p, "status")).isEqualTo("fulfilled");
    // date-only created = midnight in the source zone (Chicago, CDT -05:00)
    assertThat(get(p, "booked_at")).isEqualTo(Instant.parse("2026-10-12T05:00:00Z"));
    assertThat(get(p, "scheduled_start")).isEqualTo(Instant.parse("2026-10-22T03:30:00Z"));
    assertThat(get(p, "updated_at")).isEqualTo(Instant.parse("2026-10-23T00:42:28Z"));
    // mapped through fhir_service_line_map, then normalized
    assertThat(get(p, "service_line")).isEqualTo("imaging");
    assertThat(get(p, "location_id")).isEqualTo("south_wing");
    assertThat(get(p, "cancellation_reason")).isEqualTo("pat_moved");
    assertThat(get(p, "lead_id")).isNull();
  }

  @Test
  void bookedAtFallsBackToLastUpdated() {
    ParsedRow p =
        one(
            "{\"resourceType\": \"Appointment\", \"id\": \"A2\", \"status\": \"cancelled\","
                + " \"meta\": {\"lastUpdated\": \"2026-10-01T10:00:00Z\"}, \"serviceType\": [{\"coding\": [{\"code\": \"mri\"}]}],"
                + " \"participant\": [{\"actor\": {\"reference\": \"Patient/P9\"}}]}");
    // cancelled needs no start
    assertThat(p.accepted()).isTrue();
    assertThat(get(p, "booked_at")).isEqualTo(Instant.parse("2026-10-01T10:00:00Z"));
    assertThat(get(p, "service_line")).isEqualTo("mri");
  }

  @Test
  void rejectsOtherTypesMissingPatientAndMissingStart() {
    assertThat(one("{\"resourceType\": \"Patient\", \"id\": \"P1\"}").reason())
        .isEqualTo("malformed_line");
    assertThat(
            one("{\"resourceType\": \"Appointment\", \"id\": \"A3\", \"status\": \"booked\", \"created\": \"2026-10-01T10:00:00Z\","
                    + " \"start\": \"2026-10-05T10:00:00Z\", \"serviceType\": [{\"coding\": [{\"code\": \"mri\"}]}],"
                    + " \"participant\": [{\"actor\": {\"reference\": \"Location/x\"}}]}")
                .reason())
        .isEqualTo("missing_person_id");
    assertThat(
            one("{\"resourceType\": \"Appointment\", \"id\": \"A4\", \"status\": \"booked\", \"created\": \"2026-10-01T10:00:00Z\","
                    + " \"serviceType\": [{\"coding\": [{\"code\": \"mri\"}]}],"
                    + " \"participant\": [{\"actor\": {\"reference\": \"Patient/P1\"}}]}")
                .reason())
        .isEqualTo("missing_scheduled_start");
  }
}
