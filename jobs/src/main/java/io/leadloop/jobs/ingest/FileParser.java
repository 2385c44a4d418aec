package io.leadloop.jobs.ingest;

import io.leadloop.common.LeadloopException;
import io.leadloop.common.parse.CsvRecordReader;
import io.leadloop.common.parse.FhirAppointments;
import io.leadloop.common.parse.JsonLineReader;
import io.leadloop.common.parse.ParsedRow;
import io.leadloop.common.parse.RawRecord;
import io.leadloop.common.parse.RowValidator;
import io.leadloop.common.schema.Entity;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Turns one landing file into parsed rows (see {@link ParsedSchema}), lazily, on an executor. A
 * file that cannot be read at all (corrupt gzip, bytes that are not UTF-8, a repeated header
 * column) fails with a {@link LeadloopException} naming it, which stops the run before its ledger
 * commit: rows already written to the raw tables stay invisible, and the re-run replaces them.
 */
public final class FileParser implements Serializable {
  private static final long serialVersionUID = 1L;
  private final HadoopConf conf;
  private final ZoneId sourceZone;
  private final Instant ingestedAt;
  private final long batchId;
  private final FhirAppointments fhir;

  public FileParser(
      HadoopConf conf,
      ZoneId sourceZone,
      Instant ingestedAt,
      long batchId,
      Map<String, String> fhirMap) {
    this.conf = conf;
    this.sourceZone = sourceZone;
    this.ingestedAt = ingestedAt;
    this.batchId = batchId;
    this.fhir = new FhirAppointments(fhirMap);
  }

  public long batchId() {
    return batchId;
  }

  public Iterator<Row> parse(LandingFile file) throws IOException {
    Path p = new Path(file.path());
    FileSystem fs = p.getFileSystem(conf.get());
    InputStream in = fs.open(p);
    if (file.name().toLowerCase(Locale.ROOT).endsWith(".gz")) {
      try {
        in = new GZIPInputStream(in, 1 << 16);
      } catch (IOException e) {
        in.close();
        throw unreadable(file, e);
      }
    }
    var decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, decoder), 1 << 16);
    skipBom(reader, file);
    String lower = file.name().toLowerCase(Locale.ROOT);
    Iterator<RawRecord> records =
        lower.matches(".*\\.csv(\\.gz)?")
            ? new CsvRecordReader(reader, file.entity().folder() + "/" + file.name())
            : new JsonLineReader(
                reader, file.name(), file.entity() == Entity.APPOINTMENTS ? fhir : null);
    RowValidator validator = new RowValidator(file.entity(), sourceZone, ingestedAt);
    int width = ParsedSchema.of(file.entity()).size();
    Set<String> named = new HashSet<>();
    file.entity().fields().forEach(f -> named.add(f.name()));
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        try {
          boolean more = records.hasNext();
          if (!more) {
            reader.close();
          }
          return more;
        } catch (UncheckedIOException e) {
          throw unreadable(file, e.getCause());
        } catch (IOException e) {
          throw unreadable(file, e);
        }
      }

      @Override
      public Row next() {
        return toRow(file, records.next(), validator, width, named);
      }
    };
  }

  private Row toRow(
      LandingFile file, RawRecord raw, RowValidator validator, int width, Set<String> named) {
    ParsedRow parsed = validator.validate(raw);
    Object[] out = new Object[width];
    int n = file.entity().fields().size();
    if (parsed.values() != null) {
      System.arraycopy(parsed.values(), 0, out, 0, n);
    }
    out[n] = batchId;
    out[n + 1] = file.name();
    out[n + 2] = file.sha256();
    out[n + 3] = raw.line();
    out[n + 4] = ingestedAt;
    out[n + 5] = raw.rawText();
    out[n + 6] = rawFields(raw.fields(), !parsed.accepted(), named);
    out[n + 7] = parsed.reason();
    out[n + 8] =
        parsed.message() == null
            ? null
            : file.name() + " line " + raw.line() + ": " + parsed.message();
    out[n + 9] = parsed.futureTime();
    return RowFactory.create(out);
  }

  /**
   * The {@code raw_fields} kept for a record: every field of a record that its own checks reject;
   * of any other record only the columns the contract does not name ({@code null} if none), since
   * its named fields are typed in {@code stg_<entity>} and the whole record is in {@code raw_text}.
   * Keeping every field of every record (written to the scratch, read back and written again) was
   * about a fifth of the ingest's time at 1M persons and a third of the warehouse's bytes.
   */
  static scala.collection.Map<String, String> rawFields(
      Map<String, String> fields, boolean rejected, Set<String> named) {
    if (fields == null) {
      return null;
    }
    Map<String, String> kept = fields;
    if (!rejected) {
      kept = new LinkedHashMap<>();
      for (Map.Entry<String, String> f : fields.entrySet()) {
        if (!named.contains(f.getKey())) {
          kept.put(f.getKey(), f.getValue());
        }
      }
      if (kept.isEmpty()) {
        return null;
      }
    }
    return scala.jdk.javaapi.CollectionConverters.asScala(kept);
  }

  private static void skipBom(BufferedReader r, LandingFile file) throws IOException {
    try {
      r.mark(1);
      if (r.read() != '\uFEFF') {
        r.reset();
      }
    } catch (IOException e) {
      throw unreadable(file, e);
    }
  }

  static LeadloopException unreadable(LandingFile file, Throwable cause) {
    String why =
        cause instanceof java.nio.charset.CharacterCodingException
            ? "bytes that are not UTF-8"
            : cause instanceof java.util.zip.ZipException || cause instanceof java.io.EOFException
                ? "corrupt gzip"
                : String.valueOf(cause.getMessage());
    return new LeadloopException(
        "Cannot read " + file.entity().folder() + "/" + file.name() + ": " + why, cause);
  }
}
