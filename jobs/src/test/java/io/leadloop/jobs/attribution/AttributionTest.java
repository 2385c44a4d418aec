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
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hand-computed credits per model. Each person P<n> has one lead and one booking at B = 2026-03-31
 * 00:00Z and the touches named in the test; lookback 30 days, half-life 7 days.
 */
class AttributionTest extends SparkTestBase {
  private static final LeadloopConfig UTC = ConfigLoader.defaults();
  private static Map<String, Double> credit;

  private static void booking(Fixture fx, String p) {
    fx.lead("lead_id=L" + p + "; person_id=" + p + "; created_at=2026-03-01T00:00Z")
        .appt(
            "appointment_id=A"
                + p
                + "; person_id="
                + p
                + "; lead_id=L"
                + p
                + "; booked_at=2026-03-31T00:00Z; scheduled_start=2026-04-02T00:00Z");
  }

  private static void touch(
      Fixture fx, String id, String p, String at, String channel, String extra) {
    fx.touch(
        "touch_id="
            + id
            + "; person_id="
            + p
            + "; occurred_at="
            + at
            + "; channel="
            + channel
            + "; "
            + extra);
  }

  @BeforeAll
  static void compute() {
    Fixture fx = new Fixture();
    for (String p : new String[] {"P0", "P1", "P2", "P3", "P5", "PD", "PE", "PT", "PB", "PC"}) {
      booking(fx, p);
    }
    // P1: one touch
    touch(fx, "T11", "P1", "2026-03-30T00:00Z", "email", "");
    // P2: email 2 days before, sms 1 day before
    touch(fx, "T21", "P2", "2026-03-29T00:00Z", "email", "");
    touch(fx, "T22", "P2", "2026-03-30T00:00Z", "sms", "");
    // P3: email, sms, phone at 3, 2, 1 days before
    touch(fx, "T31", "P3", "2026-03-28T00:00Z", "email", "");
    touch(fx, "T32", "P3", "2026-03-29T00:00Z", "sms", "");
    touch(fx, "T33", "P3", "2026-03-30T00:00Z", "phone", "");
    // P5: email, sms, phone, mail, portal at 5..1 days before
    String[] ch = {"email", "sms", "phone", "mail", "portal"};
    for (int i = 0; i < 5; i++) {
      touch(fx, "T5" + i, "P5", "2026-03-" + (26 + i) + "T00:00Z", ch[i], "");
    }
    // PD: time decay with touches 14, 7 and 0 days before: weights 0.25 : 0.5 : 1
    touch(fx, "TD1", "PD", "2026-03-17T00:00Z", "mail", "");
    touch(fx, "TD2", "PD", "2026-03-24T00:00Z", "sms", "");
    touch(fx, "TD3", "PD", "2026-03-31T00:00Z", "email", "");
    // PE: edges: exactly 30 days before (in), 30 days + 1 s before (out), exactly at booked_at
    // (in), 1 s after (out)
    touch(fx, "TE1", "PE", "2026-03-01T00:00:00Z", "mail", "");
    touch(fx, "TE2", "PE", "2026-02-28T23:59:59Z", "phone", "");
    touch(fx, "TE3", "PE", "2026-03-31T00:00:00Z", "sms", "");
    touch(fx, "TE4", "PE", "2026-03-31T00:00:01Z", "portal", "");
    // PT: a tie in occurred_at, ordered by touch_id: TT1 before TT2
    touch(fx, "TT2", "PT", "2026-03-30T00:00Z", "sms", "");
    touch(fx, "TT1", "PT", "2026-03-30T00:00Z", "email", "");
    // PB: every touch bounced or failed: none
    touch(fx, "TB1", "PB", "2026-03-30T00:00Z", "email", "outcome=bounced");
    touch(fx, "TB2", "PB", "2026-03-30T00:00Z", "sms", "outcome=failed");
    // PC: the booking is cancelled: not a conversion at all
    fx.appt(
        "appointment_id=APC; person_id=PC; lead_id=LPC; booked_at=2026-03-31T00:00Z; status=cancelled; updated_at=2026-03-31T01:00Z");
    Facts f = fx.facts(spark(), UTC, "2026-04-30");
    credit = new HashMap<>();
    for (Row r :
        Attribution.credits(f.appointments(), f.get(Entity.TOUCHES), 30, new BigDecimal("7"))
            .groupBy("appointment_id", "model", "channel")
            .agg(sum(col("credit")))
            .collectAsList()) {
      credit.put(r.getString(0) + "/" + r.getString(1) + "/" + r.getString(2), r.getDouble(3));
    }
  }

  private static double c(String p, String model, String channel) {
    return credit.getOrDefault("A" + p + "/" + model + "/" + channel, 0.0);
  }

  @Test
  void noTouchGoesToNone() {
    for (String m : Attribution.MODELS) {
      assertThat(c("P0", m, "none")).isEqualTo(1.0);
      assertThat(c("PB", m, "none")).as("all bounced/failed").isEqualTo(1.0);
    }
  }

  @Test
  void oneAndTwoTouches() {
    for (String m : Attribution.MODELS) {
      assertThat(c("P1", m, "email")).isEqualTo(1.0);
    }
    assertThat(c("P2", "first_touch", "email")).isEqualTo(1.0);
    assertThat(c("P2", "last_touch", "sms")).isEqualTo(1.0);
    assertThat(c("P2", "linear", "email")).isEqualTo(0.5);
    assertThat(c("P2", "position_based", "sms")).isEqualTo(0.5);
    // 2^(-2/7) = 0.820335, 2^(-1/7) = 0.905724: email 0.820335/1.726059 = 0.4753
    assertThat(c("P2", "time_decay", "email")).isCloseTo(0.4753, within(1e-4));
    assertThat(c("P2", "time_decay", "sms")).isCloseTo(0.5247, within(1e-4));
  }

  @Test
  void threeAndFiveTouches() {
    assertThat(c("P3", "linear", "sms")).isCloseTo(1.0 / 3, within(1e-12));
    assertThat(c("P3", "position_based", "email")).isCloseTo(0.4, within(1e-12));
    assertThat(c("P3", "position_based", "sms")).isCloseTo(0.2, within(1e-12));
    assertThat(c("P3", "position_based", "phone")).isCloseTo(0.4, within(1e-12));
    // weights 2^(-3/7), 2^(-2/7), 2^(-1/7) normalized: 0.3009, 0.3322, 0.3668
    assertThat(c("P3", "time_decay", "email")).isCloseTo(0.3009, within(1e-4));
    assertThat(c("P3", "time_decay", "phone")).isCloseTo(0.3668, within(1e-4));
    assertThat(c("P5", "first_touch", "email")).isEqualTo(1.0);
    assertThat(c("P5", "last_touch", "portal")).isEqualTo(1.0);
    assertThat(c("P5", "linear", "mail")).isCloseTo(0.2, within(1e-12));
    // n = 5: 0.4 first and last, 0.2/3 = 0.066667 to each of the three others
    assertThat(c("P5", "position_based", "email")).isCloseTo(0.4, within(1e-12));
    assertThat(c("P5", "position_based", "sms")).isCloseTo(0.2 / 3, within(1e-12));
    assertThat(c("P5", "position_based", "portal")).isCloseTo(0.4, within(1e-12));
  }

  @Test
  void timeDecayHalvesEveryHalfLife() {
    // 1 : 0.5 : 0.25 normalized = 4/7, 2/7, 1/7
    assertThat(c("PD", "time_decay", "email")).isCloseTo(4.0 / 7, within(1e-12));
    assertThat(c("PD", "time_decay", "sms")).isCloseTo(2.0 / 7, within(1e-12));
    assertThat(c("PD", "time_decay", "mail")).isCloseTo(1.0 / 7, within(1e-12));
  }

  @Test
  void lookbackEdgesTiesAndCancelled() {
    // in: TE1 (exactly 30 days before), TE3 (at booked_at); out: TE2, TE4
    assertThat(c("PE", "first_touch", "mail")).isEqualTo(1.0);
    assertThat(c("PE", "last_touch", "sms")).isEqualTo(1.0);
    assertThat(c("PE", "linear", "phone") + c("PE", "linear", "portal")).isZero();
    assertThat(c("PE", "linear", "mail")).isEqualTo(0.5);
    // tie at the same instant: touch_id order, TT1 (email) first, TT2 (sms) last
    assertThat(c("PT", "first_touch", "email")).isEqualTo(1.0);
    assertThat(c("PT", "last_touch", "sms")).isEqualTo(1.0);
    assertThat(credit.keySet()).noneMatch(k -> k.startsWith("APC/"));
  }

  @Test
  void creditsSumToConversionsPerModel() {
    // 9 conversions (P0..PT, PB), APC cancelled: each model hands out exactly 9 bookings
    for (String m : Attribution.MODELS) {
      double total =
          credit.entrySet().stream()
              .filter(e -> e.getKey().contains("/" + m + "/"))
              .mapToDouble(Map.Entry::getValue)
              .sum();
      assertThat(total).as(m).isCloseTo(9.0, within(1e-9));
    }
  }
}
