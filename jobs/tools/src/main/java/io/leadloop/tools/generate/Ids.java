package io.leadloop.tools.generate;

/**
 * Identifiers: zero-padded, one counter per kind, handed out in person order so that they are
 * unique across the set and deterministic. The width is fixed per run (at least 7 digits, and two
 * more than the person count needs), so identifiers sort like their numbers.
 */
final class Ids {
  private final int width;
  private long leads;
  private long events;
  private long touches;
  private long appointments;
  private long unknownLeads;

  Ids(long persons) {
    this.width = Math.max(7, Long.toString(persons).length() + 2);
  }

  String person(long index) {
    return format("P", index);
  }

  String lead() {
    return format("L", ++leads);
  }

  String event() {
    return format("E", ++events);
  }

  /** The next touch number; {@link #touch(long)} formats it (its parity routes the row). */
  long nextTouch() {
    return ++touches;
  }

  String touch(long number) {
    return format("T", number);
  }

  String appointment() {
    return format("A", ++appointments);
  }

  /** A lead id that no lead ever has ({@code LX...}): for bad lead_events rows. */
  String unknownLead() {
    return format("LX", ++unknownLeads);
  }

  /** A fresh key for a bad row of {@code table}. */
  String freshKey(Table table) {
    return switch (table) {
      case LEADS -> lead();
      case LEAD_EVENTS -> event();
      case TOUCHES -> touch(nextTouch());
      case APPOINTMENTS -> appointment();
      default -> throw new IllegalArgumentException(table + " has no single-column key");
    };
  }

  private String format(String prefix, long n) {
    String digits = Long.toString(n);
    StringBuilder sb = new StringBuilder(prefix.length() + Math.max(width, digits.length()));
    sb.append(prefix);
    for (int i = digits.length(); i < width; i++) {
      sb.append('0');
    }
    return sb.append(digits).toString();
  }
}
