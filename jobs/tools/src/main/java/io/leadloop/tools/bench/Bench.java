package io.leadloop.tools.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.leadloop.common.config.ConfigLoader;
import io.leadloop.common.config.LeadloopConfig;
import io.leadloop.common.metrics.Cutoff;
import io.leadloop.jobs.metrics.Marts;
import io.leadloop.jobs.run.RunSummary;
import io.leadloop.jobs.run.SparkStep;
import io.leadloop.jobs.run.StepTimer;
import io.leadloop.jobs.weekly.Backfill;
import io.leadloop.jobs.weekly.WeeklyJob;
import io.leadloop.jobs.weekly.WeeklyOptions;
import io.leadloop.tools.generate.GenerateOptions;
import io.leadloop.tools.generate.GenerateResult;
import io.leadloop.tools.generate.Generator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * The benchmark. For each scale: generate a landing set ({@link Generator}) into {@code
 * <work>/<persons>/generated}, split it at the cutoff of {@link #AS_OF} into the history ({@code
 * landing}) and the following week's delivery ({@code week}, see {@link LandingSplit}; the split
 * doubles the landing's disk use: ~35 GiB at 10M persons), run the weekly job on the history into a
 * fresh warehouse (as of {@link #AS_OF}, ingested at {@link #INGESTED_AT}), record the run
 * summary's step times, rows per second, memory and output sizes; then compute cohort_funnel and
 * attribution (last_touch, linear) with the DuckDB baseline ({@link DuckBaseline}) from the same
 * landing files and compare the two engines row by row; then copy the week's files into the landing
 * folder and run the weekly job one week later on the same warehouse (the incremental run; skipped
 * with {@code --no-next-week}). Writes the figures to {@code <work>/bench.json} and, when asked, a
 * Markdown report.
 *
 * <pre>{@code
 * new Bench(spark, new BenchOptions(List.of(100_000L), 1, Path.of("/tmp/bench"), Path.of("docs/benchmarks.md"))).execute();
 * }</pre>
 */
public final class Bench {
  private static final Logger LOG = Logger.getLogger(Bench.class.getName());

  /** A Sunday inside the generator's default period (2025-10-06 + 52 weeks). */
  public static final LocalDate AS_OF = LocalDate.of(2026, 9, 27);

  /** Fixed ingestion time, so runs are comparable and no generated time is in the future. */
  public static final Instant INGESTED_AT = Instant.parse("2026-11-23T00:00:00Z");

  /** The figures compared between the engines, on the marts' own grains. */
  static final List<String> FUNNEL_GRAIN = List.of(Marts.COHORT_FUNNEL.grain());

  static final Map<String, Agreement.Kind> FUNNEL_VALUES = funnelValues();
  static final List<String> ATTRIBUTION_GRAIN = List.of(Marts.ATTRIBUTION.grain());
  static final Map<String, Agreement.Kind> ATTRIBUTION_VALUES =
      Map.of("bookings_credited", Agreement.Kind.NUMBER);

  /**
   * The steps of the run summary that the baseline also does: its load, the marts' shared inputs
   * and the two figures (the marts' files, {@code publish_marts}, and their commit, {@code
   * store_marts}, left out).
   */
  static final List<String> COMPARABLE_STEPS =
      List.of("ingest", "facts", "marts", Marts.COHORT_FUNNEL.table(), Marts.ATTRIBUTION.table());

  /** The steps of a backfill's plan that all its as-ofs share (named in the bench report). */
  static final List<String> SHARED_BACKFILL_STEPS =
      List.of("facts", "marts", "publish_marts", "publish_segment_lift", "store_marts");

  private final SparkSession spark;
  private final BenchOptions options;
  private final LeadloopConfig config;

  public Bench(SparkSession spark, BenchOptions options) {
    this.spark = spark;
    this.options = options;
    this.config = ConfigLoader.defaults();
  }

  /** One scale's figures. */
  public record ScaleResult(
      long persons,
      long landingRows,
      long landingBadRows,
      long landingBytes,
      int landingFiles,
      double generateSeconds,
      boolean landingReused,
      double leadloopSeconds,
      List<StepTimer.Step> steps,
      List<SparkStep> sparkSteps,
      long rowsRead,
      long rowsAccepted,
      ResourceSampler.Usage leadloopMemory,
      long warehouseBytes,
      long outBytes,
      DuckBaseline.Timing duck,
      ResourceSampler.Usage duckMemory,
      Map<String, Long> duckCounts,
      List<Agreement> agreements,
      List<String> countMismatches,
      double loadAverageBefore,
      double loadAverageAfter,
      double nextWeekSeconds,
      List<StepTimer.Step> nextWeekSteps,
      String baselineError,
      long weekRows,
      BackfillResult backfill) {

    public double comparableSeconds() {
      return steps.stream()
          .filter(s -> COMPARABLE_STEPS.contains(s.name()))
          .mapToDouble(StepTimer.Step::seconds)
          .sum();
    }

    public double ratio() {
      return leadloopSeconds / duck.totalSeconds();
    }

    public double comparableRatio() {
      return comparableSeconds() / duck.totalSeconds();
    }

    public boolean agrees() {
      return baselineError == null
          && agreements.stream().allMatch(Agreement::agrees)
          && countMismatches.isEmpty()
          && (backfill == null || backfill.agrees());
    }
  }

  /**
   * A backfill of {@code weeks} Sundays ({@code from} to {@code to}) on the scale's warehouse, and
   * DuckDB's {@code cohort_funnel} at the same as-ofs from the same files ({@code duckSeconds}: the
   * load once, then each as-of's state and funnel).
   *
   * @param agreements leadloop's cohort_funnel.csv of each as-of against DuckDB's
   * @param steps the first as-of's run.json steps: the shared plan's, its own and the shared stores
   */
  public record BackfillResult(
      int weeks,
      LocalDate from,
      LocalDate to,
      double seconds,
      double duckSeconds,
      List<Agreement> agreements,
      List<StepTimer.Step> steps,
      ResourceSampler.Usage memory) {
    public boolean agrees() {
      return agreements.size() == weeks && agreements.stream().allMatch(Agreement::agrees);
    }
  }

  /** The whole run: the machine and one result per scale. */
  public record Result(Map<String, Object> machine, List<ScaleResult> scales) {
    public boolean agrees() {
      return scales.stream().allMatch(ScaleResult::agrees);
    }
  }

  public Result execute() {
    Map<String, Object> machine = Machine.describe(spark);
    List<ScaleResult> results = new ArrayList<>();
    for (long persons : options.scales()) {
      ScaleResult r = runScale(persons);
      results.add(r);
      LOG.info(
          String.format(
              "bench %d persons: leadloop %.1f s, DuckDB %.1f s (ratio %.1f), agree %s",
              persons, r.leadloopSeconds(), r.duck().totalSeconds(), r.ratio(), r.agrees()));
      Result partial = new Result(machine, List.copyOf(results));
      writeJson(options.workDir().resolve("bench.json"), partial);
      if (options.report() != null) {
        writeString(options.report(), BenchReport.markdown(partial, options));
      }
    }
    return new Result(machine, results);
  }

  /** The weekly job as the CLI runs it, on the bench's configuration. */
  private WeeklyJob.Result weekly(
      Path landing, Path warehouse, Path out, java.time.LocalDate asOf, Instant ingestedAt) {
    return new WeeklyJob(
            spark,
            new WeeklyOptions(
                landing.toString(),
                warehouse.toString(),
                out.toString(),
                asOf,
                config,
                ingestedAt,
                false))
        .execute();
  }

  private ScaleResult runScale(long persons) {
    Path dir = options.workDir().resolve(Long.toString(persons));
    Path generated = dir.resolve("generated");
    Path marker = dir.resolve("generated.json");
    Path landing = dir.resolve("landing");
    Path week = dir.resolve("week");
    Path warehouse = dir.resolve("warehouse");
    Path out = dir.resolve("out");
    deleteTree(warehouse);
    deleteTree(out);
    deleteTree(dir.resolve("duckdb-tmp"));
    deleteTree(landing);
    deleteTree(week);
    deleteTree(dir.resolve("landing.json")); // a work folder may hold one from an older bench
    GeneratedSet set = landing(persons, generated, marker);
    // The history (every row that arrived before the cutoff of AS_OF) is the full run's landing;
    // the rows of the following week are the next week's delivery (see LandingSplit).
    long ts = System.nanoTime();
    LandingSplit split =
        LandingSplit.split(
            generated, new Cutoff(AS_OF, java.time.ZoneOffset.UTC).instant(), landing, week);
    LOG.info(
        String.format(
            "bench %d persons: landing split into %,d history rows and %,d rows of the next week, %.1f s",
            persons, split.history(), split.week(), (System.nanoTime() - ts) / 1e9));

    // leadloop: the weekly job, as the CLI runs it.
    double load0 = loadAverage();
    System.gc();
    ResourceSampler sampler = new ResourceSampler();
    long t0 = System.nanoTime();
    WeeklyJob.Result run = weekly(landing, warehouse, out, AS_OF, INGESTED_AT);
    double leadloopSeconds = (System.nanoTime() - t0) / 1e9;
    ResourceSampler.Usage llMem = sampler.stop();
    List<StepTimer.Step> steps = run.summary().steps();
    long[] read = rowsRead(run.summary());

    // DuckDB: the baseline on the same files.
    System.gc();
    ResourceSampler duckSampler = new ResourceSampler();
    DuckBaseline.Timing timing = new DuckBaseline.Timing(Double.NaN, Double.NaN);
    Map<String, Long> counts = Map.of();
    List<Agreement> agreements = new ArrayList<>();
    String baselineError = null;
    try (DuckBaseline db = new DuckBaseline(0, duckMemoryLimit(), dir.resolve("duckdb-tmp"))) {
      timing =
          db.run(
              landing,
              AS_OF,
              INGESTED_AT,
              config.bookingWindowDays(),
              config.linkHorizonDays(),
              config.attributionLookbackDays());
      counts = db.counts();
      Path metrics = Path.of(run.outDir()).resolve("metrics");
      agreements.add(
          Agreement.compare(
              db,
              "cohort_funnel",
              metrics.resolve(Marts.COHORT_FUNNEL.file()),
              null,
              "dk_cohort_funnel",
              FUNNEL_GRAIN,
              FUNNEL_VALUES));
      agreements.add(
          Agreement.compare(
              db,
              "attribution (last_touch, linear)",
              metrics.resolve(Marts.ATTRIBUTION.file()),
              "model IN ('last_touch', 'linear')",
              "dk_attribution",
              ATTRIBUTION_GRAIN,
              ATTRIBUTION_VALUES));
    } catch (RuntimeException ex) {
      // Keep leadloop's figures when the baseline cannot finish (at 10M persons DuckDB ran out of
      // temporary disk): the report says why there is no ratio and no agreement check.
      baselineError = ex.getMessage();
      LOG.warning("bench " + persons + ": the DuckDB baseline failed: " + baselineError);
    }
    ResourceSampler.Usage duckMem = duckSampler.stop();
    agreements.forEach(a -> LOG.info("bench " + persons + ": " + a.summary()));

    // The next week's run on the same warehouse: the week's files arrive in the landing folder
    // (ingest reads only them); facts and marts are computed at the new cutoff.
    double nextSeconds = Double.NaN;
    List<StepTimer.Step> nextSteps = List.of();
    if (options.nextWeek()) {
      copyWeek(week, landing);
      System.gc();
      long t1 = System.nanoTime();
      WeeklyJob.Result next =
          weekly(
              landing,
              warehouse,
              out,
              AS_OF.plusWeeks(1),
              INGESTED_AT.plus(java.time.Duration.ofDays(7)));
      nextSeconds = (System.nanoTime() - t1) / 1e9;
      nextSteps = next.summary().steps();
    }
    BackfillResult backfill =
        options.backfillWeeks() > 0 ? backfill(dir, landing, warehouse, persons) : null;
    return new ScaleResult(
        persons,
        set.rows(),
        set.bad(),
        set.bytes(),
        set.files(),
        set.seconds(),
        set.reused(),
        leadloopSeconds,
        steps,
        run.sparkSteps(),
        read[0],
        read[1],
        llMem,
        treeSize(warehouse),
        treeSize(out),
        timing,
        duckMem,
        counts,
        agreements,
        baselineError == null ? countMismatches(run.summary(), counts) : List.of(),
        load0,
        loadAverage(),
        nextSeconds,
        nextSteps,
        baselineError,
        split.week(),
        backfill);
  }

  /**
   * Times a backfill of {@link BenchOptions#backfillWeeks} Sundays up to the last as-of run (the
   * next week's when it ran) on {@code warehouse}, without exports, then DuckDB's cohort_funnel at
   * the same as-ofs from the same landing files, each as-of's compared with leadloop's.
   */
  private BackfillResult backfill(Path dir, Path landing, Path warehouse, long persons) {
    int weeks = options.backfillWeeks();
    LocalDate to = options.nextWeek() ? AS_OF.plusWeeks(1) : AS_OF;
    Instant ingested =
        options.nextWeek() ? INGESTED_AT.plus(java.time.Duration.ofDays(7)) : INGESTED_AT;
    LocalDate from = to.minusWeeks(weeks - 1L);
    Path out = dir.resolve("backfill-out");
    deleteTree(out);
    System.gc();
    ResourceSampler sampler = new ResourceSampler();
    long t0 = System.nanoTime();
    List<WeeklyJob.Result> runs =
        Backfill.run(
            spark,
            from,
            to,
            new WeeklyOptions(
                null,
                warehouse.toString(),
                out.toString(),
                to,
                config,
                ingested,
                false,
                false,
                false,
                false));
    double seconds = (System.nanoTime() - t0) / 1e9;
    ResourceSampler.Usage memory = sampler.stop();
    LOG.info(
        String.format("bench %d persons: backfill of %d weeks, %.1f s", persons, weeks, seconds));
    List<Agreement> agreements = new ArrayList<>();
    double duckSeconds = Double.NaN;
    deleteTree(dir.resolve("duckdb-tmp"));
    try (DuckBaseline db = new DuckBaseline(0, duckMemoryLimit(), dir.resolve("duckdb-tmp"))) {
      DuckBaseline.Timing first =
          db.run(
              landing,
              from,
              ingested,
              config.bookingWindowDays(),
              config.linkHorizonDays(),
              config.attributionLookbackDays());
      duckSeconds = first.totalSeconds();
      for (WeeklyJob.Result r : runs) {
        LocalDate d = LocalDate.parse(r.summary().asOf());
        if (!d.equals(from)) {
          duckSeconds += db.funnelAt(d);
        }
        agreements.add(
            Agreement.compare(
                db,
                "cohort_funnel as of " + d,
                Path.of(r.outDir()).resolve("metrics").resolve(Marts.COHORT_FUNNEL.file()),
                null,
                "dk_cohort_funnel",
                FUNNEL_GRAIN,
                FUNNEL_VALUES));
      }
    } catch (RuntimeException ex) {
      LOG.warning("bench " + persons + ": the DuckDB backfill baseline failed: " + ex.getMessage());
    }
    agreements.stream().filter(a -> !a.agrees()).forEach(a -> LOG.info("bench: " + a.summary()));
    return new BackfillResult(
        weeks, from, to, seconds, duckSeconds, agreements, runs.get(0).summary().steps(), memory);
  }

  /**
   * Per entity of the baseline: leadloop's rows_accepted and current_rows (run.json) against the
   * baseline's staged rows and rows at c; the differences, empty when all agree.
   */
  static List<String> countMismatches(RunSummary summary, Map<String, Long> duck) {
    List<String> out = new ArrayList<>();
    Map<String, RunSummary.EntityCounts> entities = summary.entities();
    String[][] pairs = {
      {"leads", "stg_leads", "leads_c"},
      {"lead_events", "stg_lead_events", "events_c"},
      {"touches", "stg_touches", "touches_c"},
      {"appointments", "stg_appointments", "appts_c"}
    };
    for (String[] p : pairs) {
      RunSummary.EntityCounts e = entities.get(p[0]);
      long accepted = e.rowsAccepted();
      long current = e.currentRows();
      if (accepted != duck.get(p[1])) {
        out.add(p[0] + " rows accepted: leadloop " + accepted + ", DuckDB " + duck.get(p[1]));
      }
      if (current != duck.get(p[2])) {
        out.add(p[0] + " rows at the cutoff: leadloop " + current + ", DuckDB " + duck.get(p[2]));
      }
    }
    return out;
  }

  /** Copies the week's files into the landing folder, named {@code week-<name>}. */
  private static void copyWeek(Path week, Path landing) {
    try (Stream<Path> files = Files.walk(week)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Path rel = week.relativize(f);
        Path to = landing.resolve(rel.getParent()).resolve("week-" + rel.getFileName());
        Files.createDirectories(to.getParent());
        Files.copy(f, to);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot copy the week's files: " + e.getMessage(), e);
    }
  }

  /** What the generated folder holds (generated now, or earlier with the same seed). */
  record GeneratedSet(long rows, long bad, long bytes, int files, double seconds, boolean reused) {}

  private GeneratedSet landing(long persons, Path landing, Path marker) {
    ObjectMapper om = new ObjectMapper();
    if (Files.isRegularFile(marker) && Files.isDirectory(landing)) {
      try {
        Map<?, ?> m = om.readValue(marker.toFile(), Map.class);
        if (((Number) m.get("seed")).longValue() == options.seed()
            && ((Number) m.get("persons")).longValue() == persons) {
          return new GeneratedSet(
              ((Number) m.get("rows")).longValue(),
              ((Number) m.get("bad")).longValue(),
              ((Number) m.get("bytes")).longValue(),
              ((Number) m.get("files")).intValue(),
              ((Number) m.get("seconds")).doubleValue(),
              true);
        }
      } catch (IOException | RuntimeException e) {
        LOG.warning(
            "bench: cannot reuse " + landing + " (" + e.getMessage() + "), generating again");
      }
    }
    deleteTree(marker);
    deleteTree(landing);
    GenerateResult g =
        new Generator(new GenerateOptions(persons, options.seed(), landing)).execute();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("persons", persons);
    m.put("seed", options.seed());
    m.put("rows", g.totalRows());
    m.put("bad", g.totalBadRows());
    m.put("bytes", g.bytes());
    m.put("files", g.files().size());
    m.put("seconds", g.seconds());
    writeJson(marker, m);
    return new GeneratedSet(
        g.totalRows(), g.totalBadRows(), g.bytes(), g.files().size(), g.seconds(), false);
  }

  private static long[] rowsRead(RunSummary summary) {
    long read = 0;
    long accepted = 0;
    for (RunSummary.EntityCounts e : summary.entities().values()) {
      read += e.rowsRead();
      accepted += e.rowsAccepted();
    }
    return new long[] {read, accepted};
  }

  /** A quarter of the machine's memory, at most 8 GB: the machine is shared. */
  private static String duckMemoryLimit() {
    long total = Machine.totalMemory();
    long mb = total <= 0 ? 4096 : Math.min(8192, total / 4 / (1024 * 1024));
    return Math.max(512, mb) + "MB";
  }

  private static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  static long treeSize(Path p) {
    if (!Files.exists(p)) {
      return 0;
    }
    try (Stream<Path> s = Files.walk(p)) {
      return s.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void deleteTree(Path p) {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void writeJson(Path path, Object value) {
    try {
      writeString(
          path,
          new ObjectMapper()
                  .findAndRegisterModules()
                  .enable(SerializationFeature.INDENT_OUTPUT)
                  .writeValueAsString(value)
              + "\n");
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static void writeString(Path path, String text) {
    try {
      Path parent = path.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(path, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + path + ": " + e.getMessage(), e);
    }
  }

  private static Map<String, Agreement.Kind> funnelValues() {
    Map<String, Agreement.Kind> m = new LinkedHashMap<>();
    // every cohort_funnel column but the grain (defined once, in CohortFunnel)
    for (String c :
        java.util.Arrays.asList(io.leadloop.jobs.metrics.CohortFunnel.COLUMNS)
            .subList(
                io.leadloop.jobs.metrics.CohortFunnel.GRAIN.length,
                io.leadloop.jobs.metrics.CohortFunnel.COLUMNS.length)) {
      m.put(c, c.contains("rate") ? Agreement.Kind.NUMBER : Agreement.Kind.EXACT);
    }
    return m;
  }
}
