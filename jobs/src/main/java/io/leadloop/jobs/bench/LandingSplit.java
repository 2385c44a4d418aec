package io.leadloop.jobs.bench;

import io.leadloop.common.parse.CsvRecordReader;
import io.leadloop.common.parse.FhirAppointments;
import io.leadloop.common.parse.JsonLineReader;
import io.leadloop.common.parse.ParsedRow;
import io.leadloop.common.parse.RawRecord;
import io.leadloop.common.parse.RowValidator;
import io.leadloop.common.schema.Entity;
import io.leadloop.jobs.facts.AsOf;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Splits a generated landing set at an instant into the history (every row that arrived before it)
 * and one new week's delivery (the rows that arrived from it on), file by file with the same names
 * and formats, the way a CRM export hands over a week: an accepted row arrives at its {@code
 * updated_at} for leads and appointments, at its own time otherwise; a bad row stays in the
 * history. Bench only: the generator writes UTC times and the default FHIR map.
 *
 * @param history rows that arrived before the split
 * @param week rows that arrived at or after it
 */
record LandingSplit(long history, long week) {

  static LandingSplit split(Path landing, Instant at, Path historyDir, Path weekDir) {
    long[] n = new long[2];
    try (Stream<Path> files = Files.walk(landing)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        Path rel = landing.relativize(f);
        Entity e = rel.getNameCount() == 2 ? entity(rel.getName(0).toString()) : null;
        if (e == null) {
          continue;
        }
        long[] k = splitFile(f, e, at, historyDir.resolve(rel), weekDir.resolve(rel));
        n[0] += k[0];
        n[1] += k[1];
      }
    } catch (IOException ex) {
      throw new UncheckedIOException("Cannot split " + landing + ": " + ex.getMessage(), ex);
    }
    return new LandingSplit(n[0], n[1]);
  }

  private static Entity entity(String folder) {
    for (Entity e : Entity.values()) {
      if (e.folder().equals(folder)) {
        return e;
      }
    }
    return null;
  }

  private static long[] splitFile(Path f, Entity e, Instant at, Path toHistory, Path toWeek)
      throws IOException {
    boolean gz = f.getFileName().toString().endsWith(".gz");
    boolean csv = f.getFileName().toString().matches(".*\\.csv(\\.gz)?");
    String arrival = e.versionColumn() != null ? e.versionColumn() : AsOf.ownTime(e);
    int index = e.fields().stream().map(x -> x.name()).toList().indexOf(arrival);
    RowValidator validator =
        new RowValidator(e, ZoneOffset.UTC, Instant.parse("2100-01-01T00:00:00Z"));
    long[] n = new long[2];
    try (BufferedReader in = reader(f, gz);
        Writer h = writer(toHistory, gz);
        Writer w = writer(toWeek, gz)) {
      Iterator<RawRecord> records;
      in.mark(1);
      if (in.read() != '\uFEFF') {
        in.reset();
      }
      if (csv) {
        in.mark(1 << 20);
        String header = in.readLine();
        in.reset();
        h.write(header + "\n");
        w.write(header + "\n");
        records = new CsvRecordReader(in, f.toString());
      } else {
        records =
            new JsonLineReader(
                in, f.toString(), e == Entity.APPOINTMENTS ? new FhirAppointments(Map.of()) : null);
      }
      while (records.hasNext()) {
        RawRecord r = records.next();
        ParsedRow p = validator.validate(r);
        boolean late = p.accepted() && !((Instant) p.values()[index]).isBefore(at);
        (late ? w : h).write(r.rawText() + "\n");
        n[late ? 1 : 0]++;
      }
    }
    if (n[1] == 0) {
      Files.delete(toWeek); // nothing of this file arrived in the week
    }
    return n;
  }

  private static BufferedReader reader(Path f, boolean gz) throws IOException {
    InputStream in = Files.newInputStream(f);
    if (gz) {
      in = new GZIPInputStream(in, 1 << 16);
    }
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
  }

  private static Writer writer(Path to, boolean gz) throws IOException {
    Files.createDirectories(to.getParent());
    OutputStream out = Files.newOutputStream(to);
    if (gz) {
      out = new GZIPOutputStream(out, 1 << 16);
    }
    return new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
  }
}
