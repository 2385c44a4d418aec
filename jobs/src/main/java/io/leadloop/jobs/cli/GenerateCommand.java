package io.leadloop.jobs.cli;

import io.leadloop.common.LeadloopException;
import java.util.List;

/** {@code leadloop generate}: a synthetic landing set (wired to the generator package). */
final class GenerateCommand {
  private GenerateCommand() {}

  static void run(List<String> argv) {
    throw new LeadloopException("Cannot generate: not wired yet");
  }
}
