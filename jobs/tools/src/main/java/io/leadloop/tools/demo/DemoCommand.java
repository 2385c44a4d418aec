package io.leadloop.tools.demo;

import io.leadloop.common.LeadloopException;
import io.leadloop.common.config.ConfigLoader;
import io.leadloop.common.config.LeadloopConfig;
import io.leadloop.common.spark.Warehouse;
import io.leadloop.jobs.cli.Args;
import io.leadloop.jobs.cli.Command;
import io.leadloop.jobs.cli.Commands;
import io.leadloop.jobs.ingest.IngestAction;
import io.leadloop.jobs.metrics.Marts;
import io.leadloop.jobs.weekly.Backfill;
import io.leadloop.jobs.weekly.WeeklyJob;
import io.leadloop.jobs.weekly.WeeklyOptions;
import io.leadloop.tools.generate.GenerateOptions;
import io.leadloop.tools.generate.Generator;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.SparkSession;

/**
 * {@code leadloop demo [--out DIR] [--persons N] [--weeks N]}: generates a seeded clinic (the same
 * files every time) whose outreach to stalled leads really works ({@code --outreach-effect 2}, 20%
 * of stalled-lead episodes held out with the salt of the demo's config, outreach at each lead's
 * entry into the published lists), ingests it, backfills the {@code weeks} Sundays up to {@value
 * #AS_OF} in one pass as {@code backfill --exports} does (its last Sunday is the week's run: the
 * same outputs as {@code weekly} as of that day), and prints where the report is: its trend has a
 * point per week, its tables real numbers. The config is {@code demo/config.yaml} (written beside
 * the outputs).
 */
public final class DemoCommand implements Command {
  static final String AS_OF = "2026-09-27";
  static final String INGESTED_AT = "2026-10-01T00:00:00Z";
  static final LocalDate START = LocalDate.parse("2026-01-05");

  /** The simulated period ends at the demo's cutoff (2026-09-28): 38 weeks from START. */
  static final int PERIOD_WEEKS = 38;

  // Enough persons for the report's weekly cells to clear the small-cell rule (min_cell_n).
  static final long PERSONS = 5_000;
  // Twelve weeks, the last the week's run: a quarter of trend. The backfill publishes (as with
  // --exports) so that, with the config's 14-day outcome window, the entries of the earlier weeks
  // have matured by the last and the lift has something to count.
  static final int WEEKS = 12;
  static final long SEED = 42;
  // The generator's largest effect: a treated stalled lead reached at its entry books within 14
  // days with 0.80 (no_time_slot), 0.20 (pricing_unclear) or 0.40 (other reasons, or none) times
  // 0.2465, a CRM decision's chance to book. The generator is told the first published Sunday: the
  // first export adds every member at once, so that is when outreach reaches the leads already
  // stalled.
  static final double OUTREACH_EFFECT = 2;

  @Override
  public String name() {
    return "demo";
  }

  @Override
  public void run(List<String> argv) {
    Args a = new Args("demo", argv, Set.of("out", "persons", "weeks"), Set.of());
    Path base =
        a.get("out") == null
            ? Commands.home().resolve("demo")
            : Path.of(a.get("out")).toAbsolutePath();
    long persons = a.number("persons", PERSONS);
    int weeks = (int) a.number("weeks", WEEKS);
    if (weeks < 1) {
      throw new LeadloopException("Cannot run demo: --weeks must be at least 1");
    }
    deleteTree(base);
    Path configFile = base.resolve("config.yaml");
    LeadloopConfig config = writeConfig(configFile);
    Path landing = base.resolve("landing");
    LocalDate asOf = LocalDate.parse(AS_OF);
    LocalDate firstPublished = asOf.minusWeeks(weeks - 1L);
    new Generator(
            new GenerateOptions(
                persons,
                SEED,
                landing,
                GenerateOptions.DEFAULT_REJECT_SHARE,
                START,
                PERIOD_WEEKS,
                config.holdoutSalt(),
                config.holdoutShare("stalled_lead"),
                OUTREACH_EFFECT,
                firstPublished))
        .execute();
    SparkSession spark = Commands.spark();
    String warehouse = base.resolve("warehouse").toString();
    String out = base.resolve("out").toString();
    Instant at = Instant.parse(INGESTED_AT);
    new IngestAction(new Warehouse(spark, warehouse), landing.toString(), at, config).execute();
    List<WeeklyJob.Result> runs =
        Backfill.run(
            spark,
            firstPublished,
            asOf,
            new WeeklyOptions(null, warehouse, out, asOf, config, at, false, false, false, true));
    WeeklyJob.Result last = runs.get(runs.size() - 1);
    System.out.printf(
        "demo: %d persons (seed %d), %d published weeks to %s in one backfill; outreach at a"
            + " treated stalled lead's entry adds 5-20 points to its chance to book within 14 days (effect %.0f), %s"
            + " of stalled-lead episodes held out%n",
        persons,
        SEED,
        weeks,
        AS_OF,
        OUTREACH_EFFECT,
        config.holdoutShare("stalled_lead").stripTrailingZeros().toPlainString());
    System.out.println("config:       " + configFile);
    System.out.println("warehouse (Delta tables): " + warehouse);
    System.out.println("run summary:  " + last.outDir() + "/run.json");
    System.out.println("lift:         " + last.outDir() + "/" + Marts.SEGMENT_LIFT.path());
    System.out.println("report:       " + last.outDir() + "/report.html");
  }

  private static LeadloopConfig writeConfig(Path file) {
    try (InputStream in = DemoCommand.class.getResourceAsStream("/demo/config.yaml")) {
      Files.createDirectories(file.getParent());
      Files.copy(in, file);
    } catch (IOException e) {
      throw new LeadloopException("Cannot write " + file + ": " + e.getMessage(), e);
    }
    LeadloopConfig c = ConfigLoader.load(file);
    if (c.holdoutShare("stalled_lead").compareTo(BigDecimal.ZERO) <= 0) {
      throw new IllegalStateException("the demo config holds out no stalled lead");
    }
    return c;
  }

  private static void deleteTree(Path p) {
    if (!Files.exists(p)) {
      return;
    }
    try (var s = Files.walk(p)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      throw new LeadloopException("Cannot clear " + p + ": " + e.getMessage(), e);
    }
  }
}
