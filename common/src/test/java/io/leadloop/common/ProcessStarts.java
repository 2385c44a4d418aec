package io.leadloop.common;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordingFile;

/**
 * The processes this JVM starts while a piece of work runs, read from a flight recording of the
 * {@code jdk.ProcessStart} event: for tests that a file system or a session starts none.
 */
public final class ProcessStarts {
  private static final String EVENT = "jdk.ProcessStart";

  private ProcessStarts() {}

  /** Work that may throw, as a test's body does. */
  @FunctionalInterface
  public interface Work {
    void run() throws Exception;
  }

  /**
   * The command lines of the processes started while {@code work} ran, in order; the recording is
   * kept at {@code jfr}.
   */
  public static List<String> during(Path jfr, Work work) throws Exception {
    // Hadoop's Shell class starts one process (a setsid probe) when it is first loaded
    Class.forName("org.apache.hadoop.util.Shell");
    try (Recording r = new Recording()) {
      r.enable(EVENT);
      r.start();
      work.run();
      r.stop();
      r.dump(jfr);
    }
    return commands(jfr);
  }

  private static List<String> commands(Path jfr) throws IOException {
    return RecordingFile.readAllEvents(jfr).stream()
        .filter(e -> e.getEventType().getName().equals(EVENT))
        .map(e -> e.getString("command"))
        .toList();
  }
}
