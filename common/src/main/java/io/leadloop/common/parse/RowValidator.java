package io.leadloop.common.parse;

import io.leadloop.common.schema.Entity;
import io.leadloop.common.schema.Field;
import io.leadloop.common.schema.FieldType;
import io.leadloop.common.schema.Vocabularies;
import java.io.Serializable;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * Checks one raw record against its entity's contract, in the contract's order: required fields
 * present, values parse, vocabulary values known, (then, outside this class, the lead reference),
 * event times not more than a day after ingestion. One reason per row: the first failing check.
 */
public final class RowValidator implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final long DAY_SECONDS = 86_400L;

  private final Entity entity;
  private final ZoneId sourceZone;
  private final Instant latestEventTime;

  public RowValidator(Entity entity, ZoneId sourceZone, Instant ingestedAt) {
    this.entity = entity;
    this.sourceZone = sourceZone;
    this.latestEventTime = ingestedAt.plusSeconds(DAY_SECONDS);
  }

  public ParsedRow validate(RawRecord raw) {
    if (raw.malformed() != null) {
      return ParsedRow.reject("malformed_line", "line " + raw.line() + ": " + raw.malformed());
    }
    List<Field> fields = entity.fields();
    String[] text = new String[fields.size()];
    for (int i = 0; i < fields.size(); i++) {
      Field f = fields.get(i);
      text[i] = Codes.trimToNull(raw.fields().get(f.name()));
      if (f.required() && text[i] == null) {
        return ParsedRow.reject("missing_" + f.name(), "field " + f.name() + " is missing");
      }
    }
    Object[] values = new Object[fields.size()];
    for (int i = 0; i < fields.size(); i++) {
      Field f = fields.get(i);
      if (text[i] == null) {
        continue;
      }
      if (raw.invalidFields().contains(f.name())) {
        return bad(f, "bad_" + f.name(), text[i], "a JSON object or array");
      }
      switch (f.type()) {
        case TIMESTAMP -> {
          Instant t =
              raw.fhir()
                  ? Timestamps.parseFhir(text[i], sourceZone)
                  : Timestamps.parse(text[i], sourceZone);
          if (t == null) {
            return bad(f, "bad_timestamp", text[i], "a timestamp");
          }
          values[i] = t;
        }
        case NON_NEGATIVE_INT -> {
          Integer n = nonNegative(text[i]);
          if (n == null) {
            return bad(f, "bad_" + f.name(), text[i], "an integer >= 0");
          }
          values[i] = n;
        }
        case CODE -> values[i] = Codes.normalize(text[i]);
        default -> values[i] = text[i];
      }
    }
    for (int i = 0; i < fields.size(); i++) {
      Field f = fields.get(i);
      if (f.type() == FieldType.VOCAB) {
        if (text[i] == null) {
          values[i] = f.defaultValue();
        } else {
          values[i] = Codes.vocab(text[i], f.vocabulary());
          if (values[i] == null) {
            return ParsedRow.reject(
                "unknown_" + f.name(),
                "field " + f.name() + ": '" + text[i] + "' is not one of " + f.vocabulary());
          }
        }
      }
    }
    applyEntityRules(values);
    if (values[0] == null) {
      return ParsedRow.reject("missing_" + fields.get(0).name(), "key is missing");
    }
    String missing = conditionalMissing(values);
    if (missing != null) {
      return ParsedRow.reject("missing_" + missing, "field " + missing + " is missing");
    }
    boolean future = false;
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).eventTime() && ((Instant) values[i]).isAfter(latestEventTime)) {
        future = true;
      }
    }
    return new ParsedRow(values, null, null, future);
  }

  /** Defaults that depend on other fields. */
  private void applyEntityRules(Object[] v) {
    switch (entity) {
      case LEADS -> defaultTo(v, "updated_at", "created_at");
      case APPOINTMENTS -> defaultTo(v, "updated_at", "booked_at");
      case LEAD_EVENTS -> {
        int reason = entity.indexOf("reason");
        if ("recycled".equals(v[entity.indexOf("stage")]) && v[reason] == null) {
          v[reason] = "unspecified";
        }
      }
      default -> {}
    }
  }

  private String conditionalMissing(Object[] v) {
    if (entity == Entity.APPOINTMENTS
        && v[entity.indexOf("scheduled_start")] == null
        && !Vocabularies.START_OPTIONAL.contains((String) v[entity.indexOf("status")])) {
      return "scheduled_start";
    }
    return null;
  }

  private void defaultTo(Object[] v, String field, String from) {
    int i = entity.indexOf(field);
    if (v[i] == null) {
      v[i] = v[entity.indexOf(from)];
    }
  }

  private static ParsedRow bad(Field f, String reason, String value, String what) {
    String shown = value.length() > 80 ? value.substring(0, 80) + "..." : value;
    return ParsedRow.reject(
        reason, "field " + f.name() + ": cannot parse '" + shown + "' as " + what);
  }

  private static Integer nonNegative(String s) {
    return s.matches("\\d{1,9}") ? Integer.valueOf(s) : null;
  }
}
