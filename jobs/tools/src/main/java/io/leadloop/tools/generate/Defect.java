package io.leadloop.tools.generate;

import java.util.SplittableRandom;

/** The kinds of deliberately bad rows, each breaking exactly one rule of the data contract. */
enum Defect {
  /** A required field left empty. */
  MISSING_REQUIRED,
  /** The event time is not a contract timestamp ({@code yesterday}, a date alone, ...). */
  BAD_TIMESTAMP,
  /** A closed-vocabulary field holds a value outside the vocabulary. */
  UNKNOWN_VOCABULARY,
  /** A CSV record with one field too few, or a JSON line cut off (not a JSON object). */
  MALFORMED,
  /** touches only: {@code sequence_step} -1. */
  NEGATIVE_SEQUENCE_STEP,
  /** lead_events only: a {@code lead_id} no lead has. */
  UNKNOWN_LEAD;

  /** Not contract timestamps; the first ones do not parse in FHIR either (a date alone does). */
  private static final String[] BAD_TIMESTAMPS = {
    "yesterday", "03/02/2026 10:00", "n/a", "2026-03-02"
  };

  /** The defects that apply to rows of {@code table}. */
  static Defect[] kinds(Table table) {
    return switch (table) {
      case LEAD_EVENTS ->
          new Defect[] {
            MISSING_REQUIRED, BAD_TIMESTAMP, UNKNOWN_VOCABULARY, MALFORMED, UNKNOWN_LEAD
          };
      case TOUCHES ->
          new Defect[] {
            MISSING_REQUIRED, BAD_TIMESTAMP, UNKNOWN_VOCABULARY, MALFORMED, NEGATIVE_SEQUENCE_STEP
          };
      case SUPPRESSION -> new Defect[] {MISSING_REQUIRED, BAD_TIMESTAMP, MALFORMED};
      default -> new Defect[] {MISSING_REQUIRED, BAD_TIMESTAMP, UNKNOWN_VOCABULARY, MALFORMED};
    };
  }

  /**
   * A bad copy of a good row: a fresh key (so it never becomes a version of a good row) and this
   * defect applied. {@link #MALFORMED} is applied by the sink, which knows the file format; {@code
   * fhir} rows get no date-alone timestamp (FHIR reads that as midnight).
   */
  String[] apply(Table table, String[] good, boolean fhir, Ids ids, SplittableRandom rng) {
    String[] bad = good.clone();
    if (table.keyIndex >= 0) {
      bad[table.keyIndex] = ids.freshKey(table);
    }
    switch (this) {
      case MISSING_REQUIRED -> bad[table.required[rng.nextInt(table.required.length)]] = null;
      case BAD_TIMESTAMP ->
          bad[table.timeIndex] =
              BAD_TIMESTAMPS[rng.nextInt(BAD_TIMESTAMPS.length - (fhir ? 1 : 0))];
      case UNKNOWN_VOCABULARY -> {
        int i = rng.nextInt(table.vocabulary.length);
        bad[table.vocabulary[i]] = table.unknownValues[i];
      }
      case NEGATIVE_SEQUENCE_STEP -> bad[Table.SEQUENCE_STEP] = "-1";
      case UNKNOWN_LEAD -> bad[Table.EVENT_LEAD_ID] = ids.unknownLead();
      case MALFORMED -> {}
    }
    return bad;
  }
}
