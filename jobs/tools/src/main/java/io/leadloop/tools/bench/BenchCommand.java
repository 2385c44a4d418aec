package io.leadloop.tools.bench;

import io.leadloop.common.LeadloopException;
import io.leadloop.jobs.cli.Args;
import io.leadloop.jobs.cli.Command;
import io.leadloop.jobs.cli.Commands;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code leadloop bench}: generate, run the weekly job and the DuckDB baseline, write the report.
 */
public final class BenchCommand implements Command {
  @Override
  public String name() {
    return "bench";
  }

  @Override
  public void run(List<String> argv) {
    Args a =
        new Args(
            "bench",
            argv,
            Set.of("scales", "seed", "work", "report", "backfill-weeks"),
            Set.of("no-next-week"));
    List<Long> scales = new ArrayList<>();
    for (String s : (a.get("scales") == null ? "100000" : a.get("scales")).split(",")) {
      try {
        scales.add(Long.parseLong(s.strip().replace("_", "")));
      } catch (NumberFormatException e) {
        throw new LeadloopException("Cannot run bench: --scales '" + s + "' is not a number");
      }
    }
    Path home = Commands.home();
    BenchOptions o =
        new BenchOptions(
            scales,
            a.number("seed", 1),
            Path.of(a.require("work")),
            a.get("report") == null ? home.resolve("docs/benchmarks.md") : Path.of(a.get("report")),
            !a.flag("no-next-week"),
            (int) a.number("backfill-weeks", 0));
    new Bench(Commands.spark(), o).execute();
    System.out.println("leadloop: benchmark written to " + o.report());
  }
}
