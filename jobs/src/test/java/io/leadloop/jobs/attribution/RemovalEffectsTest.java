package io.leadloop.jobs.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The chain's absorption probability and removal effects, solved by hand on small chains. */
class RemovalEffectsTest {
  /** Transition counts of {@code paths}, each ending in its last element (conversion or null). */
  static Map<String, Map<String, Long>> counts(List<List<String>> paths) {
    Map<String, Map<String, Long>> c = new HashMap<>();
    for (List<String> p : paths) {
      String from = RemovalEffects.START;
      for (String to : p) {
        c.computeIfAbsent(from, k -> new HashMap<>()).merge(to, 1L, Long::sum);
        from = to;
      }
    }
    return c;
  }

  @Test
  void threePaths() {
    // [email] → conversion, [sms] → null, [email, sms] → conversion.
    // start: email 2/3, sms 1/3; email: conversion 1/2, sms 1/2; sms: conversion 1/2, null 1/2.
    // x_sms = 1/2; x_email = 1/2 + 1/2 · 1/2 = 3/4; P = 2/3 · 3/4 + 1/3 · 1/2 = 2/3.
    // Without email: P = 1/3 · 1/2 = 1/6, RE = 1 - (1/6)/(2/3) = 0.75.
    // Without sms: x_email = 1/2, P = 2/3 · 1/2 = 1/3, RE = 1 - (1/3)/(2/3) = 0.5.
    RemovalEffects re =
        RemovalEffects.of(
            counts(
                List.of(
                    List.of("email", "conversion"),
                    List.of("sms", "null"),
                    List.of("email", "sms", "conversion"))));
    assertThat(re.conversion()).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(re.effects()).containsOnlyKeys("email", "sms");
    assertThat(re.effects().get("email")).isCloseTo(0.75, within(1e-12));
    assertThat(re.effects().get("sms")).isCloseTo(0.5, within(1e-12));
  }

  @Test
  void selfLoopAndAChannelOnlyOnPathsThatDoNotConvert() {
    // [phone, phone] → conversion, [phone] → null, [mail] → null.
    // phone: phone 1/3, conversion 1/3, null 1/3: x = x/3 + 1/3, x = 1/2. start: phone 2/3, mail
    // 1/3 (mail: null 1): P = 2/3 · 1/2 = 1/3. Without phone: P = 0, RE = 1. Without mail: the
    // transition start → mail already ended in null: P = 1/3, RE = 0.
    RemovalEffects re =
        RemovalEffects.of(
            counts(
                List.of(
                    List.of("phone", "phone", "conversion"),
                    List.of("phone", "null"),
                    List.of("mail", "null"))));
    assertThat(re.conversion()).isCloseTo(1.0 / 3, within(1e-12));
    assertThat(re.effects().get("phone")).isCloseTo(1.0, within(1e-12));
    assertThat(re.effects().get("mail")).isCloseTo(0.0, within(1e-12));
  }

  @Test
  void aLoopBetweenTwoChannels() {
    // [email, sms, email] → conversion, [sms] → null.
    // email: sms 1/2, conversion 1/2; sms: email 1/2, null 1/2; start: email 1/2, sms 1/2.
    // x_e = x_s/2 + 1/2, x_s = x_e/2: x_e = 2/3, x_s = 1/3; P = (2/3 + 1/3)/2 = 1/2.
    // Without email: x_s = 0, P = 0, RE = 1. Without sms: x_e = 1/2, P = 1/4, RE = 1/2.
    RemovalEffects re =
        RemovalEffects.of(
            counts(
                List.of(List.of("email", "sms", "email", "conversion"), List.of("sms", "null"))));
    assertThat(re.conversion()).isCloseTo(0.5, within(1e-12));
    assertThat(re.effects().get("email")).isCloseTo(1.0, within(1e-12));
    assertThat(re.effects().get("sms")).isCloseTo(0.5, within(1e-12));
  }

  @Test
  void noJourneysOrNoConversionGiveZero() {
    assertThat(RemovalEffects.of(Map.of())).isEqualTo(new RemovalEffects(0, Map.of()));
    // P = 0: every RE_k is 0 (not 1 - 0/0).
    RemovalEffects none =
        RemovalEffects.of(counts(List.of(List.of("sms", "null"), List.of("email", "null"))));
    assertThat(none.conversion()).isZero();
    assertThat(none.effects()).containsExactlyInAnyOrderEntriesOf(Map.of("sms", 0.0, "email", 0.0));
  }
}
