package io.leadloop.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadloop.common.config.ConfigLoader;
import io.leadloop.common.config.LeadloopConfig;
import io.leadloop.jobs.TestPaths;
import io.leadloop.jobs.run.RunSummary;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/**
 * The DuckDB baseline alone (no Spark) on conformance case-1, whose expected outputs were worked
 * out by an independent implementation of the spec (defaults, UTC: the baseline's scope): both
 * figures equal the expected files, and per entity the accepted rows and the rows at the cutoff
 * equal the expected run.json.
 */
class DuckBaselineConformanceTest {
  @Test
  void case1FiguresAndCountsEqualTheExpectedOutputs() throws Exception {
    Path c = TestPaths.shared().resolve("conformance/case-1");
    Path expected = c.resolve("expected/2026-09-30");
    LeadloopConfig config = ConfigLoader.load(c.resolve("config.yaml"));
    try (DuckBaseline db = new DuckBaseline(1, null, null)) {
      db.run(
          c.resolve("landing"),
          LocalDate.parse("2026-09-30"),
          Instant.parse("2026-11-23T00:00:00Z"),
          config.bookingWindowDays(),
          config.linkHorizonDays(),
          config.attributionLookbackDays());

      Agreement funnel =
          Agreement.compare(
              db,
              "cohort_funnel",
              expected.resolve("metrics/cohort_funnel.csv"),
              null,
              "dk_cohort_funnel",
              Bench.FUNNEL_GRAIN,
              Bench.FUNNEL_VALUES);
      Agreement attribution =
          Agreement.compare(
              db,
              "attribution (last_touch, linear)",
              expected.resolve("metrics/attribution.csv"),
              "model IN ('last_touch', 'linear')",
              "dk_attribution",
              Bench.ATTRIBUTION_GRAIN,
              Bench.ATTRIBUTION_VALUES);
      for (Agreement a : new Agreement[] {funnel, attribution}) {
        assertThat(a.agrees()).as(a.summary() + "\n" + String.join("\n", a.examples())).isTrue();
      }
      // the expected files' rows (cohort_funnel.csv: 294; attribution.csv: 252 of these models)
      assertThat(funnel.leadloopRows()).isEqualTo(294);
      assertThat(attribution.leadloopRows()).isEqualTo(252);

      RunSummary run =
          new ObjectMapper()
              .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
              .readValue(expected.resolve("run.json").toFile(), RunSummary.class);
      assertThat(Bench.countMismatches(run, db.counts())).isEmpty();
      // leads: 450 read, 7 rejected, 390 at the cutoff (run.json)
      assertThat(db.counts())
          .containsEntry("raw_leads", 450L)
          .containsEntry("stg_leads", 443L)
          .containsEntry("leads_c", 390L);
    }
  }
}
