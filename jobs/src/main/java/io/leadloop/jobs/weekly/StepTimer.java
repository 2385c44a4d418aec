package io.leadloop.jobs.weekly;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Times the steps of a run and logs one line per step (rows, seconds); with a {@link TaskMetrics}
 * source, each step also gets Spark's own figures for it (jobs, tasks, task and GC seconds,
 * shuffle, spill).
 */
public final class StepTimer {
  private static final Logger LOG = Logger.getLogger(StepTimer.class.getName());
  private final List<Map<String, Object>> steps = new ArrayList<>();
  private final TaskMetrics metrics;
  private final List<Map<String, Object>> sparkSteps = new ArrayList<>();

  /** A timer of wall time only. */
  public StepTimer() {
    this(null);
  }

  /** A timer that also records Spark's task metrics per step ({@code null}: wall time only). */
  public StepTimer(TaskMetrics metrics) {
    this.metrics = metrics;
  }

  /** Runs a step that returns its row count. */
  public long step(String name, Supplier<Long> body) {
    TaskMetrics.Snapshot before = metrics == null ? null : metrics.snapshot();
    long t0 = System.nanoTime();
    long rows = body.get();
    double s = (System.nanoTime() - t0) / 1e9;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("seconds", Math.round(s * 1000) / 1000.0);
    m.put("rows", rows);
    steps.add(m);
    String spark = "";
    if (metrics != null) {
      // Kept apart from steps(): run.json's steps have exactly the spec's keys.
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("name", name);
      x.putAll(metrics.snapshot().since(before));
      sparkSteps.add(x);
      spark = " " + x;
    }
    LOG.info(String.format("step %s: %d rows, %.2f s%s", name, rows, s, spark));
    return rows;
  }

  /** The steps so far: name, seconds, rows (run.json's {@code steps}). */
  public List<Map<String, Object>> steps() {
    return List.copyOf(steps);
  }

  /**
   * Spark's task metrics per step (name, then {@link TaskMetrics.Snapshot#since}); empty without.
   */
  public List<Map<String, Object>> sparkSteps() {
    return List.copyOf(sparkSteps);
  }
}
