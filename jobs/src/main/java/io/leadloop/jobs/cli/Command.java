package io.leadloop.jobs.cli;

import java.util.List;

/**
 * A subcommand that lives outside the pipeline's jar (the bench, the generator, the notebook
 * runner): found with {@link java.util.ServiceLoader} when its module is on the class path, as it
 * is for {@code bin/leadloop}. The cluster jar carries only the pipeline's own commands.
 */
public interface Command {
  /** The word after {@code leadloop}, e.g. {@code bench}. */
  String name();

  /**
   * Parses {@code argv} (the words after the name) and runs; throws LeadloopException on bad input.
   */
  void run(List<String> argv);
}
