package io.leadloop.jobs.cli;

import io.leadloop.common.LeadloopException;
import io.leadloop.common.config.ConfigLoader;
import io.leadloop.common.config.LeadloopConfig;
import io.leadloop.common.spark.Sessions;
import io.leadloop.common.spark.Warehouse;
import io.leadloop.jobs.ingest.IngestAction;
import io.leadloop.jobs.ingest.IngestResult;
import io.leadloop.jobs.weekly.Backfill;
import io.leadloop.jobs.weekly.WeeklyJob;
import io.leadloop.jobs.weekly.WeeklyOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import org.apache.spark.sql.SparkSession;

/** The subcommands: each parses its options, then calls its job's {@code run}. */
public final class Commands {
  /** Commands provided by the tools module (see {@link Command}). */
  static final Set<String> TOOLS = Set.of("bench", "generate", "notebook", "demo");

  private Commands() {}

  static void dispatch(String command, List<String> argv) {
    switch (command) {
      case "weekly" -> weekly(argv);
      case "ingest" -> ingest(argv);
      case "segments" -> segments(argv);
      case "backfill" -> backfill(argv);
      default -> tool(command).run(argv);
    }
  }

  /**
   * A command of a module around the pipeline (bench, generate, notebook), if on the class path.
   */
  private static Command tool(String command) {
    for (Command c : ServiceLoader.load(Command.class)) {
      if (c.name().equals(command)) {
        return c;
      }
    }
    String why =
        TOOLS.contains(command)
            ? "it is a tool around the pipeline, not in this jar (run it with bin/leadloop)"
            : "unknown command (see leadloop --help)";
    throw new LeadloopException("Cannot run '" + command + "': " + why);
  }

  static LeadloopConfig config(Args a) {
    String file = a.get("config");
    if (file != null && !Files.isRegularFile(Path.of(file))) {
      throw new LeadloopException("Cannot load config: " + file + " does not exist");
    }
    return ConfigLoader.load(file == null ? null : Path.of(file));
  }

  static LocalDate asOf(Args a, String name, LeadloopConfig config) {
    LocalDate d = a.date(name);
    if (d.isAfter(LocalDate.now(config.timezone()))) {
      throw new LeadloopException("Cannot run: --" + name + " " + d + " is in the future");
    }
    return d;
  }

  public static void requireExists(String command, String option, String location) {
    if (!location.contains("://") && !Files.exists(Path.of(location))) {
      throw new LeadloopException(
          "Cannot run " + command + ": --" + option + " " + location + " does not exist");
    }
  }

  /** Fails fast (before Spark starts) when an output location cannot be written. */
  static void requireWritable(String command, String option, String location) {
    if (location.contains("://") && !location.startsWith("file:")) {
      return;
    }
    Path p = Path.of(location).toAbsolutePath();
    while (p != null && !Files.exists(p)) {
      p = p.getParent();
    }
    if (p == null || !Files.isDirectory(p) || !Files.isWritable(p)) {
      throw new LeadloopException(
          "Cannot run "
              + command
              + ": --"
              + option
              + " "
              + location
              + " is not writable ("
              + (p == null
                  ? "no existing parent"
                  : p + (Files.isDirectory(p) ? " is read-only" : " is not a folder"))
              + ")");
    }
  }

  public static SparkSession spark() {
    return Sessions.getOrCreate("leadloop");
  }

  private static void weekly(List<String> argv) {
    Args a =
        new Args(
            "weekly",
            argv,
            Set.of("landing", "warehouse", "out", "as-of", "config", "ingested-at"),
            Set.of("dry-run", "full-refresh", "incremental-facts"));
    LeadloopConfig config = config(a);
    String landing = a.require("landing");
    requireExists("weekly", "landing", landing);
    requireWritable("weekly", "warehouse", a.require("warehouse"));
    requireWritable("weekly", "out", a.require("out"));
    WeeklyOptions o =
        new WeeklyOptions(
            landing,
            a.require("warehouse"),
            a.require("out"),
            asOf(a, "as-of", config),
            config,
            a.instant("ingested-at") == null ? Instant.now() : a.instant("ingested-at"),
            a.flag("dry-run"),
            a.flag("full-refresh"),
            a.flag("incremental-facts"));
    report(new WeeklyJob(spark(), o).execute());
  }

  private static void segments(List<String> argv) {
    Args a =
        new Args(
            "segments", argv, Set.of("warehouse", "out", "as-of", "config"), Set.of("dry-run"));
    LeadloopConfig config = config(a);
    requireExists("segments", "warehouse", a.require("warehouse"));
    WeeklyOptions o =
        new WeeklyOptions(
            null,
            a.require("warehouse"),
            a.require("out"),
            asOf(a, "as-of", config),
            config,
            Instant.now(),
            a.flag("dry-run"));
    report(new WeeklyJob(spark(), o).execute());
  }

  private static void ingest(List<String> argv) {
    Args a =
        new Args(
            "ingest",
            argv,
            Set.of("landing", "warehouse", "config", "ingested-at"),
            Set.of("full-refresh"));
    LeadloopConfig config = config(a);
    String landing = a.require("landing");
    requireExists("ingest", "landing", landing);
    Instant at = a.instant("ingested-at") == null ? Instant.now() : a.instant("ingested-at");
    IngestResult r =
        new IngestAction(
                new Warehouse(spark(), a.require("warehouse")),
                landing,
                at,
                config,
                a.flag("full-refresh"))
            .execute();
    System.out.printf("ingested batch %d: %s%n", r.batchId(), r.entities());
  }

  private static void backfill(List<String> argv) {
    Args a =
        new Args(
            "backfill",
            argv,
            Set.of("warehouse", "out", "from", "to", "config", "landing", "ingested-at"),
            Set.of("incremental-facts", "exports", "dry-run"));
    LeadloopConfig config = config(a);
    LocalDate from = a.date("from");
    LocalDate to = asOf(a, "to", config);
    String landing = a.get("landing");
    Instant at = a.instant("ingested-at") == null ? Instant.now() : a.instant("ingested-at");
    SparkSession spark = spark();
    Backfill.run(
            spark,
            from,
            to,
            new WeeklyOptions(
                landing,
                a.require("warehouse"),
                a.require("out"),
                to,
                config,
                at,
                a.flag("dry-run"),
                false,
                a.flag("incremental-facts"),
                a.flag("exports")))
        .forEach(Commands::report);
  }

  /** The checkout bin/leadloop runs from ({@code -Dleadloop.home}), else the working folder. */
  public static Path home() {
    return Path.of(System.getProperty("leadloop.home", ".")).toAbsolutePath().normalize();
  }

  static void report(WeeklyJob.Result r) {
    System.out.println("leadloop: run " + r.runId() + " wrote " + r.outDir());
  }

  static void deleteTree(Path p) {
    if (!Files.exists(p)) {
      return;
    }
    try (var s = Files.walk(p)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (java.io.IOException e) {
      throw new LeadloopException("Cannot clear " + p + ": " + e.getMessage(), e);
    }
  }
}
