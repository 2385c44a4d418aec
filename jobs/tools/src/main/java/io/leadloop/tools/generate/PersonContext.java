package io.leadloop.tools.generate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * The state of the person being simulated (random source, id, consent) and the helpers every part
 * of the simulation shares: random times, messy value spellings, and writing rows.
 */
final class PersonContext {
  static final long MINUTE = 60;
  static final long HOUR = 3600;
  static final long DAY = 86_400;
  static final int EMAIL = 0;
  static final int SMS = 1;
  static final int PHONE = 2;
  static final int MAIL = 3;
  static final String[] CONSENT_CHANNELS = {"email", "sms", "phone", "mail"};

  final Ids ids;
  final LandingWriters out;

  /** The simulated period, epoch seconds: every event time lies in {@code [.., periodEnd)}. */
  final long periodStart;

  final long periodEnd;
  final long[] optInAt = new long[4];
  final long[] optOutAt = new long[4];
  SplittableRandom rng;

  /**
   * The person's second stream, for what only outreach does (null without outreach): drawing from
   * it leaves {@link #rng} as it would be without outreach.
   */
  SplittableRandom outreachRng;

  long index;
  String personId;

  /** The person's appointments and contacts so far (held rows too, until a release drops them). */
  final PersonHistory history = new PersonHistory();

  /** The stage events of the lead whose rows are held ({@link #holdLead}), else null. */
  List<StageEvent> heldEvents;

  private String heldLead;

  /** A stage event as the lifecycle drew it ({@code reason} as drawn, not as spelled). */
  record StageEvent(long at, String stage, String reason) {}

  PersonContext(Ids ids, LandingWriters out, long periodStart, long periodEnd) {
    this.ids = ids;
    this.out = out;
    this.periodStart = periodStart;
    this.periodEnd = periodEnd;
  }

  void reset(long index, SplittableRandom rng, SplittableRandom outreachRng) {
    this.index = index;
    this.rng = rng;
    this.outreachRng = outreachRng;
    this.personId = ids.person(index);
    Arrays.fill(optInAt, Long.MAX_VALUE);
    Arrays.fill(optOutAt, Long.MAX_VALUE);
    history.clear();
  }

  /**
   * Holds back the rows of the lead's lifecycle ({@link LandingWriters#hold}) and records its stage
   * events, until {@link #release}.
   *
   * @return where the person's history stood, for {@link #release}
   */
  PersonHistory.Mark holdLead(String leadId) {
    out.hold();
    heldLead = leadId;
    heldEvents = new ArrayList<>();
    return history.mark();
  }

  /** Writes the held rows before {@code cut} and forgets the others (also in the history). */
  void release(PersonHistory.Mark mark, long cut) {
    out.release(cut);
    history.cut(mark, cut);
    heldLead = null;
    heldEvents = null;
  }

  /**
   * Runs {@code part} with the outreach stream as the random source of its rows and of their bad
   * rows; the person's own streams are left where they were.
   */
  void onOutreachStream(Runnable part) {
    onOutreachStream(
        () -> {
          part.run();
          return null;
        });
  }

  /** As {@link #onOutreachStream(Runnable)}, for a part that draws a value. */
  <T> T onOutreachStream(Supplier<T> part) {
    SplittableRandom own = rng;
    SplittableRandom ownBad = out.useBadRandom(outreachRng);
    rng = outreachRng;
    try {
      return part.get();
    } finally {
      rng = own;
      out.useBadRandom(ownBad);
    }
  }

  boolean chance(double p) {
    return rng.nextDouble() < p;
  }

  /** Uniform in {@code [lo, hi)}; {@code lo} when the range is empty. */
  long between(long lo, long hi) {
    return hi <= lo ? lo : rng.nextLong(lo, hi);
  }

  long minutes(long lo, long hi) {
    return between(lo * MINUTE, hi * MINUTE);
  }

  long hours(long lo, long hi) {
    return between(lo * HOUR, hi * HOUR);
  }

  long days(long lo, long hi) {
    return between(lo * DAY, hi * DAY);
  }

  /** Log-normal seconds with the given median, clamped to {@code [min, max]}. */
  long logNormal(double medianSeconds, double sigma, long min, long max) {
    // Box-Muller with StrictMath: identical bits on every JVM and platform.
    double u = 1.0 - rng.nextDouble();
    double z =
        StrictMath.sqrt(-2.0 * StrictMath.log(u)) * StrictMath.cos(2 * Math.PI * rng.nextDouble());
    double v = medianSeconds * StrictMath.exp(sigma * z);
    return Math.max(min, Math.min(max, (long) v));
  }

  boolean inPeriod(long t) {
    return t < periodEnd;
  }

  String ts(long t) {
    return TimeFormat.mixed(t, rng);
  }

  /** A code as exports spell it: mostly clean, sometimes {@code Paid Search}, upper, hyphens. */
  String code(String v) {
    if (v == null) {
      return null;
    }
    int r = rng.nextInt(100);
    if (r < 94) {
      return v;
    } else if (r < 97) {
      StringBuilder sb = new StringBuilder(v.length());
      for (String word : v.split("_")) {
        sb.append(sb.length() == 0 ? "" : " ");
        sb.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
      }
      return sb.toString();
    } else if (r < 99) {
      return v.toUpperCase(Locale.ROOT);
    }
    return v.replace('_', '-');
  }

  /** A closed-vocabulary value: compared case-insensitively, so now and then upper case. */
  String vocab(String v) {
    return v != null && rng.nextInt(100) < 2 ? v.toUpperCase(Locale.ROOT) : v;
  }

  boolean permitted(int channel, long t) {
    return optInAt[channel] <= t && t < optOutAt[channel];
  }

  void event(String leadId, long at, String stage, String reason) {
    out.emit(
        Table.LEAD_EVENTS,
        LandingWriters.ROUTE_MAIN,
        new String[] {ids.event(), leadId, ts(at), vocab(stage), code(reason)},
        at);
    if (leadId.equals(heldLead)) {
      heldEvents.add(new StageEvent(at, stage, reason));
    }
  }

  /** A touch ({@code step} -1: no sequence step); an unsubscribe also ends that consent. */
  void touch(
      String leadId,
      long at,
      String channel,
      boolean inbound,
      String outcome,
      String campaign,
      int step) {
    long n = ids.nextTouch();
    String direction = inbound ? "inbound" : chance(0.2) ? null : "outbound";
    String written = "sent".equals(outcome) && chance(0.3) ? null : outcome;
    String[] row = {
      ids.touch(n),
      personId,
      leadId,
      ts(at),
      vocab(channel),
      direction,
      vocab(written),
      code(campaign),
      step < 0 ? null : Integer.toString(step)
    };
    out.emit(Table.TOUCHES, (int) (n & 1), row, at);
    int ch = consentIndex(channel);
    if (!inbound && ch >= 0 && !"bounced".equals(outcome) && !"failed".equals(outcome)) {
      history.contact(at);
    }
    if ("unsubscribed".equals(outcome) && ch >= 0 && at < optOutAt[ch]) {
      optOutAt[ch] = at;
      if (chance(0.5)) {
        consent(ch, "opt_out", at, "unsubscribe_link");
      }
    }
  }

  /** The consent channel index of a touch channel, or -1 (retargeting, portal, chat). */
  static int consentIndex(String channel) {
    return switch (channel) {
      case "email" -> EMAIL;
      case "sms" -> SMS;
      case "phone" -> PHONE;
      case "mail" -> MAIL;
      default -> -1;
    };
  }

  void consent(int channel, String status, long at, String source) {
    out.emit(
        Table.CONSENT,
        LandingWriters.ROUTE_MAIN,
        new String[] {personId, vocab(CONSENT_CHANNELS[channel]), status, ts(at), code(source)});
  }
}
