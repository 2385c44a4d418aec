package io.leadloop.jobs.cli;

import io.leadloop.common.LeadloopException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code --name value} and {@code --flag} options of one subcommand, checked against a list. */
public final class Args {
  private final String command;
  private final Map<String, String> values = new HashMap<>();

  public Args(String command, List<String> argv, Set<String> options, Set<String> flags) {
    this.command = command;
    for (int i = 0; i < argv.size(); i++) {
      String a = argv.get(i);
      if (!a.startsWith("--")) {
        throw new LeadloopException("Cannot run " + command + ": unexpected argument '" + a + "'");
      }
      String name = a.substring(2);
      String inline = null;
      int eq = name.indexOf('=');
      if (eq > 0) {
        inline = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      if (flags.contains(name)) {
        values.put(name, "true");
      } else if (options.contains(name)) {
        if (inline == null && (i + 1 >= argv.size() || argv.get(i + 1).startsWith("--"))) {
          throw new LeadloopException("Cannot run " + command + ": --" + name + " needs a value");
        }
        values.put(name, inline != null ? inline : argv.get(++i));
      } else {
        throw new LeadloopException("Cannot run " + command + ": unknown option --" + name);
      }
    }
  }

  public String get(String name) {
    return values.get(name);
  }

  public String require(String name) {
    String v = values.get(name);
    if (v == null || v.isBlank()) {
      throw new LeadloopException("Cannot run " + command + ": --" + name + " is required");
    }
    return v;
  }

  public boolean flag(String name) {
    return values.containsKey(name);
  }

  public LocalDate date(String name) {
    String v = require(name);
    try {
      return LocalDate.parse(v);
    } catch (DateTimeParseException e) {
      throw new LeadloopException(
          "Cannot run " + command + ": --" + name + " '" + v + "' is not a date (YYYY-MM-DD)");
    }
  }

  public Instant instant(String name) {
    String v = values.get(name);
    if (v == null) {
      return null;
    }
    try {
      return Instant.parse(v);
    } catch (DateTimeParseException e) {
      try {
        return java.time.OffsetDateTime.parse(v).toInstant();
      } catch (DateTimeParseException e2) {
        throw new LeadloopException(
            "Cannot run " + command + ": --" + name + " '" + v + "' is not an ISO instant");
      }
    }
  }

  public long number(String name, long dflt) {
    String v = values.get(name);
    if (v == null) {
      return dflt;
    }
    try {
      return Long.parseLong(v.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new LeadloopException(
          "Cannot run " + command + ": --" + name + " '" + v + "' is not a number");
    }
  }
}
