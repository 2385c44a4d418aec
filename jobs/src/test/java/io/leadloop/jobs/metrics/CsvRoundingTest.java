package io.leadloop.jobs.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadloop.common.SparkTestBase;
import io.leadloop.common.config.ConfigLoader;
import io.leadloop.jobs.Fixture;
import io.leadloop.jobs.publish.CsvFiles;
import io.leadloop.jobs.publish.OutputFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * metrics.md: "Rates are exact ratios k/n rounded half-up (half away from zero) to 4 decimals and
 * printed with exactly 4 decimals, never -0.0000", and differences are "computed from unrounded
 * values ..., then rounded the same way". Checked in the CSV files cohort_comparison and its
 * summary as the weekly run writes them ({@link CsvFiles}).
 */
class CsvRoundingTest extends SparkTestBase {
  private static final StructType LEAD_FACTS = ComparisonAndSpeedTest.LEAD_FACTS;

  @TempDir Path tmp;

  /** n leads: the first k0 booked first cycle, the first n1 recycled, k1 of them booked after. */
  private static void stratum(
      List<Row> out, String month, String source, int n, int k0, int n1, int k1) {
    for (int i = 0; i < n; i++) {
      out.add(RowFactory.create(month, source, "imaging", i < k0, i < n1, i < k1));
    }
  }

  /** Writes {@code rows} with the weekly run's CSV writer and reads it back, keyed by source. */
  private Map<String, Map<String, String>> csv(Dataset<Row> rows, String name, String... grain)
      throws IOException {
    Path file = tmp.resolve(name);
    CsvFiles.write(
        new OutputFiles(spark().sparkContext().hadoopConfiguration()),
        file.toString(),
        rows,
        grain);
    List<String> lines = Files.readAllLines(file);
    String[] header = lines.get(0).split(",", -1);
    Map<String, Map<String, String>> bySource = new LinkedHashMap<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] v = line.split(",", -1);
      Map<String, String> m = new LinkedHashMap<>();
      for (int i = 0; i < header.length; i++) {
        m.put(header[i], v[i]);
      }
      bySource.put(m.get("source"), m);
    }
    return bySource;
  }

  @Test
  void halfUpAtTheFifthDecimalAndNoNegativeZero() throws IOException {
    List<Row> rows = new ArrayList<>();
    // "half": new 17/160 = 0.10625 exactly. Half-up gives 0.1063 (half-even would give 0.1062,
    // and so would rounding the nearest double, 0.10624999999999999722...). Recycled 1/32 = 0.03125
    // -> 0.0313 (half-even: 0.0312). May 2026 is not matured as of 2026-06-30: not eligible.
    stratum(rows, "2026-05", "half", 160, 17, 32, 1);
    // "zero": new 199/200 = 0.995, recycled 198/199 = 0.9949749...; rate_diff = 198/199 - 199/200
    // = -1/39800 = -0.0000251 -> 0.0000, not -0.0000. January is matured and both arms >= 20:
    // eligible, and the only eligible stratum, so mh_rate_diff = that difference -> 0.0000.
    stratum(rows, "2026-01", "zero", 200, 199, 199, 198);
    Dataset<Row> strata =
        CohortComparison.strata(
            spark().createDataFrame(rows, LEAD_FACTS),
            Fixture.cutoff(ConfigLoader.defaults(), "2026-06-30"),
            90,
            20);
    Map<String, Map<String, String>> comparison =
        csv(
            CohortComparison.compute(strata),
            "cohort_comparison.csv",
            "cohort_month",
            "source",
            "service_line");
    assertThat(comparison.get("half"))
        .containsEntry("new_leads", "160")
        .containsEntry("new_booked", "17")
        .containsEntry("new_rate", "0.1063")
        .containsEntry("recycled_leads", "32")
        .containsEntry("recycled_rate", "0.0313")
        // 1/32 - 17/160 = 5/160 - 17/160 = -12/160 = -0.075 exactly
        .containsEntry("rate_diff", "-0.0750")
        .containsEntry("eligible", "false");
    assertThat(comparison.get("zero"))
        .containsEntry("new_rate", "0.9950")
        .containsEntry("recycled_rate", "0.9950")
        .containsEntry("rate_diff", "0.0000")
        .containsEntry("eligible", "true");
    Map<String, Map<String, String>> summary =
        csv(CohortComparison.summary(strata), "cohort_comparison_summary.csv", "source");
    assertThat(summary.keySet()).containsExactly("*", "zero");
    assertThat(summary.get("zero")).containsEntry("mh_rate_diff", "0.0000");
    assertThat(summary.get("*")).containsEntry("mh_rate_diff", "0.0000");
  }
}
