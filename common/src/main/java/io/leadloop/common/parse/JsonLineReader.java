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
        text = in.readLine();
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
      }
      if (text == null) {
        return false;
      }
      line++;
      if (text.isBlank()) {
        continue;
      }
      next = parse(line, text);
    }
    return true;
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
