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
