package io.leadloop.jobs.reliability;

import io.leadloop.common.Faults;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Runs the leadloop CLI in a separate JVM (the test's classpath and JVM flags) and kills it. */
final class ChildJvm {
  private ChildJvm() {}

  static Process start(Path workDir, String fault, Path marker, List<String> args)
      throws IOException {
    // The same java, module flags and classpath as the cluster tests' child JVMs.
    List<String> cmd = new ArrayList<>();
    cmd.add(io.leadloop.jobs.cluster.ChildJvm.java());
    cmd.addAll(io.leadloop.jobs.cluster.ChildJvm.moduleFlags());
    cmd.add("-Xmx2g");
    // A child runs the small data-samples set once, cold, and is killed.
    cmd.addAll(io.leadloop.jobs.cluster.ChildJvm.COLD_RUN_FLAGS);
    cmd.add("-D" + Faults.PROPERTY + "=" + fault);
    cmd.add("-D" + Faults.MARKER + "=" + marker);
    cmd.add("-cp");
    cmd.add(io.leadloop.jobs.cluster.ChildJvm.testClasspath());
    cmd.add("io.leadloop.jobs.cli.Main");
    cmd.addAll(args);
    return new ProcessBuilder(cmd)
        .directory(workDir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(logFile(fault).toFile())
        .start();
  }

  /** Child output is kept under target/child-logs for a failing test's diagnosis. */
  static Path logFile(String fault) throws IOException {
    Path dir = Path.of("target", "child-logs").toAbsolutePath();
    Files.createDirectories(dir);
    return dir.resolve(fault + ".log");
  }

  /** Waits for the fault point's marker, then sends SIGKILL; fails if the child ends first. */
  static void killAtMarker(Process p, Path marker, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!Files.exists(marker)) {
      if (!p.isAlive()) {
        throw new AssertionError(
            "child ended (status " + p.exitValue() + ") before reaching the fault point");
      }
      if (System.nanoTime() > deadline) {
        p.destroyForcibly();
        throw new AssertionError("child did not reach the fault point in " + timeout);
      }
      Thread.sleep(200);
    }
    p.destroyForcibly().waitFor(); // SIGKILL on Unix: no shutdown hooks, no cleanup
  }
}
