package io.leadloop.tools.generate;

import static io.leadloop.tools.generate.PersonContext.DAY;

import java.util.List;
import java.util.Set;

/**
 * The generator's view of segments.md's stalled_lead, with the spec's default settings: whether a
 * lead is a member at a cutoff, and so its entry, the first published cutoff at which it is one
 * (outcomes.md). It reads what the person's rows say up to then ({@link PersonHistory}, the lead's
 * own stage events) and the creation of the person's next lead.
 *
 * <p>Not modelled, because the generator writes them only after it decides: suppression entries and
 * newsletters (a newsletter is a contact, so it can delay an entry by a cooldown); nor the
 * configured consent default ({@code no_permitted_channel}): outreach needs a channel the person
 * opted in to, and reaches no one without.
 */
final class StalledLead {
  static final long WEEK = 7 * DAY;

  /** A lead is a member from this age ({@code created_at <= c - 2 days}) ... */
  static final long MIN_AGE = 2 * DAY;

  /** ... to this one ({@code created_at >= c - 180 days}). */
  static final long MAX_AGE = 180 * DAY;

  /**
   * missed_appointment comes first: a miss in the 90 days before the cutoff makes the person one.
   */
  static final long MISS_DAYS = 90 * DAY;

  static final long COOLDOWN = 3 * DAY;
  static final int CAP_7D = 3;
  static final int CAP_30D = 8;
  static final int MAX_CYCLES = 3;

  private static final Set<String> OPEN =
      Set.of("new", "attempted_contact", "contacted", "qualified", "recycled");

  private StalledLead() {}

  /**
   * The lead's entry cutoff: the first published cutoff ({@code firstCutoff} plus whole weeks) at
   * which it is a member, before the person's next lead is created and before {@code periodEnd}; -1
   * if none.
   */
  static long entry(
      LeadLifecycle.Lead lead,
      List<PersonContext.StageEvent> events,
      PersonHistory history,
      long nextCreated,
      long firstCutoff,
      long periodEnd) {
    long earliest = lead.created() + MIN_AGE;
    long c =
        earliest <= firstCutoff
            ? firstCutoff
            : firstCutoff + Math.floorDiv(earliest - firstCutoff + WEEK - 1, WEEK) * WEEK;
    for (; c <= lead.created() + MAX_AGE && c <= nextCreated && c < periodEnd; c += WEEK) {
      if (member(lead, events, history, c)) {
        return c;
      }
    }
    return -1;
  }

  /**
   * Whether the lead, the person's newest (the caller sees to it) and old enough, is a kept
   * stalled_lead member at cutoff {@code c}.
   */
  static boolean member(
      LeadLifecycle.Lead lead,
      List<PersonContext.StageEvent> events,
      PersonHistory history,
      long c) {
    if (missedAppointment(history, c)) {
      return false; // the person is a missed_appointment candidate
    }
    String score = lead.rescoredAt() < c ? lead.score() : lead.firstScore();
    if ("E".equals(score) || !OPEN.contains(latestStage(events, c))) {
      return false; // closed
    }
    for (PersonHistory.Appointment a : history.appointments) {
      boolean exists = a.booked < c && !a.endedBefore(PersonHistory.End.ENTERED_IN_ERROR, c);
      if (exists && a.booked >= lead.created()) {
        return false; // booked since the lead was created
      }
      if (exists && a.start >= c && !a.endedBefore(PersonHistory.End.CANCELLED, c)) {
        return false; // open_appointment
      }
    }
    if (history.contactsBetween(c - WEEK, c) >= CAP_7D
        || history.contactsBetween(c - 30 * DAY, c) >= CAP_30D
        || history.contactsBetween(c - COOLDOWN, c) > 0) {
      return false; // frequency_cap, cooldown
    }
    long recycles = events.stream().filter(e -> e.at() < c && e.stage().equals("recycled")).count();
    return recycles < MAX_CYCLES
        && !"clinical_question".equals(lead.intent())
        && !"referral_partner".equals(lead.audience());
  }

  /** The lead's latest stage before {@code c} ({@code new} if none; ties: the later written). */
  static String latestStage(List<PersonContext.StageEvent> events, long c) {
    String stage = "new";
    long at = Long.MIN_VALUE;
    for (PersonContext.StageEvent e : events) {
      if (e.at() < c && e.at() >= at) {
        stage = e.stage();
        at = e.at();
      }
    }
    return stage;
  }

  /** The lead's latest recycle reason before {@code c}, as drawn (null: none, or no reason). */
  static String latestRecycleReason(List<PersonContext.StageEvent> events, long c) {
    String reason = null;
    long at = Long.MIN_VALUE;
    for (PersonContext.StageEvent e : events) {
      if (e.at() < c && e.at() >= at && e.stage().equals("recycled")) {
        reason = e.reason();
        at = e.at();
      }
    }
    return reason;
  }

  /**
   * The person's latest miss (a noshow at its start, a cancellation when it was made) lies in the
   * 90 days before {@code c}, and no kept appointment starts at or after it.
   */
  private static boolean missedAppointment(PersonHistory history, long c) {
    long miss = Long.MIN_VALUE;
    for (PersonHistory.Appointment a : history.appointments) {
      if (a.endedBefore(PersonHistory.End.NOSHOW, c)) {
        miss = Math.max(miss, a.start);
      } else if (a.endedBefore(PersonHistory.End.CANCELLED, c)) {
        miss = Math.max(miss, a.endedAt);
      }
    }
    if (miss < c - MISS_DAYS) {
      return false;
    }
    for (PersonHistory.Appointment a : history.appointments) {
      if (a.endedBefore(PersonHistory.End.KEPT, c) && a.start >= miss) {
        return false;
      }
    }
    return true;
  }
}
