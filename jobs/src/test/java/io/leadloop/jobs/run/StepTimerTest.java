package io.leadloop.jobs.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadloop.common.SparkTestBase;
import io.leadloop.common.spark.Warehouse;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.Tuple2;

/** Steps keep the spec's run.json keys; Spark's task metrics are counted per step apart. */
class StepTimerTest extends SparkTestBase {
  /** How long each sleeping step or task takes. */
  private static final long SLEEP_MS = 400;

  /** How much longer than its sleep a step may take on a busy machine (wall time). */
  private static final double SLACK_SECONDS = 5.0;

  /** Task run time hardly depends on the load: a sleeping task runs its sleep plus a little. */
  private static final double TASK_SLACK_SECONDS = 1.0;

  private static void sleep() {
    try {
      Thread.sleep(SLEEP_MS);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aStepsSecondsAreItsWallTimeInSecondsRoundedToMilliseconds() {
    StepTimer timer = new StepTimer();
    long rows =
        timer.step(
            "sleep",
            () -> {
              sleep();
              return 7L;
            });
    assertThat(rows).isEqualTo(7L);
    assertThat(timer.steps()).hasSize(1);
    StepTimer.Step step = timer.steps().get(0);
    // the spec's keys, then the step's Delta commits (its Spark jobs only with a TaskMetrics
    // source), as run.json writes them
    assertThat(RunSummary.json(step, false))
        .matches("\\{\"name\":\"sleep\",\"seconds\":[0-9.]+,\"rows\":7,\"delta_commits\":0}");
    assertThat(step.sparkJobs()).isNull();
    double seconds = step.seconds();
    assertThat(seconds).isBetween(SLEEP_MS / 1000.0, SLEEP_MS / 1000.0 + SLACK_SECONDS);
    assertThat(seconds * 1000).as("whole milliseconds").isEqualTo(Math.rint(seconds * 1000));
    assertThat(timer.sparkSteps()).as("no TaskMetrics source").isEmpty();
  }

  @Test
  void eachStepGetsItsOwnSparkJobsTasksAndShuffle() {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark().sparkContext());
    List<Integer> numbers = IntStream.range(0, 1000).boxed().toList();
    TaskMetrics metrics = TaskMetrics.of(spark().sparkContext());
    StepTimer timer = new StepTimer(metrics);

    // one job of 3 tasks, no shuffle
    timer.step("map", () -> jsc.parallelize(numbers, 3).map(i -> i * 2).count());
    TaskMetrics.Snapshot afterMap = metrics.snapshot();
    // one job: 3 map tasks writing a shuffle, 2 reduce tasks reading it
    timer.step(
        "reduce",
        () ->
            jsc.parallelize(numbers, 3)
                .mapToPair(i -> new Tuple2<>(i % 10, 1))
                .reduceByKey(Integer::sum, 2)
                .count());
    TaskMetrics.Snapshot afterReduce = metrics.snapshot();
    // two jobs: 3 tasks that each sleep SLEEP_MS (task time, hardly any CPU), then 2 quick ones
    timer.step(
        "sleepy",
        () -> {
          jsc.parallelize(List.of(1, 2, 3), 3).foreach(i -> sleep());
          return jsc.parallelize(numbers, 2).count();
        });
    // no Spark job at all
    timer.step(
        "driver",
        () -> {
          sleep();
          return 0L;
        });

    assertThat(timer.steps())
        .extracting(StepTimer.Step::name)
        .containsExactly("map", "reduce", "sleepy", "driver");
    assertThat(timer.steps())
        .extracting(StepTimer.Step::rows)
        .containsExactly(1000L, 10L, 1000L, 0L);
    // run.json's steps carry the same job counts; none of these steps writes a Delta table
    assertThat(timer.steps()).extracting(StepTimer.Step::sparkJobs).containsExactly(1L, 1L, 2L, 0L);
    assertThat(timer.steps()).extracting(StepTimer.Step::deltaCommits).containsOnly(0L);
    SparkStep map = timer.sparkSteps().get(0);
    SparkStep reduce = timer.sparkSteps().get(1);
    SparkStep sleepy = timer.sparkSteps().get(2);
    SparkStep driver = timer.sparkSteps().get(3);
    assertThat(map.name()).isEqualTo("map");
    assertThat(map.sparkJobs()).isEqualTo(1L);
    assertThat(map.tasks()).isEqualTo(3L);
    assertThat(map.shuffleWriteMib()).isEqualTo(0.0);
    assertThat(reduce.sparkJobs()).isEqualTo(1L);
    assertThat(reduce.tasks()).isEqualTo(5L);
    // 3 map tasks write 10 keys each: some hundred bytes, 0.00 in MiB, so check the raw totals
    assertThat(afterReduce.shuffleWriteBytes() - afterMap.shuffleWriteBytes())
        .isBetween(1L, 10_000L);
    assertThat(afterReduce.shuffleReadBytes() - afterMap.shuffleReadBytes())
        .isEqualTo(afterReduce.shuffleWriteBytes() - afterMap.shuffleWriteBytes());

    assertThat(sleepy.name()).isEqualTo("sleepy");
    assertThat(sleepy.sparkJobs()).isEqualTo(2L);
    assertThat(sleepy.tasks()).isEqualTo(5L);
    assertThat(sleepy.shuffleWriteMib()).isEqualTo(0.0);
    double sleptSeconds = 3 * SLEEP_MS / 1000.0;
    assertThat(sleepy.taskSeconds())
        .as("three tasks' run time")
        .isBetween(sleptSeconds, sleptSeconds + TASK_SLACK_SECONDS);
    assertThat(sleepy.taskCpuSeconds()).as("sleeping is no CPU").isLessThan(0.5);
    // two cores: the 3 sleeping tasks need two rounds
    assertThat(timer.steps().get(2).seconds())
        .isBetween(2 * SLEEP_MS / 1000.0, 2 * SLEEP_MS / 1000.0 + SLACK_SECONDS);

    assertThat(driver.sparkJobs()).isEqualTo(0L);
    assertThat(driver.tasks()).isEqualTo(0L);
    assertThat(driver.taskSeconds()).isEqualTo(0.0);
    // the step's log line names the figures as bench.json does
    assertThat(driver.toString())
        .startsWith("{name=driver, spark_jobs=0, tasks=0, task_seconds=0.0, task_cpu_seconds=");
    assertThat(timer.steps().get(3).seconds())
        .isBetween(SLEEP_MS / 1000.0, SLEEP_MS / 1000.0 + SLACK_SECONDS);
    assertThat(TaskMetrics.of(jsc.sc())).as("one listener per context").isSameAs(metrics);
  }

  @Test
  void aStepThatWritesDeltaTablesCountsItsCommits(@TempDir Path tmp) {
    Warehouse wh = new Warehouse(spark(), tmp.toString());
    StepTimer timer = new StepTimer();
    // two appends to one table and one to another: three commits; a delete matching nothing: none
    timer.step(
        "write",
        () -> {
          wh.append("a", spark().range(3).toDF("id"));
          wh.append("a", spark().range(2).toDF("id"));
          wh.append("b", spark().range(1).toDF("id"));
          wh.deleteWhere("b", "id > 10");
          return 6L;
        });
    assertThat(timer.steps().get(0).deltaCommits()).isEqualTo(3L);
  }

  @Test
  void sparkFiguresAreWrittenByTheirNamesInOrder() throws Exception {
    String json =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .writeValueAsString(
                new SparkStep("ingest", 24, 70, 11.4, 4.8, 1.1, 0.4, 0.0, 0.0, 0.0));
    // bench.json's keys, in the order of the bench report's columns
    assertThat(json)
        .isEqualTo(
            "{\"name\":\"ingest\",\"spark_jobs\":24,\"tasks\":70,\"task_seconds\":11.4,"
                + "\"task_cpu_seconds\":4.8,\"gc_seconds\":1.1,\"input_mib\":0.4,"
                + "\"shuffle_read_mib\":0.0,\"shuffle_write_mib\":0.0,\"spill_mib\":0.0}");
    // the bench report's column names are the same keys
    List<String> keys = new java.util.ArrayList<>();
    new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(json)
        .fieldNames()
        .forEachRemaining(keys::add);
    assertThat(keys.subList(1, keys.size())).isEqualTo(SparkStep.FIGURES);
  }
}
