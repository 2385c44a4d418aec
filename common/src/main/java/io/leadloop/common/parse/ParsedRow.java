package io.leadloop.common.parse;

/**
 * A validated record: typed values in the entity's field order, or a reject reason.
 *
 * @param values typed values (String, Instant, Integer) in field order; {@code null} when rejected
 * @param reason the reject reason code, or {@code null} when accepted
 * @param message the reject message naming the field, or {@code null}
 * @param futureTime whether an event time lies more than one day after ingestion (applied after the
 *     unknown-lead check, which comes first in the contract's order)
 */
public record ParsedRow(Object[] values, String reason, String message, boolean futureTime) {
  public static ParsedRow reject(String reason, String message) {
    return new ParsedRow(null, reason, message, false);
  }

  public boolean accepted() {
    return reason == null;
  }
}
