package io.leadloop.jobs.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.leadloop.common.spark.Warehouse;
import java.util.ArrayList;
import java.util.List;
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

  /**
   * One step of run.json's {@code steps}: the spec's keys, then its cost in Spark jobs (null, and
   * not written, for a timer without {@link TaskMetrics}) and Delta commits.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"name", "seconds", "rows", "spark_jobs", "delta_commits"})
  public record Step(
      @JsonProperty("name") String name,
      @JsonProperty("seconds") double seconds,
      @JsonProperty("rows") long rows,
      @JsonProperty("spark_jobs") Long sparkJobs,
      @JsonProperty("delta_commits") long deltaCommits) {}

  private final List<Step> steps = new ArrayList<>();
  private final TaskMetrics metrics;
  private final List<SparkStep> sparkSteps = new ArrayList<>();

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
    String spark = "";
    Long jobs = null;
    if (metrics != null) {
      SparkStep x = metrics.snapshot().since(before, name);
      sparkSteps.add(x);
      jobs = x.sparkJobs();
      spark = " " + x;
    }
    Step step =
        new Step(name, Math.round(s * 1000) / 1000.0, n, jobs, Warehouse.commits() - commits0);
    steps.add(step);
    LOG.info(
        String.format(
            "step %s: %d rows, %.2f s, %d commits%s", name, n, s, step.deltaCommits(), spark));
    return result;
  }

  /**
   * The steps so far (run.json's {@code steps}): name, seconds, rows, then spark_jobs (with a
   * {@link TaskMetrics} source) and delta_commits.
   */
  public List<Step> steps() {
    return List.copyOf(steps);
  }

  /** Spark's task metrics per step; empty without a {@link TaskMetrics} source. */
  public List<SparkStep> sparkSteps() {
    return List.copyOf(sparkSteps);
  }
}
