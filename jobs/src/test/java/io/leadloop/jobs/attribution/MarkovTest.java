package io.leadloop.jobs.attribution;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.leadloop.common.SparkTestBase;
import io.leadloop.common.config.ConfigLoader;
import io.leadloop.common.config.LeadloopConfig;
import io.leadloop.common.schema.Entity;
import io.leadloop.jobs.Fixture;
import io.leadloop.jobs.facts.Facts;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * The markov model from journeys to credits, on small fixtures as of 2026-06-30 (cutoff 2026-07-01
 * 00:00Z), W = 90 days, L = 30 days: a lead created on 2026-03-01 has its window until 2026-05-30,
 * one created on 2026-06-01 has not had it yet.
 */
class MarkovTest extends SparkTestBase {
  private static final LeadloopConfig UTC = ConfigLoader.defaults();
  private static final String AS_OF = "2026-06-30";

  /** What the model computes from a fixture's facts. */
  private record Model(
      Map<String, String> paths,
      Map<String, Long> transitions,
      Map<String, Double> credit,
      Map<String, Double> byWeek,
      Map<String, String> effects) {}

  private static Model run(Fixture fx) {
    Facts f = fx.facts(spark(), UTC, AS_OF);
    Dataset<Row> touches = f.get(Entity.TOUCHES).cache();
    Dataset<Row> appts = f.appointments().cache();
    // cached: each map below would otherwise build the facts again
    Dataset<Row> paths =
        Journeys.paths(f.leads(), appts, touches, Fixture.cutoff(UTC, AS_OF), 90, 30).cache();
    Dataset<Row> effects = Markov.removalEffects(Journeys.transitions(paths)).cache();
    Dataset<Row> credits =
        Markov.credits(Attribution.credits(appts, touches, 30, new BigDecimal("7")), effects)
            .cache();
    Map<String, String> p = new TreeMap<>();
    paths.collectAsList().forEach(r -> p.put(r.getString(0), r.getBoolean(1) + " " + r.getList(2)));
    Map<String, Long> t = new TreeMap<>();
    Journeys.transitions(paths)
        .collectAsList()
        .forEach(r -> t.put(r.getString(0) + ">" + r.getString(1), r.getLong(2)));
    Map<String, Double> c = new TreeMap<>();
    credits
        .collectAsList()
        .forEach(r -> c.put(r.getString(0) + "/" + r.getString(3), r.getDouble(6)));
    Map<String, Double> w = new TreeMap<>();
    credits
        .groupBy(col("booking_week").cast("string"))
        .agg(sum("credit"))
        .collectAsList()
        .forEach(r -> w.put(r.getString(0), r.getDouble(1)));
    Map<String, String> e = new TreeMap<>();
    Markov.channelRemovalEffects(Journeys.channels(paths), effects, credits)
        .collectAsList()
        .forEach(r -> e.put(r.getString(0), r.mkString("|")));
    for (Dataset<Row> d : List.of(touches, appts, paths, effects, credits)) {
      d.unpersist();
    }
    return new Model(p, t, c, w, e);
  }

  private static void lead(Fixture fx, String p, String lead, String created) {
    fx.lead("lead_id=" + lead + "; person_id=" + p + "; created_at=" + created);
  }

  private static void booking(Fixture fx, String id, String p, String lead, String at, String st) {
    fx.appt(
        "appointment_id="
            + id
            + "; person_id="
            + p
            + "; lead_id="
            + lead
            + "; booked_at="
            + at
            + "; scheduled_start=2026-06-20T00:00Z; status="
            + st);
  }

  private static void touch(Fixture fx, String id, String p, String at, String channel, String x) {
    fx.touch(
        "touch_id=" + id + "; person_id=" + p + "; occurred_at=" + at + "; channel=" + channel + x);
  }

  /**
   * Journeys [email] → conversion (PA), [sms] → null (PB, whose only booking was cancelled),
   * [email, sms] → conversion (PC); and conversions that form no journey: P0 (no touch), PW (its
   * window has not passed; mail and retargeting, both outside the chain), PS (converted through its
   * second lead LS2; the first, LS1, is no journey, and the phone touch naming LS1 is not in LS2's
   * path).
   */
  @Test
  void threePathsAndConversionsOutsideTheChain() {
    Fixture fx = new Fixture();
    for (String p : new String[] {"PA", "PB", "PC", "P0"}) {
      lead(fx, p, "L" + p, "2026-03-01T00:00Z");
    }
    booking(fx, "APA", "PA", "LPA", "2026-03-10T00:00Z", "fulfilled");
    touch(fx, "TA1", "PA", "2026-03-05T00:00Z", "email", "; lead_id=LPA");
    booking(fx, "APB", "PB", "LPB", "2026-03-10T00:00Z", "cancelled");
    touch(fx, "TB1", "PB", "2026-03-05T00:00Z", "sms", "");
    touch(fx, "TB2", "PB", "2026-03-06T00:00Z", "email", "; outcome=bounced");
    // PC: two touches at the same instant, in touch_id order (email, sms), listed the other way
    touch(fx, "TC2", "PC", "2026-03-05T00:00Z", "sms", "");
    touch(fx, "TC1", "PC", "2026-03-05T00:00Z", "email", "");
    booking(fx, "APC", "PC", "LPC", "2026-03-10T00:00Z", "booked");
    booking(fx, "AP0", "P0", "LP0", "2026-03-10T00:00Z", "noshow");
    lead(fx, "PW", "LPW", "2026-06-01T00:00Z");
    touch(fx, "TW1", "PW", "2026-06-02T00:00Z", "mail", "");
    touch(fx, "TW2", "PW", "2026-06-03T00:00Z", "retargeting", "");
    booking(fx, "APW", "PW", "LPW", "2026-06-05T00:00Z", "booked");
    lead(fx, "PS", "LS1", "2026-03-01T00:00Z");
    lead(fx, "PS", "LS2", "2026-03-20T00:00Z");
    touch(fx, "TS1", "PS", "2026-03-02T00:00Z", "phone", "; lead_id=LS1");
    booking(fx, "APS", "PS", "LS2", "2026-03-25T00:00Z", "booked");
    Model m = run(fx);

    assertThat(m.paths())
        .containsExactlyEntriesOf(
            new TreeMap<>(
                Map.of("LPA", "true [email]", "LPB", "false [sms]", "LPC", "true [email, sms]")));
    // RE_email = 0.75, RE_sms = 0.5 (RemovalEffectsTest.threePaths): APC splits 0.75 : 0.5.
    assertThat(m.credit().get("APC/email")).isCloseTo(0.6, within(1e-12));
    assertThat(m.credit().get("APC/sms")).isCloseTo(0.4, within(1e-12));
    assertThat(m.credit()).containsEntry("APA/email", 1.0).containsEntry("AP0/none", 1.0);
    // outside the chain (RE 0 each, summing to 0): an equal split
    assertThat(m.credit()).containsEntry("APW/mail", 0.5).containsEntry("APW/retargeting", 0.5);
    // the phone touch is LS1's for the journeys, but the person's for APS's attribution
    assertThat(m.credit()).containsEntry("APS/phone", 1.0).doesNotContainKey("APB/sms");
    // weeks: 2026-03-09 APA, APC, AP0; 2026-03-23 APS; 2026-06-01 APW
    assertThat(m.byWeek().keySet()).containsExactly("2026-03-09", "2026-03-23", "2026-06-01");
    assertThat(m.byWeek().get("2026-03-09")).isCloseTo(3.0, within(1e-12));
    assertThat(m.byWeek().get("2026-03-23")).isCloseTo(1.0, within(1e-12));
    assertThat(m.byWeek().get("2026-06-01")).isCloseTo(1.0, within(1e-12));
    // channel | paths | conversions | removal_effect | re_share (RE / 1.25) | bookings_credited
    assertThat(m.effects())
        .containsExactlyEntriesOf(
            new TreeMap<>(
                Map.of(
                    "email", "email|2|2|0.7500|0.6000|1.6000",
                    "sms", "sms|2|1|0.5000|0.4000|0.4000",
                    "phone", "phone|0|0|0.0000|0.0000|1.0000",
                    "mail", "mail|0|0|0.0000|0.0000|0.5000",
                    "retargeting", "retargeting|0|0|0.0000|0.0000|0.5000")));
  }

  /**
   * Journeys [phone, phone] → conversion (Q1: a self-loop), [phone] → null (Q2), [mail] → null (Q3)
   * and [sms] → null (Q7: booked after its window, so not converting). phone: x = x/3 + 1/3 = 1/2;
   * start: phone 2/4, mail 1/4, sms 1/4: P = 1/4. Without phone P = 0 (RE 1); mail and sms lead
   * only to null (RE 0).
   */
  @Test
  void selfLoopWindowEdgesAndChannelsOnlyOnPathsThatDoNotConvert() {
    Fixture fx = new Fixture();
    lead(fx, "Q1", "LQ1", "2026-03-01T00:00Z");
    touch(fx, "T11", "Q1", "2026-01-30T00:00Z", "phone", ""); // created - L: in
    touch(fx, "T10", "Q1", "2026-01-29T23:59:59Z", "sms", ""); // before created - L: out
    touch(fx, "T12", "Q1", "2026-03-05T00:00Z", "phone", "");
    touch(fx, "T13", "Q1", "2026-03-10T00:00:01Z", "email", ""); // after the conversion: out
    booking(fx, "AQ1", "Q1", "LQ1", "2026-03-10T00:00Z", "arrived");
    lead(fx, "Q2", "LQ2", "2026-03-01T00:00Z");
    touch(fx, "T21", "Q2", "2026-05-30T00:00Z", "phone", ""); // created + W: in
    touch(fx, "T22", "Q2", "2026-05-30T00:00:01Z", "mail", ""); // after created + W: out
    lead(fx, "Q3", "LQ3", "2026-04-02T00:00Z"); // created + W = the cutoff: a journey
    touch(fx, "T31", "Q3", "2026-04-03T00:00Z", "mail", "");
    lead(fx, "Q6", "LQ6", "2026-04-02T00:00:01Z"); // a second short of its window: none
    touch(fx, "T61", "Q6", "2026-04-03T00:00Z", "mail", "");
    lead(fx, "Q7", "LQ7", "2026-01-01T00:00Z");
    touch(fx, "T71", "Q7", "2026-03-20T00:00Z", "sms", "");
    booking(fx, "AQ7", "Q7", "LQ7", "2026-04-10T00:00Z", "booked");
    // conversions of leads whose window has not passed: Q4 phone and mail, Q5 mail and sms
    lead(fx, "Q4", "LQ4", "2026-06-01T00:00Z");
    touch(fx, "T41", "Q4", "2026-06-02T00:00Z", "phone", "");
    touch(fx, "T42", "Q4", "2026-06-03T00:00Z", "mail", "");
    booking(fx, "AQ4", "Q4", "LQ4", "2026-06-05T00:00Z", "booked");
    lead(fx, "Q5", "LQ5", "2026-06-01T00:00Z");
    touch(fx, "T51", "Q5", "2026-06-02T00:00Z", "mail", "");
    touch(fx, "T52", "Q5", "2026-06-03T00:00Z", "sms", "");
    booking(fx, "AQ5", "Q5", "LQ5", "2026-06-05T00:00Z", "booked");
    Model m = run(fx);

    assertThat(m.paths())
        .containsExactlyEntriesOf(
            new TreeMap<>(
                Map.of(
                    "LQ1", "true [phone, phone]",
                    "LQ2", "false [phone]",
                    "LQ3", "false [mail]",
                    "LQ7", "false [sms]")));
    assertThat(m.transitions())
        .containsExactlyEntriesOf(
            new TreeMap<>(
                Map.of(
                    "start>phone", 2L,
                    "start>mail", 1L,
                    "start>sms", 1L,
                    "phone>phone", 1L,
                    "phone>conversion", 1L,
                    "phone>null", 1L,
                    "mail>null", 1L,
                    "sms>null", 1L)));
    // AQ4: phone 1 / (1 + 0), mail 0; AQ5: mail and sms both 0: an equal split; AQ7: sms alone
    assertThat(m.credit())
        .containsEntry("AQ1/phone", 1.0)
        .containsEntry("AQ4/phone", 1.0)
        .containsEntry("AQ4/mail", 0.0)
        .containsEntry("AQ5/mail", 0.5)
        .containsEntry("AQ5/sms", 0.5)
        .containsEntry("AQ7/sms", 1.0)
        .hasSize(6);
    // weeks: 2026-03-09 AQ1; 2026-04-06 AQ7; 2026-06-01 AQ4, AQ5
    assertThat(m.byWeek())
        .containsExactlyEntriesOf(
            new TreeMap<>(Map.of("2026-03-09", 1.0, "2026-04-06", 1.0, "2026-06-01", 2.0)));
    // phone: paths LQ1 and LQ2 (LQ1 counted once), credited AQ1 + AQ4
    assertThat(m.effects())
        .containsExactlyEntriesOf(
            new TreeMap<>(
                Map.of(
                    "phone", "phone|2|1|1.0000|1.0000|2.0000",
                    "mail", "mail|1|0|0.0000|0.0000|0.5000",
                    "sms", "sms|1|0|0.0000|0.0000|1.5000")));
  }
}
