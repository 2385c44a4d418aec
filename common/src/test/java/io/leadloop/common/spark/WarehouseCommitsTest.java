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

  /**
   * A process stopped while creating a table leaves a log folder without a commit (and perhaps data
   * files): the next write creates the table over it, with only its own rows.
   */
  @Test
  void aTableWhoseCreationWasCutOffIsCreatedAgain() throws Exception {
    Warehouse wh = new Warehouse(spark(), tmp.toString());
    for (String t : List.of("p", "r", "a")) {
      java.nio.file.Path log = tmp.resolve(t).resolve("_delta_log");
      java.nio.file.Files.createDirectories(log);
      java.nio.file.Files.writeString(
          log.resolve(".00000000000000000000.json.0f1e.tmp"), "{\"commitInfo\":{}}");
      java.nio.file.Files.writeString(tmp.resolve(t).resolve("part-00000-x.parquet"), "partial");
    }
    StructType schema = new StructType().add("id", DataTypes.LongType);
    assertThat(wh.exists("p")).isFalse();

    wh.ensureProperties("p", schema, Map.of("delta.dataSkippingStatsColumns", "id"));
    wh.replaceWhere("r", "id < 10", spark().range(0, 3).toDF("id"));
    wh.append("a", spark().range(0, 2).toDF("id"));

    assertThat(wh.read("p").count()).isZero();
    assertThat(wh.read("r").count()).isEqualTo(3);
    assertThat(wh.read("a").count()).isEqualTo(2);
  }
}
