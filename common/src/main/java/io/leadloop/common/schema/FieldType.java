package io.leadloop.common.schema;

/** How a landing value is checked and stored. */
public enum FieldType {
  /** Identifier: trimmed, compared exactly. */
  ID,
  /** Free string: trimmed. */
  STRING,
  /** Contract timestamp, stored as a UTC instant. */
  TIMESTAMP,
  /** Normalized code ({@code Paid - Search} → {@code paid_search}). */
  CODE,
  /** Closed vocabulary, compared case-insensitively, stored in the contract's spelling. */
  VOCAB,
  /** Integer ≥ 0. */
  NON_NEGATIVE_INT
}
