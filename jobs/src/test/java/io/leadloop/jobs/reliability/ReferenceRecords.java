package io.leadloop.jobs.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * The records of a landing file as data-contract.md defines them, found without the pipeline's
 * readers: the oracle the fuzz tests compare {@code FileParser}'s accepted + rejected rows with.
 * Plain and slow on purpose (the whole file in memory, one character at a time).
 *
 * <p>JSONL / NDJSON: every non-blank line is one record. CSV (RFC 4180): a BOM is dropped; the
 * first non-blank record is the header; a field is quoted when its first character is {@code "}
 * ({@code ""} inside stands for one quote; line breaks inside belong to the field); a quote
 * anywhere else is an ordinary character; an unterminated quote makes the rest of the file one
 * record; blank lines are not records. A record's line is the physical line it starts on ({@code
 * \r\n}, {@code \n} and {@code \r} each end a line).
 */
final class ReferenceRecords {
  private ReferenceRecords() {}

  /**
   * What the contract says of a file: {@code unreadable} names why the run stops on it ({@code
   * null}: it is read), else {@code lines} holds the start line of each record, in file order.
   */
  record Count(List<Long> lines, String unreadable) {
    long records() {
      return lines.size();
    }
  }

  static Count of(Path file) throws IOException {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    byte[] bytes;
    try (InputStream in =
        name.endsWith(".gz")
            ? new GZIPInputStream(Files.newInputStream(file))
            : Files.newInputStream(file)) {
      bytes = in.readAllBytes();
    }
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      return new Count(List.of(), "bytes that are not UTF-8");
    }
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    return name.matches(".*\\.csv(\\.gz)?") ? csv(text) : jsonLines(text);
  }

  private static Count jsonLines(String text) {
    List<Long> lines = new ArrayList<>();
    long line = 1;
    int start = 0;
    for (int i = 0; i <= text.length(); i++) {
      boolean end = i == text.length();
      char ch = end ? 0 : text.charAt(i);
      if (end || ch == '\n' || ch == '\r') {
        if (!text.substring(start, i).isBlank()) {
          lines.add(line);
        }
        if (ch == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
        line++;
        start = i + 1;
      }
    }
    return new Count(lines, null);
  }

  /** One CSV record: its start line, fields, and whether it breaks RFC 4180. */
  private record Rec(long line, List<String> fields, boolean malformed, boolean blank) {}

  private static Count csv(String text) {
    List<Rec> recs = new ArrayList<>();
    int[] pos = {0};
    long[] line = {1};
    while (pos[0] < text.length()) {
      Rec r = record(text, pos, line);
      if (!r.blank()) {
        recs.add(r);
      }
    }
    if (recs.isEmpty()) {
      return new Count(List.of(), null);
    }
    Rec header = recs.get(0);
    if (header.malformed()) {
      // The contract does not say what a header that is not valid CSV does; FileParser stops the
      // run on it, as on a repeated column (CsvRecordReader: "its header is not valid CSV").
      return new Count(List.of(), "its header is not valid CSV");
    }
    Set<String> names = new HashSet<>();
    for (String f : header.fields()) {
      if (!names.add(f.strip().toLowerCase(Locale.ROOT))) {
        return new Count(List.of(), "its header repeats a column");
      }
    }
    List<Long> lines = new ArrayList<>();
    for (Rec r : recs.subList(1, recs.size())) {
      lines.add(r.line());
    }
    return new Count(lines, null);
  }

  /** Reads the record at {@code pos[0]}, advancing it and the physical line {@code line[0]}. */
  private static Rec record(String s, int[] pos, long[] line) {
    long start = line[0];
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean malformed = false;
    boolean quotes = false;
    boolean fieldStart = true;
    boolean closed = false; // the current field was quoted and its quote has closed
    int i = pos[0];
    while (i < s.length()) {
      char ch = s.charAt(i);
      if (fieldStart && ch == '"') {
        quotes = true;
        i++;
        boolean terminated = false;
        while (i < s.length()) {
          char q = s.charAt(i);
          if (q == '"' && i + 1 < s.length() && s.charAt(i + 1) == '"') {
            field.append('"');
            i += 2;
          } else if (q == '"') {
            i++;
            terminated = true;
            break;
          } else {
            if (q == '\n' || (q == '\r' && !(i + 1 < s.length() && s.charAt(i + 1) == '\n'))) {
              line[0]++;
            }
            field.append(q);
            i++;
          }
        }
        if (!terminated) {
          malformed = true; // the rest of the file is this one record
        }
        fieldStart = false;
        closed = true;
        continue;
      }
      if (ch == ',') {
        fields.add(field.toString());
        field.setLength(0);
        fieldStart = true;
        closed = false;
        i++;
        continue;
      }
      if (ch == '\n' || ch == '\r') {
        i += ch == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n' ? 2 : 1;
        line[0]++;
        break;
      }
      if (closed) {
        malformed = true; // text after a closing quote
      }
      quotes |= ch == '"';
      field.append(ch);
      fieldStart = false;
      i++;
    }
    fields.add(field.toString());
    pos[0] = i;
    boolean blank = !quotes && fields.size() == 1 && fields.get(0).isBlank();
    return new Rec(start, fields, malformed, blank);
  }
}
