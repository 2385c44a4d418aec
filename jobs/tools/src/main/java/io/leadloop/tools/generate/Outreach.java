package io.leadloop.tools.generate;

import static io.leadloop.tools.generate.PersonContext.DAY;

import io.leadloop.common.metrics.Holdouts;
import java.time.ZoneOffset;

/**
 * Outreach to stalled leads that works, where the pipeline measures it, so that a holdout run shows
 * a lift that is really there. The pipeline enters a lead's episode ({@code
 * stalled_lead:<lead_id>}, outcomes.md) at the first published as-of at which it is a member, and
 * counts it booked when the person books within the outcome window from that cutoff. So, when the
 * effect is above 0, a treated lead gets, at that entry ({@link StalledLead#entry}: the first
 * published cutoff at which it is at least 2 days old, without a booking, still open and the
 * person's newest lead, and not excluded), one outbound contact within {@value #CONTACT_DAYS} days,
 * and then books within {@value #RESPONSE_DAYS} days of the entry with chance {@link
 * #responseChance}, unless it books by itself first; what its own lifecycle would have done from
 * that booking on is drawn but not written. A held-out episode gets neither, and a lead that never
 * enters gets nothing. With effect 0 nothing is simulated and the files are those of a run without
 * these options.
 *
 * <p>The uplift is relative to {@link #BOOKING_CHANCE}, not to the lead's own chance to book in the
 * window: most members are leads the CRM left open, which in this simulation never book by
 * themselves, and outreach is what revives them. The offer is taken up with {@code effect ×
 * relativeUplift(reason) × 0.2465}: what that uplift adds to one decision of the CRM after a stall.
 *
 * <p>The episode's group is drawn with {@link Holdouts#isHoldout} as the pipeline draws it.
 * Outreach draws from the person's second random stream, so held-out leads, and everything else the
 * person does, are written as without it.
 */
final class Outreach {
  /** The touch campaign of outreach contacts. */
  static final String CAMPAIGN = "reactivation";

  /** The outreach contact comes within this many days of the entry cutoff (a list's Monday). */
  static final int CONTACT_DAYS = 2;

  /**
   * A treated lead that takes up the offer books within this many days of its entry cutoff: the
   * outcome window the demo measures ({@code outcome_window_days: 14} in {@code demo/config.yaml}),
   * so that every booking outreach adds falls inside it.
   */
  static final int RESPONSE_DAYS = 14;

  /**
   * A decision of the CRM after a stall books with {@code 0.45 × 0.45 + 0.55 × 0.08 = 0.2465}
   * (recontacted or not, {@link LeadLifecycle}'s weights): the chance the relative uplift applies
   * to.
   */
  static final double BOOKING_CHANCE = 0.2465;

  /** stalled_lead's default channel preference (segments.md): the first permitted one is used. */
  private static final int[] CHANNELS = {
    PersonContext.PHONE, PersonContext.EMAIL, PersonContext.SMS, PersonContext.MAIL
  };

  /** Outcomes of a contact that was delivered (none bounced, failed or unsubscribed). */
  private static final Weighted PHONE = Weighted.of("answered 35, voicemail 65");

  private static final Weighted EMAIL = Weighted.of("delivered 50, opened 40, clicked 10");
  private static final Weighted SMS = Weighted.of("delivered 85, clicked 15");
  private static final Weighted MAIL = Weighted.of("sent 100");

  private final String salt;
  private final int shareBasisPoints;
  private final double effect;
  private final long firstCutoff;

  /**
   * @param firstCutoff the cutoff of the first published as-of (its next day's start, UTC), epoch
   *     seconds; the next ones follow every week
   */
  Outreach(String salt, int shareBasisPoints, double effect, long firstCutoff) {
    this.salt = salt;
    this.shareBasisPoints = shareBasisPoints;
    this.effect = effect;
    this.firstCutoff = firstCutoff;
  }

  static Outreach of(GenerateOptions o) {
    long cutoff = o.publishedFrom().plusDays(1).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    return new Outreach(o.holdoutSalt(), o.holdoutBasisPoints(), o.outreachEffect(), cutoff);
  }

  /** Whether outreach is simulated at all; with effect 0 the generator runs as without it. */
  boolean active() {
    return effect > 0;
  }

  long firstCutoff() {
    return firstCutoff;
  }

  /** Whether the lead's stalled_lead episode is treatment: outcomes.md's draw, exactly. */
  boolean treated(String leadId) {
    return !Holdouts.isHoldout(salt, "stalled_lead:" + leadId, shareBasisPoints);
  }

  /** The relative uplift of outreach to a lead whose latest recycle had this reason (or none). */
  double uplift(String reason) {
    return effect * relativeUplift(reason);
  }

  /** The chance that a treated lead reached at its entry books within the response window. */
  double responseChance(String reason) {
    return uplift(reason) * BOOKING_CHANCE;
  }

  /**
   * The uplift at effect 1, by the reason of the lead's latest recycle before its entry, whose
   * reason picks the pipeline's next step. Outreach removes some obstacles better than others:
   * {@code no_time_slot} gets {@code new_availability}, which removes the very reason the lead
   * stalled, so it gets the most; {@code pricing_unclear} gets {@code cost_estimate}, which informs
   * but does not lower the price, so it gets the least; the other reasons (a callback window, a
   * coverage check, referral help, the scheduling link) and a lead never recycled get a middle
   * value.
   */
  static double relativeUplift(String reason) {
    if ("no_time_slot".equals(reason)) {
      return 0.40;
    }
    if ("pricing_unclear".equals(reason)) {
      return 0.10;
    }
    return 0.20;
  }

  /**
   * The outbound contact: at a time in {@code [from, to)} (none after the period), on the first
   * channel the person permits then in stalled_lead's preference order. Draws from the person's
   * current random source (the caller switches it to the outreach stream).
   *
   * @return the contact's time, or -1 when none was delivered
   */
  static long contact(PersonContext p, String leadId, long from, long to) {
    long at = p.between(from, to);
    if (!p.inPeriod(at)) {
      return -1;
    }
    for (int ch : CHANNELS) {
      if (p.permitted(ch, at)) {
        String channel = PersonContext.CONSENT_CHANNELS[ch];
        String outcome =
            switch (ch) {
              case PersonContext.PHONE -> PHONE.pick(p.rng);
              case PersonContext.EMAIL -> EMAIL.pick(p.rng);
              case PersonContext.SMS -> SMS.pick(p.rng);
              default -> MAIL.pick(p.rng);
            };
        p.touch(leadId, at, channel, false, outcome, CAMPAIGN, -1);
        return at;
      }
    }
    return -1;
  }

  /** The contact's window: {@value #CONTACT_DAYS} days from the entry cutoff. */
  static long contactEnd(long entry) {
    return entry + CONTACT_DAYS * DAY;
  }

  /** The response window's end: {@value #RESPONSE_DAYS} days from the entry cutoff. */
  static long responseEnd(long entry) {
    return entry + RESPONSE_DAYS * DAY;
  }
}
