package io.leadloop.jobs.weekly;

import io.leadloop.common.spark.Warehouse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import java.util.logging.Logger;

/**
 * Times the steps of a run and logs one line per step (rows, seconds, Delta commits); with a {@link
 * TaskMetrics} source, each step also gets Spark's own figures for it (jobs, tasks, task and GC
 * seconds, shuffle, spill).
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
    return step(name, body, Long::longValue);
  }

  /** Runs a step that returns a result, whose rows {@code rows} counts; returns the result. */
  public <T> T step(String name, Supplier<T> body, ToLongFunction<T> rows) {
    TaskMetrics.Snapshot before = metrics == null ? null : metrics.snapshot();
    long commits0 = Warehouse.commits();
    long t0 = System.nanoTime();
    T result = body.get();
    long n = rows.applyAsLong(result);
    double s = (System.nanoTime() - t0) / 1e9;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("seconds", Math.round(s * 1000) / 1000.0);
    m.put("rows", n);
    String spark = "";
    if (metrics != null) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("name", name);
      x.putAll(metrics.snapshot().since(before));
      sparkSteps.add(x);
      // run.json's steps: the spec's keys, then the step's cost in Spark jobs and Delta commits
      m.put("spark_jobs", x.get("spark_jobs"));
      spark = " " + x;
    }
    m.put("delta_commits", Warehouse.commits() - commits0);
    steps.add(m);
    LOG.info(
        String.format(
            "step %s: %d rows, %.2f s, %d commits%s", name, n, s, m.get("delta_commits"), spark));
    return result;
  }

  /**
   * The steps so far (run.json's {@code steps}): name, seconds, rows, then spark_jobs (with a
   * {@link TaskMetrics} source) and delta_commits.
   */
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
