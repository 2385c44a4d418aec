package io.leadloop.tools.generate;

import java.util.ArrayList;
import java.util.List;

/**
 * What the person's written rows say so far, as far as {@link StalledLead} needs it: appointments
 * (booked, start, how they ended) and contacts (segments.md: outbound email, sms, phone or mail not
 * bounced or failed). Recorded for every person (no random draw), read only by outreach.
 */
final class PersonHistory {
  /** How an appointment's newest version ended it, from {@link Appointment#endedAt} on. */
  enum End {
    NONE,
    CANCELLED,
    NOSHOW,
    KEPT,
    ENTERED_IN_ERROR
  }

  /** A booking (a {@code booked} version at {@code booked}), and its later version if any. */
  static final class Appointment {
    final long booked;
    final long start;
    End end = End.NONE;
    long endedAt = Long.MAX_VALUE;

    Appointment(long booked, long start) {
      this.booked = booked;
      this.start = start;
    }

    void end(End how, long at) {
      end = how;
      endedAt = at;
    }

    /** Its status at a cutoff is {@code how}: that version is the newest before {@code c}. */
    boolean endedBefore(End how, long c) {
      return end == how && endedAt < c;
    }
  }

  final List<Appointment> appointments = new ArrayList<>();
  private long[] contacts = new long[16];
  private int contactCount;

  void clear() {
    appointments.clear();
    contactCount = 0;
  }

  Appointment booked(long booked, long start) {
    Appointment a = new Appointment(booked, start);
    appointments.add(a);
    return a;
  }

  void contact(long at) {
    if (contactCount == contacts.length) {
      contacts = java.util.Arrays.copyOf(contacts, contactCount * 2);
    }
    contacts[contactCount++] = at;
  }

  /** Contacts in {@code [from, to)}. */
  int contactsBetween(long from, long to) {
    int n = 0;
    for (int i = 0; i < contactCount; i++) {
      n += contacts[i] >= from && contacts[i] < to ? 1 : 0;
    }
    return n;
  }

  /** Where the rows of a lead whose rows are held begin. */
  record Mark(int appointments, int contacts) {}

  Mark mark() {
    return new Mark(appointments.size(), contactCount);
  }

  /**
   * Forgets what was recorded since {@code m} at or after {@code cut}: rows that were drawn but not
   * written. An appointment counts by its booking (its later versions go with it).
   */
  void cut(Mark m, long cut) {
    appointments.subList(m.appointments(), appointments.size()).removeIf(a -> a.booked >= cut);
    int kept = m.contacts();
    for (int i = m.contacts(); i < contactCount; i++) {
      if (contacts[i] < cut) {
        contacts[kept++] = contacts[i];
      }
    }
    contactCount = kept;
  }
}
