package io.leadloop.jobs.weekly;

import static io.leadloop.jobs.weekly.IncrementalFactsTest.assertEqualToFull;
import static io.leadloop.jobs.weekly.IncrementalFactsTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.leadloop.common.SparkTestBase;
import io.leadloop.common.metrics.Cutoff;
import io.leadloop.common.spark.Warehouse;
import io.leadloop.jobs.bench.LandingSplit;
import io.leadloop.jobs.generate.GenerateOptions;
import io.leadloop.jobs.generate.Generator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Weeks of generated data delivered one at a time: the facts of each as-of, started from the week
 * before, equal the facts computed in full (the proof issue 9 asks of incremental runs).
 */
@Tag("slow")
class IncrementalWeeksTest extends SparkTestBase {
  @TempDir Path tmp;

  private static Path cutAt(Path from, LocalDate d, Path before, Path after) {
    LandingSplit.split(from, new Cutoff(d, ZoneOffset.UTC).instant(), before, after);
    return after;
  }

  /** Copies a week's files into the landing folder under new names (a new delivery). */
  private static void deliver(Path week, Path landing, String prefix) throws IOException {
    try (Stream<Path> files = Files.walk(week)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Path rel = week.relativize(f);
        Path to = landing.resolve(rel.getParent()).resolve(prefix + rel.getFileName());
        Files.createDirectories(to.getParent());
        Files.copy(f, to);
      }
    }
  }

  @Test
  void everyWeekStartedFromTheWeekBeforeEqualsTheFullComputation() throws IOException {
    Path generated = tmp.resolve("generated");
    new Generator(new GenerateOptions(300, 5, generated)).execute();
    LocalDate d0 = LocalDate.parse("2026-09-13");
    Path landing = tmp.resolve("landing");
    // The history up to d0, the week after it, then everything later as one delivery (the
    // generator's period ends on 2026-10-05).
    Path[] weeks = {tmp.resolve("week1"), null};
    Path rest = cutAt(generated, d0, landing, tmp.resolve("rest0"));
    weeks[1] = cutAt(rest, d0.plusWeeks(1), weeks[0], tmp.resolve("rest1"));
    Warehouse wh = new Warehouse(spark(), tmp.resolve("wh").toString());

    assertThat(run(wh, landing, d0, false).description()).startsWith("full: no stored facts");
    for (int k = 1; k <= 2; k++) {
      deliver(weeks[k - 1], landing, "week" + k + "-");
      LocalDate d = d0.plusWeeks(k);
      assertThat(run(wh, landing, d, false).description())
          .startsWith("incremental from " + d.minusWeeks(1) + " (batches after " + k + "):");
      assertEqualToFull(wh, d);
    }
    // A week without a delivery: only the rows whose own times fall in it change.
    LocalDate quiet = d0.plusWeeks(3);
    assertThat(run(wh, landing, quiet, false).description())
        .startsWith("incremental from " + quiet.minusWeeks(1) + " (batches after 3):");
    assertEqualToFull(wh, quiet);
    // An earlier as-of re-run after later deliveries: it starts from d0's facts and counts none
    // of the rows that came after it.
    LocalDate again = d0.plusWeeks(1);
    assertThat(run(wh, landing, again, false).description())
        .startsWith("incremental from " + d0 + " (batches after 1):");
    assertEqualToFull(wh, again);
  }
}
