package io.leadloop.common;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Named fault-injection points for the crash tests. When the system property {@code leadloop.fault}
 * names a point, the process writes the marker file named by {@code leadloop.fault.marker} and then
 * waits to be killed (the test sends SIGKILL). A no-op otherwise.
 */
public final class Faults {
  public static final String PROPERTY = "leadloop.fault";
  public static final String MARKER = "leadloop.fault.marker";

  private Faults() {}

  public static void point(String name) {
    if (!name.equals(System.getProperty(PROPERTY))) {
      return;
    }
    try {
      Files.writeString(Path.of(System.getProperty(MARKER, "leadloop.fault.marker")), name);
      while (true) {
        Thread.sleep(60_000);
      }
    } catch (IOException | InterruptedException e) {
      Runtime.getRuntime().halt(137);
    }
  }
}
