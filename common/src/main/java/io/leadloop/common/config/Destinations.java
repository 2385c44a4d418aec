package io.leadloop.common.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadloop.common.LeadloopException;
import io.leadloop.common.parse.Codes;
import io.leadloop.common.schema.Vocabularies;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Parses and validates the {@code destinations} list of the configuration. */
final class Destinations {
  private static final Set<String> KEYS =
      Set.of("name", "segments", "channels", "fields", "formats");
  static final List<String> FORMATS = List.of("csv", "jsonl");

  private Destinations() {}

  static List<Destination> parse(JsonNode list) {
    List<Destination> out = new ArrayList<>();
    if (list == null) {
      return out;
    }
    if (!list.isArray()) {
      throw new LeadloopException("Cannot load config: key 'destinations': must be a list");
    }
    Set<String> names = new HashSet<>();
    int i = 0;
    for (JsonNode d : list) {
      String where = "destinations[" + i++ + "]";
      if (!d.isObject()) {
        throw new LeadloopException("Cannot load config: key '" + where + "': must be a map");
      }
      d.fieldNames()
          .forEachRemaining(
              k -> {
                if (!KEYS.contains(k)) {
                  throw new LeadloopException(
                      "Cannot load config: unknown key '" + where + "." + k + "'");
                }
              });
      String at = where;
      String name = Yaml.text(d.get("name"), at + ".name");
      if (!name.matches("[A-Za-z0-9_.-]+") || name.startsWith(".")) {
        throw new LeadloopException(
            "Cannot load config: key '" + at + ".name': '" + name + "' is not a safe folder name");
      }
      if (!names.add(name)) {
        throw new LeadloopException(
            "Cannot load config: key '" + at + ".name': '" + name + "' is used twice");
      }
      at = "destinations." + name;
      List<String> segments =
          d.has("segments")
              ? closed(d.get("segments"), at + ".segments", Vocabularies.SEGMENTS)
              : Vocabularies.SEGMENTS;
      List<String> channels =
          d.has("channels")
              ? closed(d.get("channels"), at + ".channels", Vocabularies.CONSENT_CHANNELS)
              : Vocabularies.CONSENT_CHANNELS;
      if (!d.has("fields")) {
        throw new LeadloopException("Cannot load config: key '" + at + ".fields' is required");
      }
      List<String> fields = closed(d.get("fields"), at + ".fields", ConfigLoader.MEMBER_FIELDS);
      if (!fields.contains("person_id")) {
        throw new LeadloopException(
            "Cannot load config: key '" + at + ".fields' must include person_id");
      }
      List<String> formats =
          d.has("formats") ? closed(d.get("formats"), at + ".formats", FORMATS) : List.of("csv");
      out.add(new Destination(name, segments, channels, fields, formats));
    }
    return out;
  }

  private static List<String> closed(JsonNode n, String key, List<String> allowed) {
    List<String> out = new ArrayList<>();
    for (String item : Yaml.textList(n, key)) {
      String v = Codes.vocab(item, allowed);
      if (v == null) {
        throw new LeadloopException(
            "Cannot load config: key '" + key + "': '" + item + "' is not one of " + allowed);
      }
      if (out.contains(v)) {
        throw new LeadloopException(
            "Cannot load config: key '" + key + "': '" + item + "' is listed twice");
      }
      out.add(v);
    }
    if (out.isEmpty()) {
      throw new LeadloopException("Cannot load config: key '" + key + "' is empty");
    }
    return out;
  }
}
