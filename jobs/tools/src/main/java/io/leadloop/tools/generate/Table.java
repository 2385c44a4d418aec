package io.leadloop.tools.generate;

import java.util.List;

/**
 * The six landing entities as the generator writes them: folder, the contract's columns in order,
 * and where the bad-row kinds apply (key, event time, required and closed-vocabulary columns).
 */
enum Table {
  LEADS(
      "leads",
      0,
      2,
      new int[] {0, 1, 2, 4, 5, 7},
      new int[] {5, 9, 11},
      new String[] {"fax", "provider", "F"},
      "lead_id",
      "person_id",
      "created_at",
      "updated_at",
      "source",
      "inquiry_channel",
      "campaign",
      "service_line",
      "location_id",
      "audience",
      "intent",
      "score",
      "language"),
  LEAD_EVENTS(
      "lead_events",
      0,
      2,
      new int[] {0, 1, 2, 3},
      new int[] {3},
      new String[] {"won"},
      "event_id",
      "lead_id",
      "occurred_at",
      "stage",
      "reason"),
  TOUCHES(
      "touches",
      0,
      3,
      new int[] {0, 1, 3, 4},
      new int[] {4, 5, 6},
      new String[] {"fax", "sideways", "exploded"},
      "touch_id",
      "person_id",
      "lead_id",
      "occurred_at",
      "channel",
      "direction",
      "outcome",
      "campaign",
      "sequence_step"),
  APPOINTMENTS(
      "appointments",
      0,
      3,
      new int[] {0, 1, 3, 5, 7},
      new int[] {5},
      new String[] {"tentative"},
      "appointment_id",
      "person_id",
      "lead_id",
      "booked_at",
      "scheduled_start",
      "status",
      "updated_at",
      "service_line",
      "location_id",
      "cancellation_reason"),
  CONSENT(
      "consent",
      -1,
      3,
      new int[] {0, 1, 2, 3},
      new int[] {1, 2},
      new String[] {"fax", "unsure"},
      "person_id",
      "channel",
      "status",
      "recorded_at",
      "source"),
  SUPPRESSION(
      "suppression",
      -1,
      2,
      new int[] {0, 1, 2},
      new int[] {},
      new String[] {},
      "person_id",
      "reason",
      "added_at",
      "expires_at");

  /** Index of {@code sequence_step} in touches rows. */
  static final int SEQUENCE_STEP = 8;

  /** Index of {@code lead_id} in lead_events rows. */
  static final int EVENT_LEAD_ID = 1;

  final String folder;

  /** Index of the key column that gets a fresh id in a bad row, or -1 (composite keys). */
  final int keyIndex;

  /** Index of the event-time column ({@code created_at}, {@code occurred_at}, ...). */
  final int timeIndex;

  /** Columns that are always required (status-dependent ones are left out). */
  final int[] required;

  /** Closed-vocabulary columns, and for each a value outside the vocabulary. */
  final int[] vocabulary;

  final String[] unknownValues;
  final List<String> columns;

  Table(
      String folder,
      int keyIndex,
      int timeIndex,
      int[] required,
      int[] vocabulary,
      String[] unknownValues,
      String... columns) {
    this.folder = folder;
    this.keyIndex = keyIndex;
    this.timeIndex = timeIndex;
    this.required = required;
    this.vocabulary = vocabulary;
    this.unknownValues = unknownValues;
    this.columns = List.of(columns);
  }
}
