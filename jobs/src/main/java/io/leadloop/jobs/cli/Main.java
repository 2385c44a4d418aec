package io.leadloop.jobs.cli;

import io.leadloop.common.LeadloopException;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@code leadloop} command line: parses the subcommand and its options and calls its {@code
 * run}. Exit status 0 on success; otherwise one line on stderr and status 2 (bad input, a check
 * that stopped the run) or 1 (unexpected failure).
 */
public final class Main {
  static final String USAGE =
      """
      usage: leadloop <command> [options]
        weekly   --landing DIR --warehouse DIR --out DIR --as-of YYYY-MM-DD [--config FILE]
                 [--ingested-at ISO-INSTANT] [--dry-run] [--full-refresh] [--incremental-facts]
        ingest   --landing DIR --warehouse DIR [--config FILE] [--ingested-at ISO-INSTANT]
                 [--full-refresh]
        segments --warehouse DIR --out DIR --as-of YYYY-MM-DD [--config FILE] [--dry-run]
        backfill --warehouse DIR --out DIR --from YYYY-MM-DD --to YYYY-MM-DD [--config FILE]
                 [--landing DIR] [--incremental-facts] [--exports] [--dry-run]
        generate --persons N --seed S --out DIR [--reject-share X] [--start YYYY-MM-DD]
                 [--weeks N] [--holdout-share X] [--holdout-salt S] [--outreach-effect X]
        notebook run FILE.ipynb... --warehouse DIR [--as-of YYYY-MM-DD]
        bench    --work DIR [--scales 100000,1000000] [--seed S] [--report FILE] [--no-next-week]
        demo     [--out DIR]   (the bundled sample, local Spark, local warehouse)
      """;

  private Main() {}

  public static void main(String[] argv) {
    System.setProperty(
        "java.util.logging.SimpleFormatter.format", "%1$tT %4$s leadloop: %5$s%6$s%n");
    int status = run(argv);
    System.exit(status);
  }

  /** Runs a command; returns the exit status. */
  public static int run(String[] argv) {
    if (argv.length == 0 || argv[0].equals("--help") || argv[0].equals("-h")) {
      System.out.print(USAGE);
      return argv.length == 0 ? 2 : 0;
    }
    List<String> rest = Arrays.asList(argv).subList(1, argv.length);
    try {
      Commands.dispatch(argv[0], rest);
      return 0;
    } catch (Throwable t) {
      LeadloopException le = LeadloopException.find(t);
      if (le != null) {
        System.err.println("leadloop: " + le.getMessage());
        return 2;
      }
      Logger.getLogger(Main.class.getName()).log(Level.FINE, "unexpected failure", t);
      System.err.println("leadloop: unexpected failure: " + t);
      t.printStackTrace(System.err);
      return 1;
    }
  }
}
