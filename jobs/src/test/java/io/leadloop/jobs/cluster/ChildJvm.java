package io.leadloop.jobs.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A child JVM started by a test (S3Proxy, a Spark master, worker or driver): its output goes to a
 * log file and is kept for {@link #awaitLine}. Every child is stopped with its descendants (a
 * worker's executors) by {@link #close}, and by a JVM shutdown hook if a test did not get there.
 */
public final class ChildJvm implements AutoCloseable {
  private static final Set<ChildJvm> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> List.copyOf(RUNNING).forEach(ChildJvm::close), "child-jvm-cleanup"));
  }

  private final String name;
  private final Process process;
  private final Path log;
  private final StringBuilder output = new StringBuilder();
  private final Thread pump;

  private ChildJvm(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.pump = new Thread(this::pump, "child-jvm-" + name);
    pump.setDaemon(true);
    pump.start();
  }

  /** The java executable of this JVM. */
  public static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * This JVM's module flags ({@code --add-opens} etc. from the surefire argLine), which Spark on
   * Java 17 needs in every JVM.
   */
  public static List<String> moduleFlags() {
    List<String> flags = new ArrayList<>();
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("--add-")
          || a.equals("-XX:+IgnoreUnrecognizedVMOptions")
          || a.startsWith("-Djdk.reflect.")
          || a.startsWith("-Dio.netty.")
          || a.startsWith("-Duser.timezone")
          || a.startsWith("-Duser.language")
          || a.startsWith("-Duser.country")) {
        flags.add(a);
      }
    }
    return flags;
  }

  /**
   * The JIT and collector of a child that runs one small set once, cold: the JIT's first tier only
   * (C2's compiles do not pay back) and the throughput collector bin/leadloop uses. A cold weekly
   * run of data-samples took 54.6 / 54.9 s and 75 s of CPU so, against 61.0 / 64.5 s and 109-112 s
   * of CPU with C2 and G1.
   */
  public static final List<String> COLD_RUN_FLAGS =
      List.of("-XX:TieredStopAtLevel=1", "-XX:+UseParallelGC");

  /** The test classpath (surefire runs tests from a manifest-only jar). */
  public static String testClasspath() {
    String cp = System.getProperty("surefire.test.class.path");
    return cp == null || cp.isBlank() ? System.getProperty("java.class.path") : cp;
  }

  /**
   * Starts {@code command} (a full command line) with extra environment, logging to {@code log}.
   */
  public static ChildJvm start(String name, List<String> command, Map<String, String> env, Path log)
      throws IOException {
    Files.createDirectories(log.getParent());
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(env);
    ChildJvm c = new ChildJvm(name, pb.start(), log);
    RUNNING.add(c);
    return c;
  }

  private void pump() {
    try (BufferedReader r =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Writer w = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
      String line;
      while ((line = r.readLine()) != null) {
        w.write(line);
        w.write('\n');
        w.flush();
        synchronized (output) {
          output.append(line).append('\n');
          output.notifyAll();
        }
      }
    } catch (IOException e) {
      // the child went away
    } finally {
      synchronized (output) {
        output.notifyAll();
      }
    }
  }

  /**
   * Waits until a line of the child's output matches {@code p} and returns the match; fails when
   * the child exits first or after {@code timeout}.
   */
  public Matcher awaitLine(Pattern p, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (output) {
      while (true) {
        Matcher m = p.matcher(output);
        if (m.find()) {
          return m;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0 || (!process.isAlive() && !pump.isAlive())) {
          throw new IllegalStateException(
              name
                  + ": no line matching "
                  + p
                  + (process.isAlive() ? " in " + timeout : " before it exited")
                  + "; output:\n"
                  + tail());
        }
        output.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 500)));
      }
    }
  }

  /** Waits for the child to exit and returns its status; kills it after {@code timeout}. */
  public int waitFor(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      close();
      throw new IllegalStateException(
          name + " did not finish in " + timeout + "; output:\n" + tail());
    }
    pump.join(5_000);
    RUNNING.remove(this);
    return process.exitValue();
  }

  public String output() {
    synchronized (output) {
      return output.toString();
    }
  }

  /** The last 60 lines of output. */
  public String tail() {
    String[] lines = output().split("\n");
    return String.join(
        "\n", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - 60), lines.length));
  }

  public Process process() {
    return process;
  }

  public Path log() {
    return log;
  }

  /** Stops the child and its descendants: SIGTERM, then SIGKILL after 10 s. */
  @Override
  public void close() {
    RUNNING.remove(this);
    List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
    all.add(process.toHandle());
    all.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    for (ProcessHandle h : all) {
      try {
        h.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (Exception e) {
        h.destroyForcibly();
      }
    }
  }

  @Override
  public String toString() {
    return name + " (pid " + process.pid() + ")";
  }
}
