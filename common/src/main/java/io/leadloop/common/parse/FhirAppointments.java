package io.leadloop.common.parse;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Maps a FHIR R4 {@code Appointment} resource (one NDJSON line of a Bulk Data export) onto the
 * contract's appointment fields, per the mapping table of data-contract.md. A resource of another
 * type is a malformed record for the appointments entity; a missing Patient participant leaves
 * {@code person_id} missing, which the validator rejects.
 */
public final class FhirAppointments implements Serializable {
  private static final long serialVersionUID = 1L;
  private final Map<String, String> serviceLineMap;

  /**
   * @param serviceLineMap config {@code fhir_service_line_map}: FHIR serviceType code → line
   */
  public FhirAppointments(Map<String, String> serviceLineMap) {
    this.serviceLineMap = Map.copyOf(serviceLineMap);
  }

  RawRecord map(long line, String rawText, JsonNode r) {
    String type = text(get(r, "resourceType"));
    if (!"Appointment".equals(type)) {
      return RawRecord.malformed(
          line, rawText, "resourceType is '" + type + "', not an Appointment resource");
    }
    Map<String, String> f = new LinkedHashMap<>();
    Set<String> invalid = new HashSet<>();
    f.put("appointment_id", text(get(r, "id")));
    f.put("person_id", reference(get(r, "participant"), "Patient"));
    JsonNode meta = get(r, "meta");
    String lastUpdated = text(get(meta, "lastUpdated"));
    String created = text(get(r, "created"));
    f.put("booked_at", created != null ? created : lastUpdated);
    f.put("scheduled_start", text(get(r, "start")));
    f.put("status", text(get(r, "status")));
    f.put("updated_at", lastUpdated);
    String code = text(get(first(get(first(get(r, "serviceType")), "coding")), "code"));
    if (code != null) {
      String mapped = serviceLineMap.get(code);
      if (mapped == null) {
        mapped = serviceLineMap.get(Codes.normalize(code));
      }
      code = mapped != null ? mapped : code;
    }
    f.put("service_line", code);
    f.put("location_id", reference(get(r, "participant"), "Location"));
    f.put(
        "cancellation_reason",
        text(get(first(get(get(r, "cancelationReason"), "coding")), "code")));
    f.put("lead_id", null);
    return new RawRecord(line, rawText, f, invalid, null, true);
  }

  /** The id of the first {@code participant[].actor.reference} ending in {@code <type>/<id>}. */
  private static String reference(JsonNode participants, String type) {
    if (participants == null || !participants.isArray()) {
      return null;
    }
    for (JsonNode p : participants) {
      String ref = text(get(get(p, "actor"), "reference"));
      if (ref == null) {
        continue;
      }
      String[] parts = ref.strip().split("/");
      if (parts.length >= 2 && parts[parts.length - 2].equals(type)) {
        String id = parts[parts.length - 1];
        if (!id.isBlank()) {
          return id;
        }
      }
    }
    return null;
  }

  /** Member lookup, case-insensitive like every other key of the contract. */
  private static JsonNode get(JsonNode node, String key) {
    if (node == null || !node.isObject()) {
      return null;
    }
    JsonNode exact = node.get(key);
    if (exact != null) {
      return exact;
    }
    var it = node.fields();
    while (it.hasNext()) {
      var e = it.next();
      if (e.getKey().toLowerCase(Locale.ROOT).equals(key.toLowerCase(Locale.ROOT))) {
        return e.getValue();
      }
    }
    return null;
  }

  private static JsonNode first(JsonNode array) {
    return array != null && array.isArray() && array.size() > 0 ? array.get(0) : null;
  }

  private static String text(JsonNode n) {
    if (n == null || n.isNull() || n.isContainerNode()) {
      return null;
    }
    return n.isTextual() ? n.textValue() : n.asText();
  }
}
