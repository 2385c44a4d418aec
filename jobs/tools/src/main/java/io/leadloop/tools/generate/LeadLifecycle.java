package io.leadloop.tools.generate;

import static io.leadloop.tools.generate.PersonContext.DAY;
import static io.leadloop.tools.generate.PersonContext.HOUR;
import static io.leadloop.tools.generate.PersonContext.MINUTE;

/**
 * One lead's life in the CRM: {@code new}, the first response (touches with a long-tailed delay;
 * some leads are never touched), {@code attempted_contact}, {@code contacted}, then booked, closed,
 * left open, or recycled with a stall reason into a nurture sequence, possibly several times. Every
 * step stops at the end of the simulated period. A recycle is the stall that {@link Outreach} acts
 * on for treated leads.
 */
final class LeadLifecycle {
  /** A lead as the lifecycle needs it. */
  record Lead(
      String id, long created, String serviceLine, String location, String inquiry, String score) {}

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

  LeadLifecycle(PersonContext p, AppointmentSimulator appointments, Outreach outreach) {
    this.p = p;
    this.appointments = appointments;
    this.outreach = outreach;
  }

  void run(Lead lead) {
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
    Boolean treated = null; // the lead's episode draw, made at its first stall
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
      double uplift = 0;
      if (outreach.active()) {
        treated = treated != null ? treated : outreach.treated(lead.id());
        uplift = treated ? reachOut(lead, recycled, t, reason) : 0;
      }
      boolean recontacted = p.chance(0.45);
      if (recontacted) {
        t += p.hours(1, 96);
        if (!p.inPeriod(t)) {
          return;
        }
        p.event(lead.id(), t, "contacted", null);
      }
      int again = cycle < MAX_CYCLES ? 1 : 0;
      int[] weights =
          recontacted
              ? new int[] {45, 15 * again, 15, 3, 22}
              : new int[] {8, 25 * again, 20, 0, 47};
      next = pick(weights);
      if (uplift > 0 && converted(next, weights, uplift)) {
        // The outreach booked the lead first: what the CRM would have done instead is drawn but
        // not written, and the booking comes from the outreach stream, so that the person's own
        // stream (the person's other leads, holdout ones included) goes on as without outreach.
        Next instead = next;
        long at = t;
        p.unwritten(() -> finish(lead, instead, at));
        p.onOutreachStream(() -> book(lead, at));
        return;
      }
    }
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

  /**
   * Outreach to a treated stall: a contact between an hour after the recycle and the end of the
   * nurture sequence (before the decision that follows), drawn from the outreach stream.
   *
   * @return the relative uplift of the chance to book at that decision; 0 when no channel was
   *     permitted (no outreach delivered, nothing to work)
   */
  private double reachOut(Lead lead, long recycled, long nurtureEnd, String reason) {
    boolean[] delivered = new boolean[1];
    p.onOutreachStream(
        () -> delivered[0] = Outreach.contact(p, lead.id(), recycled + HOUR, nurtureEnd));
    return delivered[0] ? outreach.uplift(reason) : 0;
  }

  /**
   * Whether outreach turns a decision that did not book into a booking. Only closed, not-a-fit and
   * open outcomes are turned, with chance {@code uplift × booked / (closed + not a fit + open)}
   * (weights of the decision), so that the chance to book becomes {@code (1 + uplift) × booked /
   * total} and the chance to recycle again stays: every stall's chance to book is raised by exactly
   * the relative uplift. The largest uplift (0.8, at the largest effect) keeps the chance at most
   * {@code 0.8 × 45 / 40 = 0.9}.
   */
  private boolean converted(Next next, int[] weights, double uplift) {
    if (next == Next.BOOKED || next == Next.RECYCLED) {
      return false;
    }
    double chance = uplift * weights[0] / (weights[2] + weights[3] + weights[4]);
    return p.outreachRng.nextDouble() < chance;
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
    long booked = t + p.logNormal(DAY, 1.0, 10 * MINUTE, 20 * DAY);
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
