package io.leadloop.tools.generate;

import static io.leadloop.tools.generate.PersonContext.DAY;
import static io.leadloop.tools.generate.PersonContext.HOUR;
import static io.leadloop.tools.generate.PersonContext.MINUTE;

/**
 * Appointments in the scheduling system. A booking is written as a {@code booked} version; its
 * outcome (kept as fulfilled / checked-in / arrived, {@code noshow}, {@code cancelled}, rarely
 * {@code entered-in-error}) as a later version of the same {@code appointment_id} with a later
 * {@code updated_at}. Bookings that start after the period stay {@code booked} (open). Misses are
 * sometimes rebooked, kept visits sometimes followed by a return visit; about one in ten
 * appointments comes from the FHIR export (which has no {@code lead_id}). About 70% of the
 * appointments booked from a lead name it; the rest are left to the person-level link.
 */
final class AppointmentSimulator {
  private static final int MAX_DEPTH = 2;

  private record Appointment(
      String id, String leadId, long booked, String serviceLine, String location, boolean fhir) {}

  private final PersonContext p;

  AppointmentSimulator(PersonContext p) {
    this.p = p;
  }

  /**
   * Books an appointment at {@code booked} ({@code leadId} null for visits not from a lead); {@code
   * depth} counts rebookings and return visits, so that chains end.
   */
  void book(String leadId, String serviceLine, String location, long booked, int depth) {
    if (!p.inPeriod(booked)) {
      return;
    }
    boolean fhir = p.chance(0.10);
    String leadRef = !fhir && leadId != null && p.chance(0.78) ? leadId : null;
    String loc = location != null ? location : Vocab.LOCATIONS.pick(p.rng);
    Appointment a = new Appointment(p.ids.appointment(), leadRef, booked, serviceLine, loc, fhir);
    if (p.chance(0.03)) {
      // Not a booking yet: a request or a waitlist entry without a start.
      write(a, null, p.chance(0.5) ? "proposed" : "waitlist", booked, null);
      return;
    }
    long start = slot(booked + p.logNormal(6 * DAY, 0.8, DAY, 75 * DAY));
    write(a, start, "booked", booked, null);
    PersonHistory.Appointment seen = p.history.booked(booked, start);
    double roll = p.rng.nextDouble();
    if (roll < 0.13) {
      long cancelled = booked + (long) (p.rng.nextDouble() * (start - booked));
      if (p.inPeriod(cancelled)) {
        String reason = Vocab.CANCEL_REASONS.pick(p.rng);
        write(a, p.chance(0.7) ? start : null, "cancelled", cancelled, reason);
        seen.end(PersonHistory.End.CANCELLED, cancelled);
        if (depth < MAX_DEPTH && p.chance(0.4)) {
          book(leadId, serviceLine, loc, cancelled + p.hours(2, 240), depth + 1);
        }
      }
      return;
    }
    remind(start, booked);
    long resolved = start + p.minutes(20, 36 * 60);
    if (!p.inPeriod(resolved)) {
      return; // still ahead (open), or started but not yet updated (unresolved)
    }
    if (roll < 0.25) {
      write(a, start, "noshow", resolved, null);
      seen.end(PersonHistory.End.NOSHOW, resolved);
      if (depth < MAX_DEPTH && p.chance(0.35)) {
        book(leadId, serviceLine, loc, resolved + p.hours(4, 14 * 24), depth + 1);
      }
    } else if (roll < 0.26) {
      write(a, start, "entered-in-error", resolved, null);
      seen.end(PersonHistory.End.ENTERED_IN_ERROR, resolved);
    } else {
      write(a, start, Vocab.KEPT_STATUSES.pick(p.rng), resolved, null);
      seen.end(PersonHistory.End.KEPT, resolved);
      if (depth < MAX_DEPTH && p.chance(0.2)) {
        book(null, serviceLine, loc, start + p.days(30, 200), depth + 1);
      }
    }
  }

  /** A 15-minute slot between 13:00 and 21:45 UTC (08:00-16:45 at -05:00) on the same day. */
  private long slot(long t) {
    return Math.floorDiv(t, DAY) * DAY + 13 * HOUR + p.rng.nextInt(36) * 15 * MINUTE;
  }

  /** An appointment reminder the day before, on SMS or email where allowed, else the portal. */
  private void remind(long start, long booked) {
    long at = start - p.hours(18, 30);
    if (at > booked && p.inPeriod(at) && p.chance(0.6)) {
      String channel =
          p.permitted(PersonContext.SMS, at)
              ? "sms"
              : p.permitted(PersonContext.EMAIL, at) ? "email" : "portal";
      p.touch(null, at, channel, false, "delivered", "appt_reminder", -1);
    }
  }

  private void write(Appointment a, Long start, String status, long updated, String reason) {
    boolean fhir = a.fhir();
    // CSV exports often leave updated_at empty on the first version (it defaults to booked_at).
    boolean omitUpdated = !fhir && updated == a.booked() && p.chance(0.3);
    String[] row = {
      a.id(),
      p.personId,
      a.leadId(),
      time(a.booked(), fhir),
      start == null ? null : time(start, fhir),
      fhir ? status : p.vocab(status),
      omitUpdated ? null : time(updated, fhir),
      fhir ? a.serviceLine() : p.code(a.serviceLine()),
      fhir ? a.location() : p.code(a.location()),
      fhir ? reason : p.code(reason)
    };
    int route = fhir ? LandingWriters.ROUTE_ALTERNATE : LandingWriters.ROUTE_MAIN;
    p.out.emit(Table.APPOINTMENTS, route, row, a.booked());
  }

  private String time(long t, boolean fhir) {
    return fhir ? TimeFormat.zoned(t, p.rng) : p.ts(t);
  }
}
