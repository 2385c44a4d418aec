package io.leadloop.jobs.run;

import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Spark's own task metrics, summed over every task of a Spark context: one listener per context
 * (registered on first use). {@link StepTimer} takes a {@link Snapshot} before and after each step,
 * so a run summary says where a step's time went (task time, CPU, GC, shuffle, spill, input)
 * besides its wall time. Listener events arrive asynchronously, so a snapshot first waits (at most
 * {@value #DRAIN_MILLIS} ms) for the context's listener bus to deliver what was posted; Spark
 * exposes that wait only on its internal {@code LiveListenerBus}, public in bytecode.
 */
public final class TaskMetrics extends SparkListener {
  private static final Map<SparkContext, TaskMetrics> BY_CONTEXT = new WeakHashMap<>();
  private static final double MIB = 1024.0 * 1024.0;
  static final long DRAIN_MILLIS = 2_000;

  private final LongAdder jobs = new LongAdder();
  private final LongAdder tasks = new LongAdder();
  private final LongAdder runMs = new LongAdder();
  private final LongAdder cpuNs = new LongAdder();
  private final LongAdder gcMs = new LongAdder();
  private final LongAdder inputBytes = new LongAdder();
  private final LongAdder shuffleReadBytes = new LongAdder();
  private final LongAdder shuffleWriteBytes = new LongAdder();
  private final LongAdder spillBytes = new LongAdder();

  private final SparkContext sc;

  private TaskMetrics(SparkContext sc) {
    this.sc = sc;
  }

  /** The listener of {@code sc}, registered on first use. */
  public static synchronized TaskMetrics of(SparkContext sc) {
    return BY_CONTEXT.computeIfAbsent(
        sc,
        k -> {
          TaskMetrics m = new TaskMetrics(k);
          k.addSparkListener(m);
          return m;
        });
  }

  @Override
  public void onJobStart(SparkListenerJobStart jobStart) {
    jobs.increment();
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
    org.apache.spark.executor.TaskMetrics m = taskEnd.taskMetrics();
    tasks.increment();
    if (m == null) {
      return;
    }
    runMs.add(m.executorRunTime());
    cpuNs.add(m.executorCpuTime());
    gcMs.add(m.jvmGCTime());
    inputBytes.add(m.inputMetrics().bytesRead());
    shuffleReadBytes.add(m.shuffleReadMetrics().totalBytesRead());
    shuffleWriteBytes.add(m.shuffleWriteMetrics().bytesWritten());
    spillBytes.add(m.diskBytesSpilled());
  }

  /** The totals so far (after the events posted until now were delivered, or the wait ran out). */
  public Snapshot snapshot() {
    try {
      sc.listenerBus().waitUntilEmpty(DRAIN_MILLIS);
    } catch (java.util.concurrent.TimeoutException e) {
      // a busy bus: the figures of the last few tasks count toward the next step
    }
    return new Snapshot(
        jobs.sum(),
        tasks.sum(),
        runMs.sum(),
        cpuNs.sum(),
        gcMs.sum(),
        inputBytes.sum(),
        shuffleReadBytes.sum(),
        shuffleWriteBytes.sum(),
        spillBytes.sum());
  }

  /** Totals at one moment; {@link #since} gives a step's share. */
  public record Snapshot(
      long jobs,
      long tasks,
      long runMs,
      long cpuNs,
      long gcMs,
      long inputBytes,
      long shuffleReadBytes,
      long shuffleWriteBytes,
      long spillBytes) {

    /** The figures of step {@code name}: those between {@code before} and this snapshot. */
    public SparkStep since(Snapshot before, String name) {
      return new SparkStep(
          name,
          jobs - before.jobs,
          tasks - before.tasks,
          round((runMs - before.runMs) / 1e3),
          round((cpuNs - before.cpuNs) / 1e9),
          round((gcMs - before.gcMs) / 1e3),
          round((inputBytes - before.inputBytes) / MIB),
          round((shuffleReadBytes - before.shuffleReadBytes) / MIB),
          round((shuffleWriteBytes - before.shuffleWriteBytes) / MIB),
          round((spillBytes - before.spillBytes) / MIB));
    }

    private static double round(double v) {
      return Math.round(v * 100) / 100.0;
    }
  }
}
