package io.leadloop.common.spark;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.leadloop.common.SparkTestBase;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.execution.LogicalRDD;
import org.junit.jupiter.api.Test;

class CachedTest extends SparkTestBase {
  /** ids 0..9, their squares, then only the even ones summed per parity: a plan of a few steps. */
  private static Dataset<Row> squares() {
    return spark()
        .range(10)
        .withColumn("square", col("id").multiply(col("id")))
        .where(col("id").mod(2).equalTo(0))
        .groupBy(col("id").mod(4).as("r"))
        .sum("square")
        .orderBy("r");
  }

  @Test
  void keepsTheRowsUnderAPlanOfOneLeaf() {
    List<Dataset<Row>> release = new ArrayList<>();
    Dataset<Row> kept = Cached.of(squares(), release);

    // even ids 0,2,4,6,8: r = 0 for 0,4,8 (0+16+64 = 80), r = 2 for 2,6 (4+36 = 40)
    assertThat(kept.collectAsList().toString()).isEqualTo("[[0,80], [2,40]]");
    assertThat(kept.queryExecution().logical()).isInstanceOf(LogicalRDD.class);
    assertThat(kept.queryExecution().logical().children().isEmpty()).isTrue();
    // what is built on it starts from the kept rows, not from range(10)
    assertThat(kept.where(col("r").equalTo(2)).queryExecution().analyzed().toString())
        .doesNotContain("Range");
    assertThat(release).containsExactly(kept);
  }

  /** Rows computed by {@link #COMPUTED}'s UDF, in this JVM (local mode: tasks run here). */
  private static final java.util.concurrent.atomic.AtomicLong COMPUTED =
      new java.util.concurrent.atomic.AtomicLong();

  @Test
  void countedKeepsTheRowsItCountedInOneJob() throws Exception {
    // nondeterministic: evaluated once per row, where the plan computes it
    org.apache.spark.sql.expressions.UserDefinedFunction computed =
        org.apache
            .spark
            .sql
            .functions
            .udf(
                (org.apache.spark.sql.api.java.UDF1<Long, Long>)
                    x -> x + 0 * COMPUTED.incrementAndGet(),
                org.apache.spark.sql.types.DataTypes.LongType)
            .asNondeterministic();
    COMPUTED.set(0);
    List<Dataset<Row>> release = new ArrayList<>();
    Dataset<Row> ds =
        spark()
            .range(10)
            .select(computed.apply(col("id")).as("id"))
            .where(col("id").mod(2).equalTo(0));
    long[] jobs = {0};
    org.apache.spark.scheduler.SparkListener counter =
        new org.apache.spark.scheduler.SparkListener() {
          @Override
          public void onJobStart(org.apache.spark.scheduler.SparkListenerJobStart e) {
            jobs[0]++;
          }
        };
    spark().sparkContext().addSparkListener(counter);
    try {
      Cached.Counted kept = Cached.counted(ds, release);
      spark().sparkContext().listenerBus().waitUntilEmpty();
      // even ids of 0..9; each of the ten rows computed once, in one job
      assertThat(kept.count()).isEqualTo(5);
      assertThat(jobs[0]).isEqualTo(1);
      assertThat(COMPUTED.get()).isEqualTo(10);
      // read again from the kept rows, not computed again
      assertThat(kept.rows().collectAsList().toString()).isEqualTo("[[0], [2], [4], [6], [8]]");
      assertThat(COMPUTED.get()).isEqualTo(10);
      assertThat(kept.rows().queryExecution().logical()).isInstanceOf(LogicalRDD.class);
      assertThat(release).containsExactly(kept.rows());
    } finally {
      spark().sparkContext().removeSparkListener(counter);
      Cached.release(release);
    }
  }

  @Test
  void releaseDropsTheKeptRows() {
    List<Dataset<Row>> release = new ArrayList<>();
    Dataset<Row> kept = Cached.of(squares(), release);
    int rdd = ((LogicalRDD) kept.queryExecution().logical()).rdd().id();
    assertThat(spark().sparkContext().getPersistentRDDs().contains(rdd)).isTrue();

    Cached.release(release);

    assertThat(spark().sparkContext().getPersistentRDDs().contains(rdd)).isFalse();
    assertThat(release).isEmpty();
  }

  @Test
  void persistedReadsTheColumnarCacheAlone() {
    List<Dataset<Row>> release = new ArrayList<>();
    Dataset<Row> cached = Cached.persisted(squares(), release);

    assertThat(cached.collectAsList().toString()).isEqualTo("[[0,80], [2,40]]");
    assertThat(cached.queryExecution().logical())
        .isInstanceOf(org.apache.spark.sql.execution.columnar.InMemoryRelation.class);
    // what is built on it has the cached relation as its only leaf, not range(10)
    var leaves = cached.where(col("r").equalTo(2)).queryExecution().analyzed().collectLeaves();
    assertThat(leaves.size()).isEqualTo(1);
    assertThat(leaves.head())
        .isInstanceOf(org.apache.spark.sql.execution.columnar.InMemoryRelation.class);
    assertThat(release).hasSize(1);
    assertThat(release.get(0).storageLevel().useMemory()).isTrue();

    Cached.release(release);

    assertThat(squares().storageLevel().useMemory()).isFalse();
  }
}
