package io.leadloop.tools.bench;

import io.leadloop.jobs.run.SparkStep;
import io.leadloop.jobs.run.StepTimer;
import java.util.List;
import java.util.Locale;

/** Renders a benchmark {@link Bench.Result} as Markdown (docs/benchmarks.md). */
final class BenchReport {
  private BenchReport() {}

  static String markdown(Bench.Result r, BenchOptions o) {
    StringBuilder sb = new StringBuilder();
    sb.append("# leadloop — benchmarks\n\n");
    sb.append(
        "Written by `leadloop bench` (`io.leadloop.tools.bench.Bench`); do not edit by hand, run it again:\n\n");
    sb.append("    bin/leadloop bench --scales ")
        .append(String.join(",", o.scales().stream().map(String::valueOf).toList()))
        .append(" --seed ")
        .append(o.seed())
        .append(" --work DIR\n\n");
    sb.append(
            "Each scale: `generate --persons N --seed S` (default period 2025-10-06, 52 weeks, 1% bad rows), ")
        .append("split at the cutoff of ")
        .append(Bench.AS_OF)
        .append(
            " into the history (the rows that arrived before it: `updated_at` for leads and appointments, the own time otherwise, and every bad row) and the last week's delivery (`LandingSplit`), ")
        .append("then the weekly job on the history into a fresh warehouse as of ")
        .append(Bench.AS_OF)
        .append(" with `--ingested-at ")
        .append(Bench.INGESTED_AT)
        .append("` (ingest, facts, every mart, ")
        .append(
            "segments, run.json), then the DuckDB baseline: the same landing files read by DuckDB's own ")
        .append(
            "CSV / JSON readers, the contract's parsing and the metric definitions in SQL, for `cohort_funnel` ")
        .append(
            "and `attribution` (last_touch, linear). The two engines are compared row by row (counts exactly, ")
        .append(
            "rates and credits within 1e-4). Step times are the run summary's `steps`. The machine is shared ")
        .append(
            "with other engineers' builds and tests: expect noise of tens of percent (the load average before ")
        .append(
            "and after each scale is listed). See `docs/performance.md` for where the time goes and what to tune.\n\n");

    sb.append("## Machine\n\n| | |\n|---|---|\n");
    for (var e : r.machine().entrySet()) {
      Object v = e.getValue();
      String s = v instanceof Long l && e.getKey().endsWith("bytes") ? gib(l) : String.valueOf(v);
      sb.append("| ")
          .append(e.getKey())
          .append(" | ")
          .append(s.isEmpty() ? "(none)" : "`" + s + "`")
          .append(" |\n");
    }

    sb.append("\n## Summary\n\n");
    sb.append(
        "| persons | landing rows | landing MiB | leadloop s | rows/s | comparable steps s | DuckDB s | ratio (all) | ratio (comparable) | peak heap used | heap after GC | peak RSS | agree |\n");
    sb.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (Bench.ScaleResult s : r.scales()) {
      sb.append(
          String.format(
              Locale.ROOT,
              "| %,d | %,d | %.1f | %.1f | %,.0f | %.1f | %.1f | %.1f | %.1f | %s | %s | %s | %s |\n",
              s.persons(),
              s.rowsRead(),
              s.landingBytes() / 1048576.0,
              s.leadloopSeconds(),
              s.rowsRead() / s.leadloopSeconds(),
              s.comparableSeconds(),
              s.duck().totalSeconds(),
              s.ratio(),
              s.comparableRatio(),
              gib(s.leadloopMemory().peakHeapUsed()),
              gib(s.leadloopMemory().peakHeapAfterGc()),
              gib(s.leadloopMemory().peakRss()),
              s.agrees() ? "yes" : "**no**"));
    }
    sb.append(
            "\n*ratio (all)*: the whole weekly run (every mart, segments, run.json) over the baseline; ")
        .append("*ratio (comparable)*: the steps the baseline also does (`")
        .append(String.join("`, `", Bench.COMPARABLE_STEPS))
        .append(
            "`; the marts' CSVs, `publish_marts`, and their Delta commit, `store_marts`, left out)"
                + " over the baseline.\n");

    for (Bench.ScaleResult s : r.scales()) {
      sb.append(String.format(Locale.ROOT, "\n## %,d persons\n\n", s.persons()));
      sb.append(
          String.format(
              Locale.ROOT,
              "Landing: %,d rows (%,d deliberately bad) in %d files, %.1f MiB, %s in %.1f s. Ingest read %,d rows, "
                  + "accepted %,d. Load average %.2f before, %.2f after.\n\n",
              s.landingRows(),
              s.landingBadRows(),
              s.landingFiles(),
              s.landingBytes() / 1048576.0,
              s.landingReused() ? "generated earlier (reused)" : "generated",
              s.generateSeconds(),
              s.rowsRead(),
              s.rowsAccepted(),
              s.loadAverageBefore(),
              s.loadAverageAfter()));
      sb.append("| leadloop step | seconds | share | rows | rows/s |\n|---|---:|---:|---:|---:|\n");
      double total = s.leadloopSeconds();
      double stepSum = 0;
      for (StepTimer.Step st : s.steps()) {
        double sec = st.seconds();
        long rows = st.rows();
        stepSum += sec;
        sb.append(
            String.format(
                Locale.ROOT,
                "| %s | %.2f | %.0f%% | %,d | %s |\n",
                st.name(),
                sec,
                100 * sec / total,
                rows,
                sec > 0 ? String.format(Locale.ROOT, "%,.0f", rows / sec) : ""));
      }
      sb.append(
          String.format(
              Locale.ROOT,
              "| (outside steps: staging reads, persist, run.json, lock) | %.2f | %.0f%% | | |\n",
              total - stepSum,
              100 * (total - stepSum) / total));
      sb.append(
          String.format(
              Locale.ROOT,
              "| **weekly job, wall** | **%.2f** | 100%% | %,d read | %,.0f |\n\n",
              total,
              s.rowsRead(),
              s.rowsRead() / total));
      sparkSteps(sb, s.sparkSteps());
      if (s.nextWeekSteps().isEmpty()) {
        sb.append("**Next week's run**: not run at this scale (`--no-next-week`).\n\n");
      } else {
        nextWeek(sb, s);
      }
      if (s.backfill() != null) {
        backfill(sb, s.backfill());
      }
      ResourceSampler.Usage m = s.leadloopMemory();
      ResourceSampler.Usage d = s.duckMemory();
      sb.append("| memory | leadloop (weekly job) | DuckDB baseline |\n|---|---:|---:|\n");
      sb.append(
          row(
              "peak heap used (sampled every 50 ms)",
              gib(m.peakHeapUsed()),
              gib(d.peakHeapUsed())));
      sb.append(
          row(
              "peak heap after GC (≈ live set)",
              gib(m.peakHeapAfterGc()),
              gib(d.peakHeapAfterGc())));
      sb.append(
          row(
              "sum of heap pool peaks (upper bound)",
              gib(m.sumOfPoolPeaks()),
              gib(d.sumOfPoolPeaks())));
      sb.append(row("max heap (-Xmx)", gib(m.maxHeap()), gib(d.maxHeap())));
      sb.append(row("peak process RSS (JVM + native)", gib(m.peakRss()), gib(d.peakRss())));
      sb.append(
          row(
              "GC collections / GC time",
              m.gcCount() + " / " + m.gcMillis() / 1000.0 + " s",
              d.gcCount() + " / " + d.gcMillis() / 1000.0 + " s"));
      sb.append(
          String.format(
              Locale.ROOT,
              "\nOutput sizes: warehouse (Delta) %.1f MiB, out folder (CSVs, run.json) %.2f MiB.\n\n",
              s.warehouseBytes() / 1048576.0,
              s.outBytes() / 1048576.0));
      sb.append(
          String.format(
              Locale.ROOT,
              "DuckDB baseline: load and parse %.2f s, metrics %.2f s, total %.2f s (%,.0f landing rows/s). ",
              s.duck().loadSeconds(),
              s.duck().metricsSeconds(),
              s.duck().totalSeconds(),
              s.rowsRead() / s.duck().totalSeconds()));
      sb.append("Rows: ");
      sb.append(
          String.join(
              ", ",
              s.duckCounts().entrySet().stream()
                  .map(e -> String.format(Locale.ROOT, "%s %,d", e.getKey(), e.getValue()))
                  .toList()));
      sb.append(".\n\nAgreement:\n\n");
      if (s.baselineError() != null) {
        sb.append("- **the DuckDB baseline failed**, so there is no ratio and no agreement check: ")
            .append(s.baselineError())
            .append('\n');
        continue;
      }
      sb.append(
          s.countMismatches().isEmpty()
              ? "- rows accepted and rows at the cutoff per entity (leads, lead_events, touches, appointments): "
                  + "run.json and the baseline's staged / at-cutoff tables equal\n"
              : "- **DIFFERS** " + String.join("; ", s.countMismatches()) + "\n");
      for (Agreement a : s.agreements()) {
        sb.append("- ").append(a.agrees() ? "" : "**DIFFERS** ").append(a.summary()).append('\n');
        for (String ex : a.examples()) {
          sb.append("  - `").append(ex).append("`\n");
        }
      }
    }
    sb.append("\n## Baseline scope\n\n")
        .append(
            "The DuckDB baseline (`io.leadloop.tools.bench.DuckBaseline`) re-implements, independently of ")
        .append(
            "leadloop's parser, what these two figures need: CSV (header, RFC 4180 quoting, gzip), JSONL / NDJSON ")
        .append(
            "and FHIR R4 Appointment lines (`id`, Patient reference, `created` else `meta.lastUpdated`, `start`, ")
        .append(
            "`status`, `meta.lastUpdated`, `serviceType[0].coding[0].code`; a date alone is midnight); values ")
        .append(
            "trimmed, codes normalized, vocabularies case-insensitive; timestamps `Z`, `±HH:MM` or naive (UTC); ")
        .append(
            "rows dropped as the contract rejects them (malformed lines, missing required fields, unparseable ")
        .append(
            "timestamps, unknown vocabulary, bad `sequence_step`, lead events of unknown leads, the conditional ")
        .append(
            "`scheduled_start`, event times more than a day after ingestion). Not covered: other pipeline or ")
        .append(
            "source time zones, `fhir_service_line_map`, mixed-case JSON keys, several batches, the 1 MiB field limit.\n");
    return sb.toString();
  }

  private static void nextWeek(StringBuilder sb, Bench.ScaleResult s) {
    sb.append(
        String.format(
            Locale.ROOT,
            "**Next week's run** (same warehouse, as of one week later; the week's delivery, %,d"
                + " rows, arrives as new landing files: ingest reads only them; facts and marts are"
                + " computed at the new cutoff): %.1f s = %.0f%% of the full run, %.1f× DuckDB's full recompute. Steps:"
                + " %s.%n%n",
            s.weekRows(),
            s.nextWeekSeconds(),
            100 * s.nextWeekSeconds() / s.leadloopSeconds(),
            s.nextWeekSeconds() / s.duck().totalSeconds(),
            String.join(
                ", ",
                s.nextWeekSteps().stream()
                    .map(st -> String.format(Locale.ROOT, "%s %.1f s", st.name(), st.seconds()))
                    .toList())));
  }

  private static void backfill(StringBuilder sb, Bench.BackfillResult b) {
    long agreeing = b.agreements().stream().filter(Agreement::agrees).count();
    sb.append(
        String.format(
            Locale.ROOT,
            "**Backfill** (`backfill --from %s --to %s`, no exports, on the same warehouse: %d"
                + " Sundays in one pass): %.1f s, %.1f s per week; peak heap used %s. DuckDB's"
                + " cohort_funnel at the same as-ofs (the files loaded once, then each as-of's state"
                + " and funnel): %.1f s, ratio %.1f×; cohort_funnel agrees at %d of %d as-ofs."
                + " Steps of the shared plan: %s.%n%n",
            b.from(),
            b.to(),
            b.weeks(),
            b.seconds(),
            b.seconds() / b.weeks(),
            gib(b.memory().peakHeapUsed()),
            b.duckSeconds(),
            b.seconds() / b.duckSeconds(),
            agreeing,
            b.weeks(),
            String.join(
                ", ",
                b.steps().stream()
                    .filter(st -> Bench.SHARED_BACKFILL_STEPS.contains(st.name()))
                    .map(st -> String.format(Locale.ROOT, "%s %.1f s", st.name(), st.seconds()))
                    .toList())));
  }

  private static String row(String what, String a, String b) {
    return "| " + what + " | " + a + " | " + b + " |\n";
  }

  static String gib(long bytes) {
    if (bytes < 0) {
      return "n/a";
    }
    return bytes >= 1L << 30
        ? String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30))
        : String.format(Locale.ROOT, "%.0f MiB", bytes / 1048576.0);
  }

  /** Spark's own task metrics per step (from the run's listener), where the time went. */
  static void sparkSteps(StringBuilder sb, List<SparkStep> steps) {
    if (steps.isEmpty()) {
      return;
    }
    List<String> keys = SparkStep.FIGURES;
    sb.append(
        "Spark's task metrics per step (summed over tasks, so task seconds can exceed wall"
            + " seconds on 2 cores; spill is to disk):\n\n");
    sb.append("| step | ").append(String.join(" | ", keys)).append(" |\n|---|");
    sb.append("---:|".repeat(keys.size())).append('\n');
    for (SparkStep st : steps) {
      sb.append("| ").append(st.name());
      for (Number v : st.figures()) {
        sb.append(" | ")
            .append(
                v instanceof Double d ? String.format(Locale.ROOT, "%,.1f", d) : String.valueOf(v));
      }
      sb.append(" |\n");
    }
    sb.append('\n');
  }
}
