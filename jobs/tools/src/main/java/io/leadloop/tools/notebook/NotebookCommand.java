package io.leadloop.tools.notebook;

import io.leadloop.common.LeadloopException;
import io.leadloop.jobs.cli.Args;
import io.leadloop.jobs.cli.Command;
import io.leadloop.jobs.cli.Commands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code leadloop notebook run FILE.ipynb... --warehouse DIR}: runs notebooks, outputs in place.
 */
public final class NotebookCommand implements Command {
  @Override
  public String name() {
    return "notebook";
  }

  @Override
  public void run(List<String> argv) {
    if (argv.isEmpty() || !argv.get(0).equals("run")) {
      throw new LeadloopException(
          "Cannot run notebook: usage is notebook run FILE.ipynb... --warehouse DIR [--as-of YYYY-MM-DD]");
    }
    List<String> files = new ArrayList<>();
    int i = 1;
    while (i < argv.size() && !argv.get(i).startsWith("--")) {
      files.add(argv.get(i++));
    }
    if (files.isEmpty()) {
      throw new LeadloopException("Cannot run notebook: no .ipynb file given");
    }
    Args a =
        new Args(
            "notebook run", argv.subList(i, argv.size()), Set.of("warehouse", "as-of"), Set.of());
    String warehouse = a.require("warehouse");
    Commands.requireExists("notebook run", "warehouse", warehouse);
    LocalDate asOf = a.get("as-of") == null ? null : a.date("as-of");
    NotebookRunner runner = new NotebookRunner(Commands.spark(), warehouse, asOf);
    for (String f : files) {
      if (!Files.isRegularFile(Path.of(f))) {
        throw new LeadloopException("Cannot run notebook " + f + ": no such file");
      }
      NotebookRunner.Result r = runner.run(Path.of(f));
      System.out.println(
          "leadloop: ran " + r.cellsRun() + " cells of " + r.notebook() + " (written in place)");
    }
  }
}
