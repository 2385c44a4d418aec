package io.leadloop.common.parse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Streams JSON-lines records: one JSON object per line; blank lines are not rows. A number or
 * boolean stands for its JSON text, {@code null} for a missing value, an object or array for a
 * value that does not parse. A line with a {@code resourceType} member is handed to {@link
 * FhirAppointments} when {@code fhirAware} is set (the appointments folder).
 */
public final class JsonLineReader implements Iterator<RawRecord> {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final BufferedReader in;
  private final String file;
  private final FhirAppointments fhir;
  private long line;
  private RawRecord next;
  private boolean tooLong;

  public JsonLineReader(BufferedReader in, String file, FhirAppointments fhir) {
    this.in = in;
    this.file = file;
    this.fhir = fhir;
  }

  @Override
  public boolean hasNext() {
    while (next == null) {
      String text;
      try {
        text = readLine();
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
      }
      if (text == null) {
        return false;
      }
      line++;
      if (tooLong) {
        next =
            RawRecord.malformed(
                line, text, "line is longer than " + RawRecord.MAX_FIELD_CHARS + " characters");
        continue;
      }
      if (text.isBlank()) {
        continue;
      }
      next = parse(line, text);
    }
    return true;
  }

  /** Reads one line (\n, \r\n or \r), keeping at most MAX_FIELD_CHARS of it; null at the end. */
  private String readLine() throws IOException {
    StringBuilder sb = new StringBuilder();
    tooLong = false;
    int c = in.read();
    if (c == -1) {
      return null;
    }
    while (c != -1 && c != '\n') {
      if (c == '\r') {
        in.mark(1);
        if (in.read() != '\n') {
          in.reset();
        }
        break;
      }
      if (sb.length() < RawRecord.MAX_FIELD_CHARS) {
        sb.append((char) c);
      } else {
        tooLong = true;
      }
      c = in.read();
    }
    return sb.toString();
  }

  private RawRecord parse(long lineNo, String text) {
    JsonNode node;
    try {
      node = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      return RawRecord.malformed(lineNo, text, "line is not valid JSON");
    }
    if (node == null || !node.isObject()) {
      return RawRecord.malformed(lineNo, text, "line is not a JSON object");
    }
    if (fhir != null && hasKey(node, "resourcetype")) {
      return fhir.map(lineNo, RawRecord.cut(text), node);
    }
    Map<String, String> values = new LinkedHashMap<>();
    Set<String> invalid = new HashSet<>();
    var it = node.fields();
    while (it.hasNext()) {
      var e = it.next();
      String key = e.getKey().strip().toLowerCase(Locale.ROOT);
      JsonNode v = e.getValue();
      if (values.containsKey(key)) {
        continue; // the first spelling of a key wins
      }
      if (v.isNull()) {
        values.put(key, null);
      } else if (v.isContainerNode()) {
        values.put(key, v.toString());
        invalid.add(key);
      } else if (v.isTextual()) {
        values.put(key, v.textValue());
      } else {
        values.put(key, v.asText());
      }
    }
    return new RawRecord(lineNo, RawRecord.cut(text), values, invalid, null, false);
  }

  static boolean hasKey(JsonNode node, String lowerKey) {
    var names = node.fieldNames();
    while (names.hasNext()) {
      if (names.next().toLowerCase(Locale.ROOT).equals(lowerKey)) {
        return true;
      }
    }
    return false;
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
}
