package io.leadloop.common.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadloop.common.LeadloopException;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Typed, key-naming access to a parsed YAML map (package-private helper of the loader). */
final class Yaml {
  private final JsonNode root;

  Yaml(JsonNode root) {
    this.root = root;
  }

  List<String> keys() {
    List<String> out = new ArrayList<>();
    if (root != null) {
      root.fieldNames().forEachRemaining(out::add);
    }
    return out;
  }

  boolean has(String key) {
    return node(key) != null;
  }

  JsonNode node(String key) {
    if (root == null) {
      return null;
    }
    JsonNode n = root.get(key);
    return n == null || n.isNull() ? null : n;
  }

  LeadloopException bad(String key, String why) {
    return new LeadloopException("Cannot load config: key '" + key + "': " + why);
  }

  ZoneId zone(String key, ZoneId dflt) {
    JsonNode n = node(key);
    if (n == null) {
      return dflt;
    }
    try {
      return ZoneId.of(text(n, key));
    } catch (DateTimeException e) {
      throw bad(key, "'" + n.asText() + "' is not a time zone");
    }
  }

  int positiveInt(String key, int dflt) {
    JsonNode n = node(key);
    return n == null ? dflt : positiveInt(n, key);
  }

  static int positiveInt(JsonNode n, String key) {
    if (n == null || !n.isIntegralNumber() || n.asLong() <= 0 || n.asLong() > Integer.MAX_VALUE) {
      throw new LeadloopException(
          "Cannot load config: key '" + key + "': must be a positive integer, got " + n);
    }
    return n.asInt();
  }

  BigDecimal positiveDecimal(String key, BigDecimal dflt) {
    JsonNode n = node(key);
    if (n == null) {
      return dflt;
    }
    if (!n.isNumber() || n.decimalValue().signum() <= 0) {
      throw bad(key, "must be a positive number, got " + n);
    }
    return n.decimalValue();
  }

  /** A map of scalar values (empty when absent). */
  Map<String, JsonNode> map(String key) {
    JsonNode n = node(key);
    Map<String, JsonNode> out = new LinkedHashMap<>();
    if (n == null) {
      return out;
    }
    if (!n.isObject()) {
      throw bad(key, "must be a map");
    }
    n.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  List<String> list(String key) {
    return textList(node(key), key);
  }

  static List<String> textList(JsonNode n, String key) {
    List<String> out = new ArrayList<>();
    if (n == null) {
      return out;
    }
    if (!n.isArray()) {
      throw new LeadloopException("Cannot load config: key '" + key + "': must be a list");
    }
    for (JsonNode item : n) {
      out.add(text(item, key));
    }
    return out;
  }

  static String text(JsonNode n, String key) {
    if (n == null || !n.isValueNode() || n.isNull() || n.asText().isBlank()) {
      throw new LeadloopException("Cannot load config: key '" + key + "': must be a value");
    }
    return n.asText().strip();
  }
}
