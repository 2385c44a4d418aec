package io.leadloop.common.schema;

import java.util.List;

/**
 * One field of an entity as the data contract defines it.
 *
 * @param name the contract's name (also the staged column name)
 * @param type how the value is checked and stored
 * @param required whether a missing value rejects the row
 * @param vocabulary the closed vocabulary for {@link FieldType#VOCAB}, else empty
 * @param defaultValue the value taken when missing (vocabulary fields), or {@code null}
 * @param eventTime whether the future-time rule applies (more than one day after ingestion)
 */
public record Field(
    String name,
    FieldType type,
    boolean required,
    List<String> vocabulary,
    String defaultValue,
    boolean eventTime) {

  static Field req(String name, FieldType type) {
    return new Field(name, type, true, List.of(), null, false);
  }

  static Field opt(String name, FieldType type) {
    return new Field(name, type, false, List.of(), null, false);
  }

  static Field event(String name) {
    return new Field(name, FieldType.TIMESTAMP, true, List.of(), null, true);
  }

  static Field vocab(String name, boolean required, String defaultValue, String... values) {
    return new Field(name, FieldType.VOCAB, required, List.of(values), defaultValue, false);
  }
}
