package io.leadloop.jobs.weekly;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadloop.common.SparkTestBase;
import io.leadloop.common.config.ConfigLoader;
import io.leadloop.common.config.LeadloopConfig;
import io.leadloop.common.spark.Warehouse;
import io.leadloop.jobs.TestPaths;
import io.leadloop.jobs.ingest.IngestAction;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Conformance case-3 (outcomes.md over thirteen published weeks): ingest once with the pinned time,
 * publish the Sundays 2026-07-05 to 2026-09-27 as {@code backfill --exports} does, and require the
 * shared checker to find every expected file of every week identical.
 */
@Tag("slow")
class OutcomesConformanceTest extends SparkTestBase {
  @TempDir Path tmp;

  @Test
  void thirteenPublishedWeeksMatch() throws Exception {
    Path c = TestPaths.shared().resolve("conformance/case-3");
    Path out = tmp.resolve("out");
    String wh = tmp.resolve("wh").toString();
    LeadloopConfig config = ConfigLoader.load(c.resolve("config.yaml"));
    new IngestAction(
            new Warehouse(spark(), wh),
            c.resolve("landing").toString(),
            Instant.parse("2026-11-23T00:00:00Z"),
            config)
        .execute();
    List<WeeklyJob.Result> runs =
        Backfill.run(
            spark(),
            LocalDate.parse("2026-07-05"),
            LocalDate.parse("2026-09-27"),
            new WeeklyOptions(
                null,
                wh,
                out.toString(),
                LocalDate.parse("2026-09-27"),
                config,
                Instant.parse("2026-11-23T00:00:00Z"),
                false,
                false,
                false,
                true));
    assertThat(runs).hasSize(13);
    String report = ConformanceTest.check(c.resolve("expected"), out);
    System.out.println("case-3:\n" + report);
    assertThat(report).contains("52 of 52 files match");
    // run.json lists the entry as-ofs of the counted episodes: with a 21-day window, the runs of
    // 2026-07-05 to 2026-09-06 (c_e + 21 days <= c), ten Sundays, as entry_runs of the * rows
    var last = new ObjectMapper().readTree(out.resolve("2026-09-27/run.json").toFile());
    List<String> entries = new ArrayList<>();
    last.get("outcome_entries").forEach(n -> entries.add(n.asText()));
    assertThat(entries).hasSize(10).startsWith("2026-07-05").endsWith("2026-09-06");
  }
}
