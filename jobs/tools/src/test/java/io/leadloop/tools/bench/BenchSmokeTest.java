package io.leadloop.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadloop.common.SparkTestBase;
import io.leadloop.jobs.run.StepTimer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark end to end on a tiny generated set: both engines give the same figures. */
@Tag("bench")
class BenchSmokeTest extends SparkTestBase {
  @TempDir Path dir;

  @Test
  void leadloopAndDuckDbAgreeOnAGeneratedSet() throws Exception {
    Path report = dir.resolve("benchmarks.md");
    Bench.Result r =
        new Bench(spark(), new BenchOptions(List.of(300L), 3, dir.resolve("work"), report, true, 3))
            .execute();

    assertThat(r.scales()).hasSize(1);
    Bench.ScaleResult s = r.scales().get(0);
    for (Agreement a : s.agreements()) {
      assertThat(a.agrees()).as(a.summary() + "\n" + String.join("\n", a.examples())).isTrue();
      assertThat(a.leadloopRows()).as(a.figure()).isPositive();
    }
    // the figures are not trivially empty: bookings were linked and credited on both sides
    assertThat(s.duckCounts().get("dk_cohort_funnel"))
        .isEqualTo(s.agreements().get(0).leadloopRows());
    assertThat(s.duckCounts().get("appts_c")).isPositive();
    assertThat(s.steps())
        .extracting(StepTimer.Step::name)
        .contains("ingest", "facts", "marts", "mart_cohort_funnel", "publish_marts");
    // the full run read the history, the next week's run only the week's delivery
    assertThat(s.weekRows()).isPositive();
    assertThat(s.rowsRead() + s.weekRows()).isEqualTo(s.landingRows());
    assertThat(s.nextWeekSteps())
        .filteredOn(m -> m.name().equals("ingest"))
        .extracting(StepTimer.Step::rows)
        .containsExactly(s.weekRows());
    assertThat(s.nextWeekSteps()).extracting(StepTimer.Step::name).contains("facts");
    assertThat(s.leadloopMemory().peakHeapUsed()).isPositive();
    // the backfill: three Sundays up to the next week's as-of, each one's funnel DuckDB's
    Bench.BackfillResult b = s.backfill();
    assertThat(b.from()).isEqualTo(Bench.AS_OF.minusWeeks(1));
    assertThat(b.to()).isEqualTo(Bench.AS_OF.plusWeeks(1));
    assertThat(b.agreements()).hasSize(3);
    for (Agreement a : b.agreements()) {
      assertThat(a.agrees()).as(a.summary() + "\n" + String.join("\n", a.examples())).isTrue();
      assertThat(a.leadloopRows()).as(a.figure()).isPositive();
    }
    assertThat(Files.readString(report))
        .contains("## Summary", "all equal", "300 persons", "**Backfill**");
    assertThat(dir.resolve("work/bench.json")).exists();
  }
}
