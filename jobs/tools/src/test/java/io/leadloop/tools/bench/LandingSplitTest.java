package io.leadloop.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bench's week split, on files whose rows were placed by hand. */
class LandingSplitTest {
  private static final Instant AT = Instant.parse("2026-09-28T00:00:00Z");
  private static final String HEADER =
      "lead_id,person_id,created_at,updated_at,source,inquiry_channel,service_line";

  @TempDir Path tmp;

  @Test
  void rowsArriveByUpdatedAtOrOwnTimeAndBadRowsStayInTheHistory() throws IOException {
    Path landing = tmp.resolve("all");
    Files.createDirectories(landing.resolve("leads"));
    Files.createDirectories(landing.resolve("lead_events"));
    // L1's first version is history, its update of 09-29 arrives in the week; L2 is created in
    // the week; the row without a source is bad (history); "a,b" keeps its quotes.
    String leads =
        HEADER
            + "\nL1,P1,2026-09-01T10:00Z,,\"a,b\",phone,imaging"
            + "\nL1,P1,2026-09-01T10:00Z,2026-09-29T08:00Z,event,phone,imaging"
            + "\nL2,P2,2026-09-28T00:00Z,,event,phone,imaging"
            + "\nL3,P3,2026-09-30T00:00Z,,,phone,imaging\n";
    try (OutputStream out =
        new GZIPOutputStream(Files.newOutputStream(landing.resolve("leads/l.csv.gz")))) {
      out.write(leads.getBytes(StandardCharsets.UTF_8));
    }
    Files.writeString(
        landing.resolve("lead_events/e.jsonl"),
        "{\"event_id\":\"E1\",\"lead_id\":\"L1\",\"occurred_at\":\"2026-09-27T23:59:59Z\",\"stage\":\"new\"}\n"
            + "{\"event_id\":\"E2\",\"lead_id\":\"L1\",\"occurred_at\":\"2026-09-28T00:00:00Z\",\"stage\":\"recycled\"}\n");
    Files.writeString(
        landing.resolve("lead_events/old.jsonl"),
        "{\"event_id\":\"E0\",\"lead_id\":\"L1\",\"occurred_at\":\"2026-09-02T00:00:00Z\",\"stage\":\"new\"}\n");

    LandingSplit s = LandingSplit.split(landing, AT, tmp.resolve("history"), tmp.resolve("week"));

    assertThat(s.history()).isEqualTo(4); // L1 v1, L3 (bad), E1, E0
    assertThat(s.week()).isEqualTo(3); // L1 v2, L2, E2
    assertThat(gunzip(tmp.resolve("history/leads/l.csv.gz")))
        .isEqualTo(
            HEADER
                + "\nL1,P1,2026-09-01T10:00Z,,\"a,b\",phone,imaging"
                + "\nL3,P3,2026-09-30T00:00Z,,,phone,imaging\n");
    assertThat(gunzip(tmp.resolve("week/leads/l.csv.gz")))
        .isEqualTo(
            HEADER
                + "\nL1,P1,2026-09-01T10:00Z,2026-09-29T08:00Z,event,phone,imaging"
                + "\nL2,P2,2026-09-28T00:00Z,,event,phone,imaging\n");
    assertThat(Files.readString(tmp.resolve("week/lead_events/e.jsonl")))
        .contains("E2")
        .doesNotContain("E1");
    assertThat(Files.readString(tmp.resolve("history/lead_events/e.jsonl")))
        .contains("E1")
        .doesNotContain("E2");
    assertThat(tmp.resolve("week/lead_events/old.jsonl"))
        .as("nothing of it in the week")
        .doesNotExist();
  }

  private static String gunzip(Path p) throws IOException {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(p))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
