package io.leadloop.tools.generate;

import static io.leadloop.tools.generate.PersonContext.DAY;
import static io.leadloop.tools.generate.PersonContext.HOUR;
import static io.leadloop.tools.generate.PersonContext.MINUTE;

import java.util.List;

/**
 * One lead's life in the CRM: {@code new}, the first response (touches with a long-tailed delay;
 * some leads are never touched), {@code attempted_contact}, {@code contacted}, then booked, closed,
 * left open, or recycled with a stall reason into a nurture sequence, possibly several times. Every
 * step stops at the end of the simulated period. A treated lead's rows are held back until the
 * person's next lead is known, then {@link #settle} simulates {@link Outreach} at its entry.
 */
final class LeadLifecycle {
  /**
   * A lead as the lifecycle and outreach need it: {@code score} is its newest version's, {@code
   * firstScore} the first's, replaced at {@code rescoredAt} (never: {@code Long.MAX_VALUE}); intent
   * and audience as drawn.
   */
  record Lead(
      String id,
      long created,
      String serviceLine,
      String location,
      String inquiry,
      String score,
      String firstScore,
      long rescoredAt,
      String intent,
      String audience) {}

  private enum Next {
    BOOKED,
    RECYCLED,
    CLOSED_LOST,
    NOT_A_FIT,
    OPEN
  }

  private static final int MAX_CYCLES = 4;

  private final PersonContext p;
  private final AppointmentSimulator appointments;
  private final Outreach outreach;

  /** The treated lead whose rows are held until {@link #settle}, and where its history began. */
  private Lead held;

  private PersonHistory.Mark heldFrom;

  LeadLifecycle(PersonContext p, AppointmentSimulator appointments, Outreach outreach) {
    this.p = p;
    this.appointments = appointments;
    this.outreach = outreach;
  }

  /** Simulates the lead; a treated lead's rows are held until {@link #settle}. */
  void run(Lead lead) {
    if (outreach.active() && outreach.treated(lead.id())) {
      held = lead;
      heldFrom = p.holdLead(lead.id());
    }
    p.event(lead.id(), lead.created(), "new", null);
    boolean live = lead.inquiry().equals("phone") || lead.inquiry().equals("chat");
    if (live) {
      String ch = lead.inquiry();
      p.touch(lead.id(), lead.created(), ch, true, Vocab.reached(ch), null, -1);
    }
    if (p.chance(0.10)) {
      if (p.chance(0.4)) {
        closeLost(lead, lead.created() + p.days(20, 60));
      }
      return; // never touched: stays new
    }
    // Minutes for calls and chats, hours to days (long tail) for forms.
    long delay =
        live
            ? p.logNormal(6 * MINUTE, 1.4, 30, 3 * DAY)
            : p.logNormal(50 * MINUTE, 1.9, 60, 21 * DAY);
    boolean contacted = p.chance(0.6);
    long t = firstResponse(lead, lead.created() + delay, contacted, live);
    if (t < 0) {
      return;
    }
    if (contacted) {
      t += p.minutes(1, 45);
      if (!p.inPeriod(t)) {
        return;
      }
      p.event(lead.id(), t, "contacted", null);
    }
    Next next =
        contacted ? pick(42, 36, 8, "E".equals(lead.score()) ? 60 : 3, 14) : pick(5, 62, 10, 0, 23);
    cycles(lead, next, t);
  }

  /** Attempts of the first-response sequence; returns the last attempt's time, -1 at period end. */
  private long firstResponse(Lead lead, long first, boolean contacted, boolean live) {
    if (!p.inPeriod(first)) {
      return -1;
    }
    p.event(lead.id(), first, "attempted_contact", null);
    int attempts = 1 + p.rng.nextInt(contacted ? 3 : 4);
    long t = first;
    for (int step = 0; step < attempts; step++) {
      if (step > 0) {
        t += p.hours(4, 72);
        if (!p.inPeriod(t)) {
          return -1;
        }
      }
      String channel =
          live ? (step == 0 ? lead.inquiry() : "phone") : Vocab.FIRST_RESPONSE_CHANNELS.pick(p.rng);
      boolean reached = contacted && step == attempts - 1;
      String outcome = reached ? Vocab.reached(channel) : Vocab.unanswered(channel).pick(p.rng);
      p.touch(lead.id(), t, channel, false, outcome, "first_response", step);
    }
    return t;
  }

  private void cycles(Lead lead, Next next, long t) {
    for (int cycle = 1; ; cycle++) {
      if (next != Next.RECYCLED) {
        finish(lead, next, t);
        return;
      }
      long recycled = t + p.days(3, 30);
      if (!p.inPeriod(recycled)) {
        return;
      }
      String reason = Vocab.STALL_REASONS.pick(p.rng);
      p.event(lead.id(), recycled, "recycled", reason);
      t = nurture(lead, recycled, cycle);
      boolean recontacted = p.chance(0.45);
      if (recontacted) {
        t += p.hours(1, 96);
        if (!p.inPeriod(t)) {
          return;
        }
        p.event(lead.id(), t, "contacted", null);
      }
      int again = cycle < MAX_CYCLES ? 1 : 0;
      next = recontacted ? pick(45, 15 * again, 15, 3, 22) : pick(8, 25 * again, 20, 0, 47);
    }
  }

  /**
   * Outreach to the held treated lead, now that the person's next lead is known (created at {@code
   * nextCreated}, {@code Long.MAX_VALUE} if none), then its rows. At the lead's entry, a contact;
   * if delivered, the lead books at a time drawn uniformly between the contact and the end of the
   * response window with {@link Outreach#responseChance} (by its latest recycle's reason before the
   * entry), unless its own lifecycle books it first. Its rows from that booking on are not written
   * (they were drawn, so the person's own stream goes on as without outreach), and the booking
   * comes from the outreach stream. Nothing when the lead never enters or no lead is held.
   */
  void settle(long nextCreated) {
    if (held == null) {
      return;
    }
    Lead lead = held;
    held = null;
    List<PersonContext.StageEvent> events = p.heldEvents;
    long entry =
        StalledLead.entry(
            lead, events, p.history, nextCreated, outreach.firstCutoff(), p.periodEnd);
    Response response = Response.NONE;
    if (entry >= 0) {
      double chance = outreach.responseChance(StalledLead.latestRecycleReason(events, entry));
      response = p.onOutreachStream(() -> respond(lead, entry, chance));
    }
    long own = ownBooking(events);
    long cut = response.booking() < own ? response.booking() : Long.MAX_VALUE;
    p.release(heldFrom, cut);
    if (cut != Long.MAX_VALUE) {
      long contact = response.contact();
      p.onOutreachStream(() -> booking(lead, contact, cut));
    }
  }

  /**
   * The contact at a treated lead's entry and the booking it brings (drawn from the current random
   * source, the outreach stream).
   */
  private Response respond(Lead lead, long entry, double chance) {
    long contact = Outreach.contact(p, lead.id(), entry, Outreach.contactEnd(entry));
    long booking =
        contact >= 0 && p.rng.nextDouble() < chance
            ? p.between(contact + HOUR, Outreach.responseEnd(entry))
            : Long.MAX_VALUE;
    return new Response(contact, booking);
  }

  /** When outreach contacted a lead ({@code -1}: never) and when it booked ({@code MAX}: never). */
  private record Response(long contact, long booking) {
    static final Response NONE = new Response(-1, Long.MAX_VALUE);
  }

  /** When the lead's own lifecycle booked it ({@code Long.MAX_VALUE}: never). */
  private static long ownBooking(List<PersonContext.StageEvent> events) {
    return events.stream()
        .filter(e -> e.stage().equals("booked"))
        .mapToLong(PersonContext.StageEvent::at)
        .min()
        .orElse(Long.MAX_VALUE);
  }

  /** A lead's last step: booked, closed, not a fit, or left open. */
  private void finish(Lead lead, Next next, long t) {
    switch (next) {
      case BOOKED -> book(lead, t);
      case CLOSED_LOST -> closeLost(lead, t + p.days(5, 40));
      case NOT_A_FIT -> {
        long at = t + p.hours(1, 72);
        if (p.inPeriod(at)) {
          p.event(lead.id(), at, "not_a_fit", Vocab.NOT_A_FIT_REASONS.pick(p.rng));
        }
      }
      case OPEN -> {}
      case RECYCLED -> throw new IllegalArgumentException("a recycle is not a last step");
    }
  }

  /** The nurture sequence after a recycle; returns the time of its last touch. */
  private long nurture(Lead lead, long recycled, int cycle) {
    int steps = 2 + p.rng.nextInt(3);
    long t = recycled;
    long last = recycled;
    for (int step = 1; step <= steps; step++) {
      t += step == 1 ? p.hours(1, 48) : p.days(2, 10);
      if (!p.inPeriod(t)) {
        break;
      }
      String channel = nurtureChannel(t);
      String outcome = Vocab.unanswered(channel).pick(p.rng);
      p.touch(lead.id(), t, channel, false, outcome, "recycle_" + cycle, step);
      last = t;
    }
    return last;
  }

  /** Email, SMS or mail where the person allows it, else ads or the patient portal. */
  private String nurtureChannel(long t) {
    int email = p.permitted(PersonContext.EMAIL, t) ? 40 : 0;
    int sms = p.permitted(PersonContext.SMS, t) ? 30 : 0;
    int mail = p.permitted(PersonContext.MAIL, t) ? 8 : 0;
    int r = p.rng.nextInt(email + sms + mail + 22);
    if (r < email) {
      return "email";
    } else if (r < email + sms) {
      return "sms";
    } else if (r < email + sms + mail) {
      return "mail";
    }
    return r % 3 == 0 ? "portal" : "retargeting";
  }

  private void book(Lead lead, long t) {
    booking(lead, t, t + p.logNormal(DAY, 1.0, 10 * MINUTE, 20 * DAY));
  }

  /** The booking decided at {@code t} and made at {@code booked} (nothing after the period). */
  private void booking(Lead lead, long t, long booked) {
    if (!p.inPeriod(booked)) {
      return;
    }
    if (p.chance(0.5)) {
      p.event(lead.id(), t + (booked - t) / 2, "qualified", null);
    }
    p.event(lead.id(), booked, "booked", null);
    appointments.book(lead.id(), lead.serviceLine(), lead.location(), booked, 0);
  }

  private void closeLost(Lead lead, long at) {
    if (p.inPeriod(at)) {
      p.event(lead.id(), at, "closed_lost", Vocab.CLOSED_REASONS.pick(p.rng));
    }
  }

  /** A step drawn by weights: booked, recycled, closed lost, not a fit, open. */
  private Next pick(int... w) {
    int r = p.rng.nextInt(w[0] + w[1] + w[2] + w[3] + w[4]);
    if (r < w[0]) {
      return Next.BOOKED;
    } else if ((r -= w[0]) < w[1]) {
      return Next.RECYCLED;
    } else if ((r -= w[1]) < w[2]) {
      return Next.CLOSED_LOST;
    }
    return r - w[2] < w[3] ? Next.NOT_A_FIT : Next.OPEN;
  }
}
