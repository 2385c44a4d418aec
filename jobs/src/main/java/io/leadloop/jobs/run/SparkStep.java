package io.leadloop.jobs.run;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Spark's own figures for one step of a run, summed over its tasks ({@link TaskMetrics}): where the
 * step's wall time went. Named as in the step's log line and the bench's report; written in the
 * order of its components.
 */
public record SparkStep(
    @JsonProperty("name") String name,
    @JsonProperty("spark_jobs") long sparkJobs,
    @JsonProperty("tasks") long tasks,
    @JsonProperty("task_seconds") double taskSeconds,
    @JsonProperty("task_cpu_seconds") double taskCpuSeconds,
    @JsonProperty("gc_seconds") double gcSeconds,
    @JsonProperty("input_mib") double inputMib,
    @JsonProperty("shuffle_read_mib") double shuffleReadMib,
    @JsonProperty("shuffle_write_mib") double shuffleWriteMib,
    @JsonProperty("spill_mib") double spillMib) {

  /** The figures' names, in order (after {@code name}). */
  public static final List<String> FIGURES =
      List.of(
          "spark_jobs",
          "tasks",
          "task_seconds",
          "task_cpu_seconds",
          "gc_seconds",
          "input_mib",
          "shuffle_read_mib",
          "shuffle_write_mib",
          "spill_mib");

  /** The figures in the order of {@link #FIGURES}: counts as longs, the rest as doubles. */
  public List<Number> figures() {
    return List.of(
        sparkJobs,
        tasks,
        taskSeconds,
        taskCpuSeconds,
        gcSeconds,
        inputMib,
        shuffleReadMib,
        shuffleWriteMib,
        spillMib);
  }

  /** {@code {name=..., spark_jobs=..., ...}}, as the step's log line shows it. */
  @Override
  public String toString() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    List<Number> values = figures();
    for (int i = 0; i < FIGURES.size(); i++) {
      m.put(FIGURES.get(i), values.get(i));
    }
    return m.toString();
  }
}
