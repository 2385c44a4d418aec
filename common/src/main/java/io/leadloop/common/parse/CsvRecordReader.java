package io.leadloop.common.parse;

import io.leadloop.common.LeadloopException;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Streams RFC 4180 records from a CSV file: header row, comma, quoted fields that may span lines.
 * Written by hand rather than with a CSV library because the contract needs each record's physical
 * start line and raw text, and an unterminated quote must turn the rest of the file into one
 * malformed record instead of an exception. Blank lines are not records.
 */
public final class CsvRecordReader implements Iterator<RawRecord> {
  private final Reader in;
  private final String file;
  private final List<String> header;
  private int peeked = -2;
  private long physicalLine = 1;
  private RawRecord next;
  private boolean overflow;

  public CsvRecordReader(Reader in, String file) {
    this.in = in;
    this.file = file;
    Parsed h = readRecord();
    while (h != null && h.blank()) {
      h = readRecord();
    }
    this.header = new ArrayList<>();
    if (h != null) {
      if (h.error != null) {
        throw new LeadloopException("Cannot read " + file + ": its header is not valid CSV");
      }
      Set<String> seen = new HashSet<>();
      for (String name : h.fields) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        if (!seen.add(n)) {
          throw new LeadloopException(
              "Cannot read " + file + ": its header repeats the column '" + n + "'");
        }
        header.add(n);
      }
    }
  }

  public List<String> header() {
    return header;
  }

  @Override
  public boolean hasNext() {
    while (next == null) {
      Parsed p = readRecord();
      if (p == null) {
        return false;
      }
      if (p.blank()) {
        continue;
      }
      if (p.error != null) {
        next = RawRecord.malformed(p.line, p.raw, p.error);
      } else if (p.fields.size() != header.size()) {
        next =
            RawRecord.malformed(
                p.line,
                p.raw,
                "record has " + p.fields.size() + " fields, the header has " + header.size());
      } else {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) {
          values.put(header.get(i), p.fields.get(i));
        }
        next = new RawRecord(p.line, p.raw, values, Set.of(), null, false);
      }
    }
    return true;
  }

  @Override
  public RawRecord next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    RawRecord r = next;
    next = null;
    return r;
  }

  private record Parsed(long line, List<String> fields, String raw, String error) {
    boolean blank() {
      return error == null && fields.size() == 1 && fields.get(0).isBlank() && !raw.contains("\"");
    }
  }

  private int read() {
    try {
      if (peeked != -2) {
        int c = peeked;
        peeked = -2;
        return c;
      }
      return in.read();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private int peek() {
    if (peeked == -2) {
      peeked = read();
    }
    return peeked;
  }

  /** Reads one record; {@code null} at the end of the file. */
  private Parsed readRecord() {
    int c = read();
    if (c == -1) {
      return null;
    }
    long start = physicalLine;
    StringBuilder raw = new StringBuilder();
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false; // inside a quoted field
    boolean afterQuote = false; // a quoted field just closed
    String error = null;
    while (true) {
      if (c == -1) {
        if (quoted) {
          error = "unterminated quote: the rest of the file is one malformed record";
        }
        break;
      }
      if (!quoted && (c == '\n' || c == '\r')) {
        if (c == '\r' && peek() == '\n') {
          read();
        }
        physicalLine++;
        break;
      }
      if (raw.length() < RawRecord.MAX_RAW_CHARS) {
        raw.append((char) c);
      }
      if (quoted) {
        if (c == '"') {
          if (peek() == '"') {
            read();
            appendCapped(raw, '"');
            appendField(field, '"');
          } else {
            quoted = false;
            afterQuote = true;
          }
        } else {
          if (c == '\n' || (c == '\r' && peek() != '\n')) {
            physicalLine++;
          }
          appendField(field, (char) c);
        }
      } else if (c == ',') {
        fields.add(field.toString());
        field.setLength(0);
        afterQuote = false;
      } else if (afterQuote) {
        if (error == null) {
          error = "text after a closing quote";
        }
      } else if (c == '"' && field.toString().isBlank()) {
        field.setLength(0);
        quoted = true;
      } else {
        appendField(field, (char) c);
      }
      c = read();
    }
    fields.add(field.toString());
    if (error == null && overflow) {
      error = "a field is longer than " + RawRecord.MAX_FIELD_CHARS + " characters";
    }
    overflow = false;
    return new Parsed(start, fields, raw.toString(), error);
  }

  /** Field text beyond the cap is dropped (memory stays bounded) and the record is malformed. */
  private void appendField(StringBuilder field, char c) {
    if (field.length() < RawRecord.MAX_FIELD_CHARS) {
      field.append(c);
    } else {
      overflow = true;
    }
  }

  private static void appendCapped(StringBuilder sb, char c) {
    if (sb.length() < RawRecord.MAX_RAW_CHARS) {
      sb.append(c);
    }
  }
}
