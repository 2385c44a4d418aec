package io.leadloop.jobs.weekly;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadloop.common.SparkTestBase;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

/** Steps keep the spec's run.json keys; Spark's task metrics are counted per step apart. */
class StepTimerTest extends SparkTestBase {

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

    assertThat(timer.steps())
        .containsExactly(
            Map.of("name", "map", "seconds", timer.steps().get(0).get("seconds"), "rows", 1000L),
            Map.of("name", "reduce", "seconds", timer.steps().get(1).get("seconds"), "rows", 10L));
    Map<String, Object> map = timer.sparkSteps().get(0);
    Map<String, Object> reduce = timer.sparkSteps().get(1);
    assertThat(map)
        .containsEntry("name", "map")
        .containsEntry("spark_jobs", 1L)
        .containsEntry("tasks", 3L);
    assertThat(map.get("shuffle_write_mib")).isEqualTo(0.0);
    assertThat(reduce).containsEntry("spark_jobs", 1L).containsEntry("tasks", 5L);
    assertThat((Double) reduce.get("task_seconds")).isGreaterThanOrEqualTo(0.0);
    // 3 map tasks write 10 keys each: some hundred bytes, 0.00 in MiB, so check the raw totals
    TaskMetrics.Snapshot end = metrics.snapshot();
    assertThat(end.shuffleWriteBytes() - afterMap.shuffleWriteBytes()).isBetween(1L, 10_000L);
    assertThat(end.shuffleReadBytes() - afterMap.shuffleReadBytes())
        .isEqualTo(end.shuffleWriteBytes() - afterMap.shuffleWriteBytes());
    assertThat(TaskMetrics.of(jsc.sc())).as("one listener per context").isSameAs(metrics);
  }
}
