package io.leadloop.tools.generate;

import static io.leadloop.tools.generate.PersonContext.DAY;
import static io.leadloop.tools.generate.PersonContext.HOUR;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Simulates one person: consent at intake (and later opt-outs), an earlier visit for existing
 * patients, one lead (80%) or several, newsletters and ads, and now and then a do-not-contact
 * entry. Rows are written as they are made; nothing is kept between persons.
 */
final class PersonSimulator {
  private static final double[] OPT_IN = {0.72, 0.55, 0.62, 0.35};

  private final PersonContext p;
  private final AppointmentSimulator appointments;
  private final LeadLifecycle lifecycle;

  PersonSimulator(
      Ids ids, LandingWriters out, long periodStart, long periodEnd, Outreach outreach) {
    this.p = new PersonContext(ids, out, periodStart, periodEnd);
    this.appointments = new AppointmentSimulator(p);
    this.lifecycle = new LeadLifecycle(p, appointments, outreach);
  }

  /** {@code outreachRng}: the person's second stream for outreach, null without outreach. */
  void simulate(long index, SplittableRandom rng, SplittableRandom outreachRng) {
    p.reset(index, rng, outreachRng);
    long firstLead = p.between(p.periodStart, p.periodEnd);
    boolean existingPatient = p.chance(0.12);
    long visit = firstLead - p.days(40, 330);
    long intake = existingPatient ? visit : firstLead + p.between(60, 1800);
    consent(intake, existingPatient ? "intake_form" : "web_form");
    String firstServiceLine = Vocab.SERVICE_LINES.pick(p.rng);
    if (existingPatient) {
      String sl = p.chance(0.6) ? "primary_care" : firstServiceLine;
      appointments.book(null, sl, null, visit, 1);
    }
    leads(firstLead, firstServiceLine);
    marketing(firstLead);
    if (p.chance(0.012)) {
      long added = p.between(firstLead, p.periodEnd);
      Long expires = p.chance(0.45) ? added + p.days(14, 400) : null;
      String[] row = {
        p.personId,
        p.code(Vocab.SUPPRESSION_REASONS.pick(p.rng)),
        p.ts(added),
        expires == null ? null : p.ts(expires)
      };
      p.out.emit(Table.SUPPRESSION, LandingWriters.ROUTE_MAIN, row);
    }
  }

  /** Opt-ins per channel at intake; some are withdrawn later (and a few given again). */
  private void consent(long intake, String source) {
    for (int ch = 0; ch < OPT_IN.length; ch++) {
      if (!p.chance(OPT_IN[ch])) {
        continue;
      }
      long at = intake + p.between(0, 120);
      p.optInAt[ch] = at;
      p.consent(ch, "opt_in", at, source);
      if (p.chance(0.07) && p.inPeriod(at + DAY)) {
        long optOut = p.between(at + DAY, p.periodEnd);
        p.optOutAt[ch] = optOut;
        p.consent(ch, "opt_out", optOut, Vocab.OPT_OUT_SOURCES.pick(p.rng));
        if (p.chance(0.15) && p.inPeriod(optOut + DAY)) {
          p.consent(ch, "opt_in", p.between(optOut + DAY, p.periodEnd), "preference_center");
        }
      }
    }
  }

  /**
   * The person's leads, one after the other. A treated lead's outreach is settled once the next
   * lead's creation is drawn (its entry needs it to be the newest lead) and before the next lead
   * writes anything.
   */
  private void leads(long firstLead, String firstServiceLine) {
    int count = p.chance(0.8) ? 1 : 2 + p.rng.nextInt(3);
    long created = firstLead;
    String serviceLine = firstServiceLine;
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        created += p.days(7, 150);
        lifecycle.settle(created);
        if (!p.inPeriod(created)) {
          return;
        }
        serviceLine = p.chance(0.5) ? serviceLine : Vocab.SERVICE_LINES.pick(p.rng);
      }
      lifecycle.run(lead(created, serviceLine));
    }
    lifecycle.settle(Long.MAX_VALUE);
  }

  /** Writes a lead (sometimes with a later version) and returns it for the lifecycle. */
  private LeadLifecycle.Lead lead(long created, String serviceLine) {
    String id = p.ids.lead();
    String source = Vocab.SOURCES.pick(p.rng);
    String inquiry = Vocab.INQUIRY_CHANNELS.pick(p.rng);
    Weighted campaigns = Vocab.CAMPAIGNS_OTHER;
    switch (source) {
      case "referral" -> inquiry = p.chance(0.5) ? "referral_form" : inquiry;
      case "event" -> {
        inquiry = p.chance(0.7) ? "event_signup" : inquiry;
        campaigns = Vocab.CAMPAIGNS_EVENT;
      }
      case "social" -> {
        inquiry = p.chance(0.5) ? "social_message" : inquiry;
        campaigns = Vocab.CAMPAIGNS_SOCIAL;
      }
      case "paid_search" -> campaigns = Vocab.CAMPAIGNS_PAID;
      default -> {}
    }
    String audience = Vocab.AUDIENCES.pick(p.rng);
    if (inquiry.equals("referral_form") && p.chance(0.4)) {
      audience = "referral_partner";
    }
    String location = Vocab.LOCATIONS.pick(p.rng);
    String score = Vocab.SCORES.pick(p.rng);
    String[] row = {
      id,
      p.personId,
      p.ts(created),
      p.chance(0.2) ? p.ts(created) : null,
      p.code(source),
      p.vocab(inquiry),
      p.code(campaigns.pick(p.rng)),
      p.code(serviceLine),
      p.code(location),
      p.vocab(audience),
      p.vocab(Vocab.INTENTS.pick(p.rng)),
      score,
      Vocab.LANGUAGES.pick(p.rng)
    };
    int route = p.index % 10 == 0 ? LandingWriters.ROUTE_ALTERNATE : LandingWriters.ROUTE_MAIN;
    p.out.emit(Table.LEADS, route, row);
    String firstScore = score;
    long rescoredAt = Long.MAX_VALUE;
    long updated = created + p.between(HOUR, 20 * DAY);
    if (p.chance(0.12) && p.inPeriod(updated)) {
      // The CRM re-scored the lead: a new version of the same lead_id.
      String[] version = row.clone();
      version[2] = p.ts(created);
      version[3] = p.ts(updated);
      score = Vocab.SCORES.pick(p.rng);
      version[11] = score;
      p.out.emit(Table.LEADS, route, version);
      rescoredAt = updated;
    }
    String intent = row[10] == null ? null : row[10].toLowerCase(Locale.ROOT);
    return new LeadLifecycle.Lead(
        id,
        created,
        serviceLine,
        location,
        inquiry,
        score,
        firstScore,
        rescoredAt,
        intent,
        audience);
  }

  /** Newsletters to those who allow email, site retargeting ads for some. */
  private void marketing(long firstLead) {
    if (p.permitted(PersonContext.EMAIL, firstLead) && p.chance(0.35)) {
      int n = 1 + p.rng.nextInt(6);
      for (int i = 0; i < n; i++) {
        long at = p.between(firstLead, p.periodEnd);
        if (p.permitted(PersonContext.EMAIL, at)) {
          String outcome = Vocab.unanswered("email").pick(p.rng);
          p.touch(null, at, "email", false, outcome, "newsletter", -1);
        }
      }
    }
    if (p.chance(0.2)) {
      int n = 1 + p.rng.nextInt(5);
      for (int i = 0; i < n; i++) {
        long at = firstLead + p.between(HOUR, 60 * DAY);
        if (p.inPeriod(at)) {
          String outcome = Vocab.unanswered("retargeting").pick(p.rng);
          p.touch(null, at, "retargeting", false, outcome, "site_retargeting", -1);
        }
      }
    }
  }
}
