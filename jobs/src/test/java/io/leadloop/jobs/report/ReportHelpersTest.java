package io.leadloop.jobs.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadloop.jobs.report.ReportView.Cell;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rate helper, number formats, spec anchors and masking of derived values. */
class ReportHelpersTest {
  @Test
  void rateIsRoundedHalfUpToFourDecimals() {
    assertThat(RateRule.rate(1, 3)).isEqualByComparingTo("0.3333");
    assertThat(RateRule.rate(2, 3)).isEqualByComparingTo("0.6667");
    assertThat(RateRule.rate(1, 6)).isEqualByComparingTo("0.1667");
    // exactly half: 1/32 = 0.03125 -> 0.0313 (half-up, not half-even 0.0312)
    assertThat(RateRule.rate(1, 32)).isEqualByComparingTo("0.0313");
    assertThat(RateRule.rate(5, 80_000)).isEqualByComparingTo("0.0001");
    assertThat(RateRule.rate(0, 7)).isEqualByComparingTo("0.0000");
    assertThat(RateRule.rate(0, 7).scale()).isEqualTo(4);
    assertThat(RateRule.rate(3, 0)).isNull();
  }

  @Test
  void formats() {
    assertThat(Fmt.percent(new BigDecimal("0.3333"))).isEqualTo("33.33%");
    assertThat(Fmt.percent(new BigDecimal("1.0000"))).isEqualTo("100.00%");
    assertThat(Fmt.percent((BigDecimal) null)).isEqualTo(Fmt.EMPTY);
    assertThat(Fmt.points(new BigDecimal("0.1250"))).isEqualTo("+12.50 pts");
    assertThat(Fmt.points(new BigDecimal("-0.0500"))).isEqualTo("-5.00 pts");
    assertThat(Fmt.count(12)).isEqualTo("12");
    assertThat(Fmt.count(12_345)).isEqualTo("12,345");
    assertThat(Fmt.count(23.5)).isEqualTo("23.5");
    assertThat(Fmt.count(36.99999999)).isEqualTo("37");
    assertThat(Fmt.minutes(new BigDecimal("12.5"))).isEqualTo("12.5 min");
  }

  @Test
  void specAnchorsAreGitHubStyle() {
    assertThat(SpecLinks.slug(SpecLinks.FUNNEL))
        .isEqualTo("cohort_funnel--grain-cohort_week--source--service_line");
    assertThat(SpecLinks.slug(SpecLinks.RUN_SUMMARY)).isEqualTo("run-summary-runjson");
    assertThat(SpecLinks.metrics("x", SpecLinks.STALLS).href())
        .isEqualTo("docs/metrics.md#stall_reasons--grain-week--source--reason");
    assertThat(SpecLinks.metrics("x", SpecLinks.STALLS).label())
        .isEqualTo("metrics.md § stall_reasons");
  }

  @Test
  void ratesAndDerivedValuesAreMaskedWithTheirCounts() {
    MaskedValues v = new MaskedValues(new SmallCells(11));
    int leads = v.add(40);
    int booked = v.add(4);
    int zeroDen = v.add(0);
    int other = v.add(25);
    int total = v.total(List.of(booked, other));
    v.solve();
    assertThat(v.count(leads)).isEqualTo(new Cell("40", true, false));
    assertThat(v.count(booked)).isEqualTo(new Cell("<11", true, true));
    // 4 of 29: the total 29 would reveal 4 with 25 shown, so 25 is hidden too
    assertThat(v.count(other).masked()).isTrue();
    assertThat(v.count(total).text()).isEqualTo("29");
    assertThat(v.rate(RateRule.rate(4, 40), booked, leads).text()).isEqualTo("<11");
    assertThat(v.rate(RateRule.rate(0, 0), zeroDen, zeroDen).text()).isEqualTo(Fmt.EMPTY);
    assertThat(v.derived("12.0 min", leads).text()).isEqualTo("12.0 min");
    assertThat(v.derived("12.0 min", leads, booked).text()).isEqualTo("<11");
    assertThat(v.chartCount(booked)).isNull();
    assertThat(v.chartCount(leads)).isEqualTo(40.0);
  }
}
