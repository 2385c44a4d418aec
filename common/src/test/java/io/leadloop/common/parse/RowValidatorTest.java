package io.leadloop.common.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadloop.common.schema.Entity;
import java.io.StringReader;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RowValidatorTest {
  private static final Instant INGESTED = Instant.parse("2026-10-01T12:00:00Z");

  private static ParsedRow validate(Entity e, String header, String line) {
    List<RawRecord> r = new ArrayList<>();
    new CsvRecordReader(new StringReader(header + "\n" + line + "\n"), "t.csv")
        .forEachRemaining(r::add);
    return new RowValidator(e, ZoneId.of("UTC"), INGESTED).validate(r.get(0));
  }

  private static final String LEADS =
      "lead_id,person_id,created_at,updated_at,source,inquiry_channel,campaign,service_line,location_id,audience,intent,score,language";

  private static Object lead(ParsedRow p, String f) {
    return p.values()[Entity.LEADS.indexOf(f)];
  }

  @Test
  void acceptsALeadWithDefaultsAndNormalizedCodes() {
    ParsedRow p =
        validate(
            Entity.LEADS,
            LEADS,
            " L1 ,P1,2026-03-02T10:00:00Z,, Paid - Search ,WEB_FORM,Spring Promo,Imaging,,,,b,es");
    assertThat(p.accepted()).isTrue();
    assertThat(lead(p, "lead_id")).isEqualTo("L1");
    assertThat(lead(p, "source")).isEqualTo("paid_search");
    assertThat(lead(p, "inquiry_channel")).isEqualTo("web_form");
    assertThat(lead(p, "campaign")).isEqualTo("spring_promo");
    assertThat(lead(p, "service_line")).isEqualTo("imaging");
    // updated_at defaults to created_at, audience to patient
    assertThat(lead(p, "updated_at")).isEqualTo(Instant.parse("2026-03-02T10:00:00Z"));
    assertThat(lead(p, "audience")).isEqualTo("patient");
    assertThat(lead(p, "score")).isEqualTo("B");
    assertThat(lead(p, "language")).isEqualTo("es");
  }

  @Test
  void rejectReasonsInContractOrder() {
    // missing required field (checked before parse errors)
    assertThat(validate(Entity.LEADS, LEADS, ",P1,yesterday,,x,web_form,,imaging,,,,,").reason())
        .isEqualTo("missing_lead_id");
    assertThat(
            validate(Entity.LEADS, LEADS, "L1,P1,2026-03-02T10:00Z,,,web_form,,imaging,,,,,")
                .reason())
        .isEqualTo("missing_source");
    // a value that does not parse (before unknown vocabulary)
    assertThat(validate(Entity.LEADS, LEADS, "L1,P1,yesterday,,x,fax,,imaging,,,,,").reason())
        .isEqualTo("bad_timestamp");
    assertThat(
            validate(
                    Entity.LEADS,
                    LEADS,
                    "L1,P1,2026-03-02T10:00Z,2026-03-02,x,web_form,,imaging,,,,,")
                .reason())
        .isEqualTo("bad_timestamp");
    // unknown vocabulary values
    assertThat(
            validate(Entity.LEADS, LEADS, "L1,P1,2026-03-02T10:00Z,,x,fax,,imaging,,,,,").reason())
        .isEqualTo("unknown_inquiry_channel");
    assertThat(
            validate(Entity.LEADS, LEADS, "L1,P1,2026-03-02T10:00Z,,x,web_form,,imaging,,,,F,")
                .reason())
        .isEqualTo("unknown_score");
    // wrong number of fields
    assertThat(validate(Entity.LEADS, LEADS, "L1,P1").reason()).isEqualTo("malformed_line");
  }

  @Test
  void messagesNameTheField() {
    ParsedRow p = validate(Entity.LEADS, LEADS, "L1,P1,yesterday,,x,web_form,,imaging,,,,,");
    assertThat(p.message()).contains("created_at").contains("yesterday");
  }

  @Test
  void futureEventTimeIsFlaggedOnlyBeyondOneDay() {
    // exactly one day after ingestion: accepted; one second more: future
    ParsedRow atEdge =
        validate(Entity.LEADS, LEADS, "L1,P1,2026-10-02T12:00:00Z,,x,web_form,,imaging,,,,,");
    ParsedRow beyond =
        validate(Entity.LEADS, LEADS, "L1,P1,2026-10-02T12:00:01Z,,x,web_form,,imaging,,,,,");
    assertThat(atEdge.futureTime()).isFalse();
    assertThat(beyond.futureTime()).isTrue();
    // updated_at is not an event time
    assertThat(
            validate(
                    Entity.LEADS,
                    LEADS,
                    "L1,P1,2026-10-01T12:00:00Z,2027-01-01T00:00Z,x,web_form,,imaging,,,,,")
                .futureTime())
        .isFalse();
  }

  @Test
  void touchesDefaultsAndSequenceStep() {
    String h =
        "touch_id,person_id,lead_id,occurred_at,channel,direction,outcome,campaign,sequence_step";
    ParsedRow ok = validate(Entity.TOUCHES, h, "T1,P1,,2026-03-02T10:00Z,SMS,,,,0");
    assertThat(ok.accepted()).isTrue();
    assertThat(ok.values()[Entity.TOUCHES.indexOf("direction")]).isEqualTo("outbound");
    assertThat(ok.values()[Entity.TOUCHES.indexOf("outcome")]).isEqualTo("sent");
    assertThat(ok.values()[Entity.TOUCHES.indexOf("sequence_step")]).isEqualTo(0);
    assertThat(validate(Entity.TOUCHES, h, "T1,P1,,2026-03-02T10:00Z,sms,,,,-1").reason())
        .isEqualTo("bad_sequence_step");
    assertThat(validate(Entity.TOUCHES, h, "T1,P1,,2026-03-02T10:00Z,sms,,,,1.5").reason())
        .isEqualTo("bad_sequence_step");
    assertThat(validate(Entity.TOUCHES, h, "T1,P1,,2026-03-02T10:00Z,fax,,,,1").reason())
        .isEqualTo("unknown_channel");
  }

  @Test
  void recycledWithoutReasonIsUnspecified() {
    String h = "event_id,lead_id,occurred_at,stage,reason";
    ParsedRow p = validate(Entity.LEAD_EVENTS, h, "E1,L1,2026-03-02T10:00Z,Recycled,");
    assertThat(p.values()[Entity.LEAD_EVENTS.indexOf("stage")]).isEqualTo("recycled");
    assertThat(p.values()[Entity.LEAD_EVENTS.indexOf("reason")]).isEqualTo("unspecified");
    ParsedRow other = validate(Entity.LEAD_EVENTS, h, "E2,L1,2026-03-02T10:00Z,contacted,");
    assertThat(other.values()[Entity.LEAD_EVENTS.indexOf("reason")]).isNull();
    assertThat(validate(Entity.LEAD_EVENTS, h, "E3,L1,2026-03-02T10:00Z,lost,").reason())
        .isEqualTo("unknown_stage");
  }

  @Test
  void scheduledStartIsRequiredUnlessProposedCancelledOrWaitlist() {
    String h =
        "appointment_id,person_id,lead_id,booked_at,scheduled_start,status,updated_at,service_line,location_id,cancellation_reason";
    assertThat(
            validate(Entity.APPOINTMENTS, h, "A1,P1,,2026-03-02T10:00Z,,booked,,imaging,,")
                .reason())
        .isEqualTo("missing_scheduled_start");
    for (String s : new String[] {"proposed", "cancelled", "waitlist"}) {
      assertThat(
              validate(Entity.APPOINTMENTS, h, "A1,P1,,2026-03-02T10:00Z,," + s + ",,imaging,,")
                  .accepted())
          .isTrue();
    }
    ParsedRow p =
        validate(
            Entity.APPOINTMENTS,
            h,
            "A1,P1,,2026-03-02T10:00Z,2026-03-05T10:00Z,Entered-In-Error,,imaging,,");
    assertThat(p.values()[Entity.APPOINTMENTS.indexOf("status")]).isEqualTo("entered-in-error");
    assertThat(p.values()[Entity.APPOINTMENTS.indexOf("updated_at")])
        .isEqualTo(Instant.parse("2026-03-02T10:00:00Z"));
  }
}
