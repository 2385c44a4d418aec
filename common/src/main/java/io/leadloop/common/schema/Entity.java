package io.leadloop.common.schema;

import static io.leadloop.common.schema.Field.event;
import static io.leadloop.common.schema.Field.opt;
import static io.leadloop.common.schema.Field.req;
import static io.leadloop.common.schema.Field.vocab;
import static io.leadloop.common.schema.FieldType.CODE;
import static io.leadloop.common.schema.FieldType.ID;
import static io.leadloop.common.schema.FieldType.NON_NEGATIVE_INT;
import static io.leadloop.common.schema.FieldType.STRING;
import static io.leadloop.common.schema.FieldType.TIMESTAMP;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/** The six entities of the data contract, their fields, and their staged (typed) schemas. */
public enum Entity {
  LEADS(
      "leads",
      List.of("lead_id"),
      "updated_at",
      req("lead_id", ID),
      req("person_id", ID),
      event("created_at"),
      opt("updated_at", TIMESTAMP),
      req("source", CODE),
      vocab("inquiry_channel", true, null, Vocabularies.INQUIRY_CHANNELS.toArray(String[]::new)),
      opt("campaign", CODE),
      req("service_line", CODE),
      opt("location_id", CODE),
      vocab("audience", false, "patient", Vocabularies.AUDIENCES.toArray(String[]::new)),
      vocab("intent", false, null, Vocabularies.INTENTS.toArray(String[]::new)),
      vocab("score", false, null, Vocabularies.SCORES.toArray(String[]::new)),
      opt("language", STRING)),
  LEAD_EVENTS(
      "lead_events",
      List.of("event_id"),
      null,
      req("event_id", ID),
      req("lead_id", ID),
      event("occurred_at"),
      vocab("stage", true, null, Vocabularies.STAGES.toArray(String[]::new)),
      opt("reason", CODE)),
  TOUCHES(
      "touches",
      List.of("touch_id"),
      null,
      req("touch_id", ID),
      req("person_id", ID),
      opt("lead_id", ID),
      event("occurred_at"),
      vocab("channel", true, null, Vocabularies.TOUCH_CHANNELS.toArray(String[]::new)),
      vocab("direction", false, "outbound", Vocabularies.DIRECTIONS.toArray(String[]::new)),
      vocab("outcome", false, "sent", Vocabularies.OUTCOMES.toArray(String[]::new)),
      opt("campaign", CODE),
      opt("sequence_step", NON_NEGATIVE_INT)),
  APPOINTMENTS(
      "appointments",
      List.of("appointment_id"),
      "updated_at",
      req("appointment_id", ID),
      req("person_id", ID),
      opt("lead_id", ID),
      event("booked_at"),
      opt("scheduled_start", TIMESTAMP),
      vocab("status", true, null, Vocabularies.APPOINTMENT_STATUSES.toArray(String[]::new)),
      opt("updated_at", TIMESTAMP),
      req("service_line", CODE),
      opt("location_id", CODE),
      opt("cancellation_reason", CODE)),
  CONSENT(
      "consent",
      List.of("person_id", "channel", "status", "recorded_at"),
      null,
      req("person_id", ID),
      vocab("channel", true, null, Vocabularies.CONSENT_CHANNELS.toArray(String[]::new)),
      vocab("status", true, null, Vocabularies.CONSENT_STATUSES.toArray(String[]::new)),
      event("recorded_at"),
      opt("source", CODE)),
  SUPPRESSION(
      "suppression",
      List.of("person_id", "added_at"),
      null,
      req("person_id", ID),
      req("reason", CODE),
      event("added_at"),
      opt("expires_at", TIMESTAMP));

  private final String folder;
  private final List<String> key;
  private final String versionColumn;
  private final List<Field> fields;

  Entity(String folder, List<String> key, String versionColumn, Field... fields) {
    this.folder = folder;
    this.key = key;
    this.versionColumn = versionColumn;
    this.fields = List.of(fields);
  }

  /** Folder name under the landing location, also the entity's name in tables and run.json. */
  public String folder() {
    return folder;
  }

  public List<String> key() {
    return key;
  }

  /** {@code updated_at} for versioned entities, else {@code null} (the later row wins). */
  public String versionColumn() {
    return versionColumn;
  }

  public List<Field> fields() {
    return fields;
  }

  public int indexOf(String field) {
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).name().equals(field)) {
        return i;
      }
    }
    return -1;
  }

  /** The typed columns of the staged table, in field order. */
  public List<StructField> typedColumns() {
    List<StructField> out = new ArrayList<>();
    for (Field f : fields) {
      DataType t =
          switch (f.type()) {
            case TIMESTAMP -> DataTypes.TimestampType;
            case NON_NEGATIVE_INT -> DataTypes.IntegerType;
            default -> DataTypes.StringType;
          };
      out.add(DataTypes.createStructField(f.name(), t, true));
    }
    return out;
  }
}
