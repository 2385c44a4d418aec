package io.leadloop.tools.generate;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;

/**
 * One stream of landing files of an entity, e.g. {@code leads/leads-00000.csv}, {@code
 * leads-00001.csv}, ...: a new file is started after {@code maxRows} rows. Files are opened on the
 * first row, so a stream without rows writes nothing. GZIP output is deterministic (the JDK writes
 * no file name and a zero modification time).
 */
final class RowSink implements Closeable {
  enum Format {
    CSV,
    JSON,
    FHIR
  }

  private static final int BUFFER = 1 << 16;

  private final Path dir;
  private final String prefix;
  private final String extension;
  private final Format format;
  private final boolean gzip;
  private final boolean bom;
  private final List<String> columns;
  private final long maxRows;
  private final List<Path> files = new ArrayList<>();
  private final StringBuilder line = new StringBuilder(512);
  private Writer writer;
  private long rowsInFile;

  RowSink(
      Path dir,
      String prefix,
      String extension,
      Format format,
      boolean gzip,
      boolean bom,
      List<String> columns,
      long maxRows) {
    this.dir = dir;
    this.prefix = prefix;
    this.extension = extension;
    this.format = format;
    this.gzip = gzip;
    this.bom = bom;
    this.columns = columns;
    this.maxRows = maxRows;
  }

  void write(String[] values, boolean malformed) throws IOException {
    if (writer == null || rowsInFile >= maxRows) {
      roll();
    }
    line.setLength(0);
    switch (format) {
      case CSV -> Render.csv(line, values, malformed);
      case JSON -> Render.json(line, columns, values, malformed);
      case FHIR -> FhirRender.appointment(line, values, malformed);
    }
    line.append('\n');
    writer.append(line);
    rowsInFile++;
  }

  /** The files written so far, in order. */
  List<Path> files() {
    return files;
  }

  private void roll() throws IOException {
    close();
    String name =
        String.format(
            Locale.ROOT, "%s-%05d.%s%s", prefix, files.size(), extension, gzip ? ".gz" : "");
    Path file = dir.resolve(name);
    files.add(file);
    OutputStream os = Files.newOutputStream(file);
    if (gzip) {
      os = new GZIPOutputStream(os, BUFFER);
    }
    writer = new BufferedWriter(new OutputStreamWriter(os, StandardCharsets.UTF_8), BUFFER);
    rowsInFile = 0;
    if (bom) {
      writer.write('\uFEFF');
    }
    if (format == Format.CSV) {
      line.setLength(0);
      Render.csvHeader(line, columns);
      writer.append(line).append('\n');
    }
  }

  @Override
  public void close() throws IOException {
    if (writer != null) {
      writer.close();
      writer = null;
    }
  }
}
