package io.leadloop.tools.generate;

import io.leadloop.common.metrics.Holdouts;

/**
 * Outreach to stalled leads that works, so that a holdout run shows a lift that is really there.
 * When the effect is above 0, a stall (a {@code recycled} event) of a lead whose episode is
 * treatment gets an outbound contact soon after it, and the chance to book at the decision that
 * follows the stall is raised by {@code effect × relativeUplift(reason)}, relative; a held-out
 * episode gets neither. With effect 0 nothing is simulated and the files are those of a run without
 * these options.
 *
 * <p>The episode is {@code stalled_lead:<lead_id>}, drawn with {@link Holdouts#isHoldout} as the
 * pipeline draws it. The pipeline takes a person's newest lead as of each weekly cutoff; the
 * generator does not know the cutoffs, so it draws per lead: a person's newest lead is the episode
 * the pipeline will see, and an older lead's draw only matters while it was the newest.
 */
final class Outreach {
  /** The touch campaign of outreach contacts. */
  static final String CAMPAIGN = "reactivation";

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

  Outreach(String salt, int shareBasisPoints, double effect) {
    this.salt = salt;
    this.shareBasisPoints = shareBasisPoints;
    this.effect = effect;
  }

  static Outreach of(GenerateOptions o) {
    return new Outreach(o.holdoutSalt(), o.holdoutBasisPoints(), o.outreachEffect());
  }

  /** Whether outreach is simulated at all; with effect 0 the generator runs as without it. */
  boolean active() {
    return effect > 0;
  }

  /** Whether the lead's stalled_lead episode is treatment: outcomes.md's draw, exactly. */
  boolean treated(String leadId) {
    return !Holdouts.isHoldout(salt, "stalled_lead:" + leadId, shareBasisPoints);
  }

  /** The relative uplift of the chance to book after a stall with this reason. */
  double uplift(String reason) {
    return effect * relativeUplift(reason);
  }

  /**
   * The uplift at effect 1, by the reason of the stall (the latest recycle, whose reason picks the
   * pipeline's next step). Outreach removes some obstacles better than others: {@code no_time_slot}
   * gets {@code new_availability}, which removes the very reason the lead stalled, so it gets the
   * most; {@code pricing_unclear} gets {@code cost_estimate}, which informs but does not lower the
   * price, so it gets the least; the other reasons (a callback window, a coverage check, referral
   * help, the scheduling link) get a middle value.
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
   * The outbound contact after a stall: at a time in {@code [from, to)} (none after the period), on
   * the first channel the person permits then in stalled_lead's preference order. Draws from the
   * person's current random source (the caller switches it to the outreach stream).
   *
   * @return whether a contact was delivered
   */
  static boolean contact(PersonContext p, String leadId, long from, long to) {
    long at = p.between(from, to);
    if (!p.inPeriod(at)) {
      return false;
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
        return true;
      }
    }
    return false;
  }
}
