package io.leadloop.common.spark;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leadloop.common.SparkTestBase;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class RowCountsTest extends SparkTestBase {
  @Test
  void countsEachDatasetInTheOrderGivenWithZeroForAnEmptyOne() {
    Map<String, Dataset<Row>> datasets = new LinkedHashMap<>();
    // ids 0..6 with id >= 4: 4, 5, 6
    datasets.put("late", spark().range(7).toDF().where(col("id").geq(4)));
    datasets.put("none", spark().range(3).toDF().where(col("id").gt(5)));
    // 0..9 with a second column: the count does not depend on the columns
    datasets.put("ten", spark().range(10).withColumn("x", col("id").multiply(2)));

    Map<String, Long> counts = RowCounts.of(datasets);

    assertThat(counts)
        .containsExactly(Map.entry("late", 3L), Map.entry("none", 0L), Map.entry("ten", 10L));
  }

  @Test
  void countsEveryDatasetInOneQuery() {
    Map<String, Dataset<Row>> datasets = new LinkedHashMap<>();
    datasets.put("a", spark().range(2).toDF());
    datasets.put("b", spark().range(5).toDF());

    // one aggregation over the union, whatever the number of datasets
    assertThat(RowCounts.counted(datasets).queryExecution().optimizedPlan().toString())
        .containsOnlyOnce("Aggregate");
  }

  @Test
  void refusesNoDataset() {
    assertThatThrownBy(() -> RowCounts.of(Map.of()))
        .hasMessage("Cannot count rows: no dataset given");
  }
}
