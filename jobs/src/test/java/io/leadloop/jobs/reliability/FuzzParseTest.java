package io.leadloop.jobs.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadloop.common.LeadloopException;
import io.leadloop.common.schema.Entity;
import io.leadloop.jobs.TestPaths;
import io.leadloop.jobs.ingest.FileParser;
import io.leadloop.jobs.ingest.HadoopConf;
import io.leadloop.jobs.ingest.LandingFile;
import io.leadloop.jobs.ingest.ParsedSchema;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutated landing files through the real file parser (no Spark needed): every record comes out
 * accepted (key present) or rejected with a reason; the only failures are the contract's "cannot be
 * read at all" stops, as a {@link LeadloopException} naming the file; memory stays bounded on a 100
 * MB single-line file.
 */
class FuzzParseTest {
  static final int CASES = 600;

  /** The sample file each entity's mutations start from. */
  static final Map<Entity, String> SAMPLE_FILES =
      Map.of(
          Entity.LEADS, "leads/crm_leads_2026h1.csv",
          Entity.LEAD_EVENTS, "lead_events/stage_changes.jsonl",
          Entity.TOUCHES, "touches/call_tracking.ndjson",
          Entity.APPOINTMENTS, "appointments/fhir_bulk_Appointment.ndjson",
          Entity.CONSENT, "consent/consent.csv");

  @TempDir Path tmp;

  private static final FileParser PARSER =
      new FileParser(
          new HadoopConf(new Configuration()),
          ZoneId.of("UTC"),
          Instant.parse("2026-10-01T00:00:00Z"),
          1,
          Map.of());

  /** Parses a file; returns {accepted, rejected}; throws LeadloopException for unreadable files. */
  static long[] parse(Entity e, Path file) throws IOException {
    return parse(e, file, new ArrayList<>());
  }

  /** As {@link #parse(Entity, Path)}, adding each row's line to {@code lines}. */
  static long[] parse(Entity e, Path file, List<Long> lines) throws IOException {
    LandingFile lf =
        new LandingFile(
            e, file.getFileName().toString(), file.toUri().toString(), "sha", Files.size(file));
    int reason = ParsedSchema.of(e).fieldIndex(ParsedSchema.REJECT_REASON);
    int line = ParsedSchema.of(e).fieldIndex(ParsedSchema.LINE);
    long[] n = new long[2];
    for (Iterator<Row> it = PARSER.parse(lf); it.hasNext(); ) {
      Row r = it.next();
      lines.add(r.getLong(line));
      if (r.isNullAt(reason)) {
        assertThat(r.get(0)).as("accepted rows have their key").isNotNull();
        n[0]++;
      } else {
        assertThat(r.getString(reason)).isNotBlank();
        n[1]++;
      }
    }
    return n;
  }

  static String sample(String rel) throws IOException {
    Path p = TestPaths.repoRoot().resolve("data-samples").resolve(rel);
    if (rel.endsWith(".gz")) {
      try (var in = new GZIPInputStream(Files.newInputStream(p))) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    }
    return Files.readString(p);
  }

  static byte[] mutate(byte[] in, SplittableRandom rnd) {
    return mutate(in, rnd, rnd.nextInt(9));
  }

  /** Mutation {@code kind} (0-8; 7 = invalid UTF-8) of {@code in}. */
  static byte[] mutate(byte[] in, SplittableRandom rnd, int kind) {
    byte[] b = in.clone();
    int at = b.length == 0 ? 0 : rnd.nextInt(b.length);
    String s = new String(b, StandardCharsets.UTF_8);
    int cut = s.isEmpty() ? 0 : rnd.nextInt(s.length());
    return switch (kind) {
      case 0 -> java.util.Arrays.copyOf(b, at); // truncated
      case 1 ->
          (s.substring(0, cut) + "\"" + s.substring(cut))
              .getBytes(StandardCharsets.UTF_8); // quote error
      case 2 ->
          (s.substring(0, cut) + "\u0000" + s.substring(cut))
              .getBytes(StandardCharsets.UTF_8); // NUL
      case 3 -> ("\uFEFF" + s).getBytes(StandardCharsets.UTF_8); // BOM
      case 4 ->
          (s.substring(0, cut) + "x".repeat(rnd.nextInt(200_000)) + s.substring(cut))
              .getBytes(StandardCharsets.UTF_8); // huge field
      case 5 ->
          (s.substring(0, cut) + ",{\"a\":[[[{\"b\":1}]]]}," + s.substring(cut))
              .getBytes(StandardCharsets.UTF_8); // nesting
      case 6 ->
          (s.substring(0, cut) + "\n,,,,\n" + s.substring(cut))
              .getBytes(StandardCharsets.UTF_8); // empty fields
      case 7 -> {
        b[at == 0 ? 0 : at - 1] = (byte) 0xC3; // invalid UTF-8 (wrong encoding)
        if (at < b.length) {
          b[at] = (byte) 0x28;
        }
        yield b;
      }
      default ->
          s.replace(",", rnd.nextBoolean() ? ";" : ",,")
              .getBytes(StandardCharsets.UTF_8); // wrong types / shapes
    };
  }

  /**
   * Each mutated file gives exactly the records {@link ReferenceRecords} finds in it (one row per
   * record, at the line the record starts on), each accepted or rejected; and the parser stops on a
   * file exactly when the contract says it cannot be read.
   */
  @Test
  void mutatedFilesAreAcceptedOrRejectedRowByRow() throws IOException {
    Map<Entity, String> files = SAMPLE_FILES;
    SplittableRandom rnd = new SplittableRandom(20261123);
    int parsed = 0;
    int unreadable = 0;
    long records = 0;
    Map<String, Integer> stops = new java.util.TreeMap<>();
    Entity[] entities = files.keySet().toArray(Entity[]::new);
    java.util.Arrays.sort(entities);
    for (int i = 0; i < CASES; i++) {
      Entity e = entities[i % entities.length];
      String name = files.get(e);
      Path f = tmp.resolve("case" + i + name.substring(name.lastIndexOf('.')));
      int kind = rnd.nextInt(9);
      Files.write(f, mutate(sample(name).getBytes(StandardCharsets.UTF_8), rnd, kind));
      ReferenceRecords.Count expected = ReferenceRecords.of(f);
      String what = f.getFileName() + " (" + e.folder() + ", mutation " + kind + ")";
      List<Long> lines = new ArrayList<>();
      try {
        long[] n = parse(e, f, lines);
        assertThat(expected.unreadable()).as(what + " read, yet the contract stops on it").isNull();
        assertThat(n[0] + n[1]).as("records of " + what).isEqualTo(expected.records());
        assertThat(lines).as("record lines of " + what).isEqualTo(expected.lines());
        records += expected.records();
        parsed++;
      } catch (LeadloopException ex) {
        assertThat(ex.getMessage()).startsWith("Cannot read").contains(f.getFileName().toString());
        assertThat(expected.unreadable())
            .as(what + " stopped (" + ex.getMessage() + "), yet the contract reads it")
            .isNotNull();
        stops.merge(expected.unreadable(), 1, Integer::sum);
        unreadable++;
      }
    }
    System.out.printf(
        "fuzz: %d mutated files, %d parsed row by row (%d records), %d stopped as unreadable %s%n",
        CASES, parsed, records, unreadable, stops);
    assertThat(parsed + unreadable).isEqualTo(CASES);
    assertThat(parsed).isGreaterThan(CASES / 2);
  }

  @Test
  void emptyAndHugeSingleLineFilesKeepMemoryBounded() throws IOException {
    Path empty = Files.createFile(tmp.resolve("empty.csv"));
    assertThat(parse(Entity.TOUCHES, empty)).containsExactly(0, 0);
    Path huge = tmp.resolve("huge.jsonl");
    try (OutputStream o = Files.newOutputStream(huge)) {
      byte[] chunk = "x".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII);
      o.write("{\"touch_id\": \"".getBytes(StandardCharsets.US_ASCII));
      for (int i = 0; i < 100; i++) {
        o.write(chunk);
      }
      o.write("\"}\n".getBytes(StandardCharsets.US_ASCII));
    }
    System.gc();
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      p.resetPeakUsage();
    }
    long before = heapPeak();
    long[] n = parse(Entity.TOUCHES, huge);
    long grown = heapPeak() - before;
    assertThat(n).containsExactly(0, 1); // one malformed record: the line is longer than 1 MiB
    System.out.printf(
        "fuzz: 100 MiB single line parsed with heap peak growth %d MiB%n", grown >> 20);
    assertThat(grown).isLessThan(256L << 20);
  }

  private static long heapPeak() {
    long sum = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        sum += p.getPeakUsage().getUsed();
      }
    }
    return sum;
  }
}
