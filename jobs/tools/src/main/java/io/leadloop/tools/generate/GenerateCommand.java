package io.leadloop.tools.generate;

import io.leadloop.common.LeadloopException;
import io.leadloop.jobs.cli.Args;
import io.leadloop.jobs.cli.Command;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** {@code leadloop generate}: a synthetic landing set of any size (no Spark needed). */
public final class GenerateCommand implements Command {
  @Override
  public String name() {
    return "generate";
  }

  @Override
  public void run(List<String> argv) {
    Args a =
        new Args(
            "generate",
            argv,
            Set.of(
                "persons",
                "seed",
                "out",
                "reject-share",
                "start",
                "weeks",
                "holdout-salt",
                "holdout-share",
                "outreach-effect"),
            Set.of());
    GenerateOptions o;
    try {
      o =
          new GenerateOptions(
              a.number("persons", -1),
              a.number("seed", GenerateOptions.DEFAULT_SEED),
              Path.of(a.require("out")),
              a.get("reject-share") == null
                  ? GenerateOptions.DEFAULT_REJECT_SHARE
                  : Double.parseDouble(a.get("reject-share")),
              a.get("start") == null ? GenerateOptions.DEFAULT_START : a.date("start"),
              (int) a.number("weeks", GenerateOptions.DEFAULT_WEEKS),
              a.get("holdout-salt") == null
                  ? GenerateOptions.DEFAULT_HOLDOUT_SALT
                  : a.get("holdout-salt"),
              a.get("holdout-share") == null
                  ? GenerateOptions.DEFAULT_HOLDOUT_SHARE
                  : decimal("holdout-share", a.get("holdout-share")),
              a.get("outreach-effect") == null
                  ? GenerateOptions.DEFAULT_OUTREACH_EFFECT
                  : decimal("outreach-effect", a.get("outreach-effect")).doubleValue());
    } catch (IllegalArgumentException e) {
      throw new LeadloopException(e.getMessage(), e);
    }
    GenerateResult r;
    try {
      r = new Generator(o).execute();
    } catch (IllegalStateException | java.io.UncheckedIOException e) {
      throw new LeadloopException("Cannot generate: " + e.getMessage(), e);
    }
    System.out.printf(
        "generated %d rows (%d bad) in %d files, %.1f MiB, %.1f s into %s%n",
        r.totalRows(),
        r.totalBadRows(),
        r.files().size(),
        r.bytes() / 1048576.0,
        r.seconds(),
        o.out());
  }

  private static BigDecimal decimal(String option, String value) {
    try {
      return new BigDecimal(value.trim());
    } catch (NumberFormatException e) {
      throw new LeadloopException(
          "Cannot run generate: --" + option + " '" + value + "' is not a number", e);
    }
  }
}
