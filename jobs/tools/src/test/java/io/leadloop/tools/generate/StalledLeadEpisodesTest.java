package io.leadloop.tools.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.leadloop.jobs.outcomes.Assignment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link StalledLeadEpisodes} on rows written by hand: every Sunday from 2026-03-01 to 2026-05-31
 * published (cutoffs the Mondays 03-02 ... 06-01, 00:00 UTC), salt leadloop, share 0.5, window 28
 * days (so that an entry on 05-04 matures exactly at the last cutoff, 06-01).
 */
class StalledLeadEpisodesTest {
  @TempDir Path tmp;

  /**
   * The groups were worked out with {@code printf 'leadloop|stalled_lead:L2' | sha256sum}: x / 2^64
   * is 0.8635 for L1 (outcomes.md's example), 0.0470 for L2, 0.2356 for L4, 0.5004 for L5 (just
   * above the share), 0.1079 for L6, 0.9257 for L10, 0.50005 for L11, 0.1715 for L12, 0.7178 for
   * L13, 0.6006 for L14, 0.5458 for L18, 0.7732 for L19: holdout below 0.5.
   *
   * <ul>
   *   <li>L1 (P1), created 02-25, recycled 02-27 ("No Time Slot") and again 03-10 (pricing_unclear,
   *       after the entry: the offer stays): a member at the first cutoff, 03-02. A1 (fulfilled,
   *       booked 03-20) and an email on 03-05 fall in [03-02, 03-30): booked, contacted; the email
   *       on 02-26 is before the entry.
   *   <li>L4 (P1), created 03-20 10:00, the newest from then on: A1 (booked 03-20 09:00, before L4)
   *       starts 03-27 and is still booked at the cutoff 03-23 (its fulfilled version is updated
   *       03-27), so open_appointment excludes P1 then; entry 03-30, exactly 28 days after L1's:
   *       not less than the window, so it does not inherit and is counted; nothing in [03-30,
   *       04-27).
   *   <li>L2 (P2), created 02-26 21:00 -05:00 (02-27 02:00 UTC), recycled 02-28 02:00 -05:00
   *       (insurance): an sms on 02-28 is a contact in [02-27, 03-02), so cooldown excludes it on
   *       03-02; entry 03-09. Its window [03-09, 04-06): A2 is booked at its end (excluded), A3's
   *       newest version is cancelled (its booked version comes later in the file with an older,
   *       defaulted updated_at), A4 (FHIR) is entered-in-error, A5 proposed; A6 was booked and kept
   *       before L2 existed. Touches: inbound, a bounce, an ad, a failed sms, an email at the
   *       window's end. Neither booked nor contacted.
   *   <li>L5 (P5), created 04-29, recycled 05-02 ("Pricing Unclear"): entry 05-04, matured exactly
   *       at 06-01; A10 (arrived) is booked at the entry itself. Booked, not contacted.
   *   <li>L6 (P6, in the gzipped archive), created 01-10, recycled 02-01 (needs-referral) and 01-20
   *       (no reason), out of file order: entry 03-02, offer from the later recycle. A7 (FHIR,
   *       absolute Patient reference) a noshow booked 03-10, an sms without direction or outcome on
   *       03-03 (outbound and sent by default): booked, contacted. L8 (P6, created 03-05) is the
   *       newest at 03-09 and enters then, 7 days after L6: it inherits, not counted.
   *   <li>L7 (P7), created 05-06: entry 05-11, not matured by 06-01.
   *   <li>L10 (P10) is created at 03-07 00:00, exactly 2 days before the cutoff 03-09: entry 03-09;
   *       L11 (P11), a second later: entry 03-16.
   *   <li>L12 (P12) has score E until a new version (score B, updated 03-10): entry 03-16.
   *   <li>L13 (P13): three contacts on 02-23..25 (frequency_cap, 7 days) at 03-02: entry 03-09. L14
   *       (P14): eight contacts in the 30 days before 03-02, at most two in any 7 days and none in
   *       the last 3 (frequency_cap, 30 days): entry 03-09, when six remain.
   *   <li>L18 (P18): a noshow starting 01-12 14:00 makes P18 a missed_appointment candidate (that
   *       segment comes first) until the cutoff 04-13 (90 days after 01-13 00:00): entry 04-13. L19
   *       (P19): the same noshow, but a kept visit starting 01-20, after it: entry 03-02.
   *   <li>Never members: L3 (closed_lost), L9 (created 2025-09-02, more than 180 days before every
   *       cutoff), L15 (three recycles: max_cycles), L16 (intent "Clinical_Question"), L17
   *       (audience referral_partner), L20 (P20 booked and kept a visit after L20 was created),
   *       L21a (P21's newest lead is L21b, closed: only the newest lead is considered).
   * </ul>
   */
  @Test
  void episodesAreBuiltFromTheLandingFilesAsTheSpecDefinesThem() throws IOException {
    Path l = tmp.resolve("hand");
    write(
        l.resolve("leads/leads-00000.csv"),
        "lead_id,person_id,created_at,updated_at,audience,intent,score",
        "L1,P1,2026-02-25T10:00:00Z,,patient,service_fit,A",
        "L2,P2,2026-02-26T21:00:00-05:00,,,,B",
        "L3,P3,2026-02-20T10:00:00Z,,,,C",
        "L4,P1,2026-03-20T10:00:00Z,,,,C",
        "L5,P5,2026-04-29T10:00:00Z,,,,",
        "L7,P7,2026-05-06T10:00:00Z,,,,",
        "L9,P9,2025-09-02T00:00:00Z,,,,",
        "L10,P10,2026-03-07T00:00:00Z,,,,",
        "L11,P11,2026-03-07 00:00:01,,,,",
        "L12,P12,2026-02-20T10:00:00Z,,,,E",
        "L12,P12,2026-02-20T10:00:00Z,2026-03-10T00:00:00Z,,,B",
        "L13,P13,2026-02-10T10:00:00Z,,,,",
        "L14,P14,2026-01-15T10:00:00Z,,,,",
        "L15,P15,2026-01-20T10:00:00Z,,,,",
        "L16,P16,2026-02-20T10:00:00Z,,,Clinical_Question,",
        "L17,P17,2026-02-20T10:00:00Z,,referral_partner,,",
        "L18,P18,2026-02-20T10:00:00Z,,,,",
        "L19,P19,2026-02-20T10:00:00Z,,,,",
        "L20,P20,2026-02-20T10:00:00Z,,,,",
        "L21a,P21,2026-02-01T10:00:00Z,,,,",
        "L21b,P21,2026-02-20T10:00:00Z,,,,");
    write(
        l.resolve("leads/leads-archive-00000.csv.gz"),
        "lead_id,person_id,created_at",
        "L6,P6,2026-01-10T10:00:00Z",
        "L8,P6,2026-03-05T10:00:00Z");
    write(
        l.resolve("lead_events/lead_events-00000.jsonl"),
        event("E01", "L1", "2026-02-27T00:00:00Z", "recycled", "No Time Slot"),
        event("E02", "L1", "2026-03-10T00:00:00Z", "recycled", "pricing_unclear"),
        event("E03", "L2", "2026-02-28T02:00:00-05:00", "RECYCLED", "insurance"),
        event("E04", "L3", "2026-02-21T00:00:00Z", "contacted", null),
        event("E05", "L3", "2026-02-25T00:00:00Z", "closed_lost", "cost"),
        event("E06", "L5", "2026-05-02T00:00:00.000Z", "recycled", "Pricing Unclear"),
        event("E07", "L6", "2026-02-01T12:00:00Z", "recycled", "needs-referral"),
        event("E08", "L6", "2026-01-20T12:00:00Z", "recycled", null),
        event("E09", "L15", "2026-02-01T00:00:00Z", "recycled", "no_response"),
        event("E10", "L15", "2026-02-10T00:00:00Z", "recycled", "no_response"),
        event("E11", "L15", "2026-02-20T00:00:00Z", "recycled", "no_response"),
        event("E12", "L18", "2026-02-21T00:00:00Z", "contacted", null),
        event("E13", "L21a", "2026-02-02T00:00:00Z", "contacted", null),
        event("E14", "L21b", "2026-02-22T00:00:00Z", "closed_lost", "cost"));
    write(
        l.resolve("appointments/appointments-00000.csv"),
        "appointment_id,person_id,lead_id,booked_at,scheduled_start,status,updated_at",
        "A1,P1,L1,2026-03-20T09:00:00Z,2026-03-27T14:00:00Z,booked,",
        "A1,P1,L1,2026-03-20T09:00:00Z,2026-03-27T14:00:00Z,fulfilled,2026-03-27T15:00:00Z",
        "A2,P2,,2026-04-06T00:00:00Z,2026-04-08T14:00:00Z,booked,",
        "A3,P2,,2026-03-12T00:00:00Z,2026-03-16T14:00:00Z,cancelled,2026-03-14T00:00:00Z",
        "A3,P2,,2026-03-12T00:00:00Z,2026-03-16T14:00:00Z,booked,",
        "A5,P2,,2026-03-11T00:00:00Z,,proposed,",
        "A6,P2,,2026-02-20T00:00:00Z,2026-02-23T14:00:00Z,fulfilled,2026-02-23T15:00:00Z",
        "A10,P5,,2026-05-04 00:00:00,2026-05-08T14:00:00Z,arrived,2026-05-08T15:00:00Z",
        "A18,P18,,2026-01-05T00:00:00Z,2026-01-12T14:00:00Z,booked,",
        "A18,P18,,2026-01-05T00:00:00Z,2026-01-12T14:00:00Z,noshow,2026-01-13T00:00:00Z",
        "A19,P19,,2026-01-05T00:00:00Z,2026-01-12T14:00:00Z,noshow,2026-01-13T00:00:00Z",
        "A19b,P19,,2026-01-14T00:00:00Z,2026-01-20T14:00:00Z,fulfilled,2026-01-20T15:00:00Z",
        "A20,P20,,2026-02-24T00:00:00Z,2026-02-26T14:00:00Z,fulfilled,2026-02-26T15:00:00Z");
    write(
        l.resolve("appointments/fhir-00000.ndjson"),
        "{\"resourceType\":\"Appointment\",\"id\":\"A4\",\"status\":\"entered-in-error\","
            + "\"meta\":{\"lastUpdated\":\"2026-03-11T00:00:00Z\"},"
            + "\"created\":\"2026-03-10T00:00:00Z\",\"start\":\"2026-03-13T14:00:00Z\","
            + "\"participant\":[{\"actor\":{\"reference\":\"Patient/P2\"}}]}",
        "{\"resourceType\":\"Appointment\",\"id\":\"A7\",\"status\":\"noshow\","
            + "\"meta\":{\"lastUpdated\":\"2026-03-12T00:00:00Z\"},"
            + "\"created\":\"2026-03-10T00:00:00Z\",\"start\":\"2026-03-11T14:00:00Z\","
            + "\"participant\":[{\"actor\":{\"reference\":\"Location/north\"}},"
            + "{\"actor\":{\"reference\":\"https://ehr.example.org/fhir/Patient/P6\"}}]}");
    write(
        l.resolve("touches/touches-00000.csv"),
        "touch_id,person_id,lead_id,occurred_at,channel,direction,outcome,campaign,sequence_step",
        "T1,P1,L1,2026-02-26T10:00:00Z,email,outbound,delivered,recycle_1,1",
        "T2,P1,L1,2026-03-05T10:00:00Z,email,outbound,delivered,recycle_1,2",
        "T3,P2,L2,2026-02-28T12:00:00Z,sms,outbound,delivered,,",
        "T4,P2,L2,2026-03-10T10:00:00Z,phone,inbound,answered,,",
        "T5,P2,L2,2026-03-11T10:00:00Z,email,outbound,bounced,,",
        "T6,P2,,2026-03-12T10:00:00Z,retargeting,outbound,clicked,site_retargeting,",
        "T7,P2,L2,2026-03-13T10:00:00Z,sms,,failed,,",
        "T8,P2,L2,2026-04-06T00:00:00Z,email,outbound,delivered,,",
        "T9,P13,L13,2026-02-23T10:00:00Z,email,outbound,delivered,,",
        "T10,P13,L13,2026-02-24T10:00:00Z,PHONE,Outbound,no_answer,,",
        "T11,P13,L13,2026-02-25T10:00:00Z,mail,,,,",
        "T12,P14,L14,2026-02-01T10:00:00Z,email,outbound,opened,,",
        "T13,P14,L14,2026-02-02T10:00:00Z,email,outbound,opened,,",
        "T14,P14,L14,2026-02-08T10:00:00Z,email,outbound,opened,,",
        "T15,P14,L14,2026-02-09T10:00:00Z,email,outbound,opened,,");
    write(
        l.resolve("touches/touches-00001.ndjson"),
        "{\"touch_id\":\"T16\",\"person_id\":\"P6\",\"occurred_at\":\"2026-03-03T10:00:00Z\","
            + "\"channel\":\"SMS\"}",
        touch("T17", "P14", "2026-02-15T10:00:00Z"),
        touch("T18", "P14", "2026-02-16T10:00:00Z"),
        touch("T19", "P14", "2026-02-21T10:00:00Z"),
        touch("T20", "P14", "2026-02-22T10:00:00Z"));

    StalledLeadEpisodes episodes = StalledLeadEpisodes.read(l);
    LocalDate first = LocalDate.parse("2026-03-01");
    LocalDate last = LocalDate.parse("2026-05-31");
    assertThat(episodes.entries(first, last))
        .containsExactly(
            entry("L1", at("2026-03-02")),
            entry("L10", at("2026-03-09")),
            entry("L11", at("2026-03-16")),
            entry("L12", at("2026-03-16")),
            entry("L13", at("2026-03-09")),
            entry("L14", at("2026-03-09")),
            entry("L18", at("2026-04-13")),
            entry("L19", at("2026-03-02")),
            entry("L2", at("2026-03-09")),
            entry("L4", at("2026-03-30")),
            entry("L5", at("2026-05-04")),
            entry("L6", at("2026-03-02")),
            entry("L7", at("2026-05-11")),
            entry("L8", at("2026-03-09")));

    String t = Assignment.TREATMENT;
    String h = Assignment.HOLDOUT;
    String link = "scheduling_link";
    assertThat(episodes.counted(first, last, Duration.ofDays(28), "leadloop", 5000))
        .containsExactly(
            episode("L1", "P1", "new_availability", "2026-03-02", t, true, true),
            episode("L10", "P10", link, "2026-03-09", t, false, false),
            episode("L11", "P11", link, "2026-03-16", t, false, false),
            episode("L12", "P12", link, "2026-03-16", h, false, false),
            episode("L13", "P13", link, "2026-03-09", t, false, false),
            episode("L14", "P14", link, "2026-03-09", t, false, false),
            episode("L18", "P18", link, "2026-04-13", t, false, false),
            episode("L19", "P19", link, "2026-03-02", t, false, false),
            episode("L2", "P2", "coverage_check", "2026-03-09", h, false, false),
            episode("L4", "P1", link, "2026-03-30", h, false, false),
            episode("L5", "P5", "cost_estimate", "2026-05-04", t, true, false),
            episode("L6", "P6", "referral_help", "2026-03-02", h, true, true));
  }

  private static Instant at(String mondayCutoff) {
    return Instant.parse(mondayCutoff + "T00:00:00Z");
  }

  private static StalledLeadEpisodes.Episode episode(
      String lead,
      String person,
      String offer,
      String entry,
      String group,
      boolean booked,
      boolean contacted) {
    return new StalledLeadEpisodes.Episode(
        "stalled_lead:" + lead, person, lead, offer, at(entry), group, booked, contacted);
  }

  private static String event(String id, String lead, String at, String stage, String reason) {
    return "{\"event_id\":\""
        + id
        + "\",\"lead_id\":\""
        + lead
        + "\",\"occurred_at\":\""
        + at
        + "\",\"stage\":\""
        + stage
        + "\""
        + (reason == null ? "" : ",\"reason\":\"" + reason + "\"")
        + "}";
  }

  private static String touch(String id, String person, String at) {
    return "{\"touch_id\":\""
        + id
        + "\",\"person_id\":\""
        + person
        + "\",\"occurred_at\":\""
        + at
        + "\",\"channel\":\"Email\",\"direction\":\"outbound\",\"outcome\":\"delivered\"}";
  }

  private static void write(Path file, String... lines) throws IOException {
    Files.createDirectories(file.getParent());
    byte[] bytes = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    if (file.toString().endsWith(".gz")) {
      try (GZIPOutputStream gz = new GZIPOutputStream(Files.newOutputStream(file))) {
        gz.write(bytes);
      }
    } else {
      Files.write(file, bytes);
    }
  }
}
