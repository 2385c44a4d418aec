package io.leadloop.tools.bench;

import io.leadloop.common.schema.Entity;
import io.leadloop.jobs.facts.AsOf;
import io.leadloop.jobs.ingest.FileParser;
import io.leadloop.jobs.ingest.HadoopConf;
import io.leadloop.jobs.ingest.LandingFile;
import io.leadloop.jobs.ingest.LandingScan;
import io.leadloop.jobs.ingest.ParsedSchema;
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
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

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
public record LandingSplit(long history, long week) {

  /** The ingestion time given to the parser: no generated time is flagged as in the future. */
  private static final Instant FAR_FUTURE = Instant.parse("2100-01-01T00:00:00Z");

  /**
   * Splits the files the ingest would read ({@link LandingScan}, which also hashes each file once),
   * parsed and validated by the ingest's own {@link FileParser}; other files are not copied.
   */
  public static LandingSplit split(Path landing, Instant at, Path historyDir, Path weekDir) {
    Configuration conf = new Configuration();
    FileParser parser =
        new FileParser(new HadoopConf(conf), ZoneOffset.UTC, FAR_FUTURE, 0, Map.of());
    long[] n = new long[2];
    for (LandingFile f : LandingScan.scan(landing.toString(), conf).files()) {
      Path rel = Path.of(f.entity().folder(), f.name());
      try {
        long[] k = splitFile(parser, f, at, historyDir.resolve(rel), weekDir.resolve(rel));
        n[0] += k[0];
        n[1] += k[1];
      } catch (IOException ex) {
        throw new UncheckedIOException("Cannot split " + f.path() + ": " + ex.getMessage(), ex);
      }
    }
    return new LandingSplit(n[0], n[1]);
  }

  private static long[] splitFile(
      FileParser parser, LandingFile f, Instant at, Path toHistory, Path toWeek)
      throws IOException {
    Entity e = f.entity();
    boolean gz = f.name().toLowerCase(java.util.Locale.ROOT).endsWith(".gz");
    StructType schema = ParsedSchema.of(e);
    String arrival = e.versionColumn() != null ? e.versionColumn() : AsOf.ownTime(e);
    int time = schema.fieldIndex(arrival);
    int rawText = schema.fieldIndex(ParsedSchema.RAW_TEXT);
    int reason = schema.fieldIndex(ParsedSchema.REJECT_REASON);
    long[] n = new long[2];
    try (Writer h = writer(toHistory, gz);
        Writer w = writer(toWeek, gz)) {
      if (f.name().matches("(?i).*\\.csv(\\.gz)?")) {
        String header = header(Path.of(java.net.URI.create(f.path())), gz);
        h.write(header + "\n");
        w.write(header + "\n");
      }
      Iterator<Row> rows = parser.parse(f);
      while (rows.hasNext()) {
        Row r = rows.next();
        boolean late = r.isNullAt(reason) && !((Instant) r.get(time)).isBefore(at);
        (late ? w : h).write(r.getString(rawText) + "\n");
        n[late ? 1 : 0]++;
      }
    }
    if (n[1] == 0) {
      Files.delete(toWeek); // nothing of this file arrived in the week
    }
    return n;
  }

  /** A CSV file's header line, without a byte order mark. */
  private static String header(Path f, boolean gz) throws IOException {
    InputStream in = Files.newInputStream(f);
    if (gz) {
      in = new GZIPInputStream(in, 1 << 16);
    }
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line = r.readLine();
      return line != null && line.startsWith("\uFEFF") ? line.substring(1) : line;
    }
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
