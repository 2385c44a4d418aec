package io.leadloop.jobs.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leadloop.common.config.ConfigLoader;
import io.leadloop.common.config.LeadloopConfig;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MartsTest {
  private static final LeadloopConfig DEFAULTS = ConfigLoader.defaults();

  @Test
  void declaresEachTableAndFileOnce() {
    List<String> tables = Marts.ALL.stream().map(Marts.Mart::table).toList();
    assertThat(tables).doesNotHaveDuplicates().allMatch(t -> t.startsWith("mart_"));
    // metrics.md's nine published mart files (the three totals marts are tables only)
    assertThat(Marts.ALL.stream().map(Marts.Mart::file).filter(f -> f != null))
        .containsExactly(
            "cohort_funnel.csv",
            "cohort_comparison.csv",
            "cohort_comparison_summary.csv",
            "speed_to_lead.csv",
            "stall_reasons.csv",
            "attribution.csv",
            "attribution_by_campaign.csv",
            "channel_removal_effects.csv",
            "segment_lift.csv");
    assertThat(Marts.of("mart_attribution")).isSameAs(Marts.ATTRIBUTION);
    assertThatThrownBy(() -> Marts.of("mart_nothing")).hasMessage("Cannot find mart mart_nothing");
  }

  @Test
  void everyDeclaredConfigKeyIsAKeyOfTheConfiguration() {
    for (Marts.Mart m : Marts.ALL) {
      assertThat(DEFAULTS.toJsonMap())
          .as(m.table())
          .containsKeys(m.configKeys().toArray(String[]::new));
    }
  }

  @Test
  void theFingerprintFollowsTheDeclaredKeysOnly() {
    String base = Marts.fingerprint(DEFAULTS);
    assertThat(Marts.fingerprint(ConfigLoader.defaults())).isEqualTo(base);
    // read by the funnel, the comparison and the attribution: another fingerprint
    assertThat(Marts.fingerprint(ConfigLoader.fromYaml("booking_window_days: 60", "t")))
        .isNotEqualTo(base);
    assertThat(Marts.fingerprint(ConfigLoader.fromYaml("sla_minutes: {phone: 5}", "t")))
        .isNotEqualTo(base);
    // read by no mart (the report's small-cell rule, the segments' caps): the same fingerprint
    assertThat(Marts.fingerprint(ConfigLoader.fromYaml("small_cell_threshold: 20", "t")))
        .isEqualTo(base);
    assertThat(Marts.fingerprint(ConfigLoader.fromYaml("cap_7d: 1", "t"))).isEqualTo(base);
  }

  @Test
  void theCodeHashFollowsTheBytecodeOfTheDeclaredClasses() {
    Set<Class<?>> some = new LinkedHashSet<>(List.of(CohortFunnel.class, Totals.class));
    Set<Class<?>> reordered = new LinkedHashSet<>(List.of(Totals.class, CohortFunnel.class));
    Set<Class<?>> other = new LinkedHashSet<>(List.of(CohortFunnel.class, SpeedToLead.class));
    assertThat(Marts.codeHash(some)).hasSize(16).isEqualTo(Marts.codeHash(reordered));
    assertThat(Marts.codeHash(other)).isNotEqualTo(Marts.codeHash(some));
  }
}
