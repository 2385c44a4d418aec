package io.leadloop.common.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadloop.common.SparkTestBase;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Warehouse#commits()} counts what the Delta log records: one JSON commit file per version.
 */
class WarehouseCommitsTest extends SparkTestBase {
  @TempDir Path tmp;

  @Test
  void countsEveryCommitAndNoDeleteThatMatchesNothing() {
    Warehouse wh = new Warehouse(spark(), tmp.toString());
    StructType schema = new StructType().add("id", DataTypes.LongType);
    long start = Warehouse.commits();

    wh.ensureProperties("t", schema, Map.of("delta.dataSkippingStatsColumns", "id")); // v0
    wh.ensureProperties("t", schema, Map.of("delta.dataSkippingStatsColumns", "id")); // no-op
    wh.append("t", spark().range(0, 5).toDF("id")); // v1
    wh.replaceWhere("t", "id < 2", spark().range(0, 2).toDF("id")); // v2
    wh.deleteWhere("t", "id > 100"); // matches nothing: no commit
    wh.deleteWhere("t", "id = 4"); // v3
    wh.deleteWhere("missing", "id = 4"); // no table: nothing
    wh.deleteAll("t"); // v4

    assertThat(commitFiles("t")).hasSize(5);
    assertThat(Warehouse.commits() - start).isEqualTo(5);
  }

  private List<String> commitFiles(String table) {
    String[] names = new File(tmp.resolve(table).resolve("_delta_log").toString()).list();
    return java.util.Arrays.stream(names).filter(n -> n.matches("\\d{20}\\.json")).toList();
  }
}
