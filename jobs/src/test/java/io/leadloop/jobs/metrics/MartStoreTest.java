package io.leadloop.jobs.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leadloop.common.SparkTestBase;
import io.leadloop.common.spark.Warehouse;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every mart in one table: each read back as a table of its own, a run's as-ofs in one commit. */
class MartStoreTest extends SparkTestBase {
  private static final LocalDate W1 = LocalDate.parse("2026-09-20");
  private static final LocalDate W2 = LocalDate.parse("2026-09-27");
  @TempDir Path tmp;

  private static final StructType FUNNEL =
      new StructType()
          .add("source", DataTypes.StringType, false)
          .add("leads", DataTypes.LongType, false)
          .add("as_of", DataTypes.DateType, false);
  private static final StructType SPEED =
      new StructType()
          .add("as_of", DataTypes.DateType, false)
          .add("channel", DataTypes.StringType, false)
          .add("rate", DataTypes.createDecimalType(6, 4), true);

  private static MartRows funnel(LocalDate d, long... leads) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < leads.length; i++) {
      rows.add(RowFactory.create("s" + i, leads[i], java.sql.Date.valueOf(d)));
    }
    return new MartRows(FUNNEL, rows);
  }

  private static List<String> read(Warehouse wh, String mart) {
    return MartStore.read(wh, mart).orderBy("as_of").collectAsList().stream()
        .map(Row::toString)
        .sorted()
        .toList();
  }

  @Test
  void eachMartReadsAsItsOwnTableAndARunReplacesItsAsOfsInOneCommit() {
    Warehouse wh = new Warehouse(spark(), tmp.resolve("wh").toString());
    Map<String, MartRows> both = new LinkedHashMap<>();
    MartRows f1 = funnel(W1, 3, 4);
    MartRows f2 = funnel(W2, 5);
    List<Row> funnelRows = new ArrayList<>(f1.rows());
    funnelRows.addAll(f2.rows());
    both.put("mart_funnel", new MartRows(FUNNEL, funnelRows));
    both.put(
        "mart_speed",
        new MartRows(
            SPEED,
            List.of(
                RowFactory.create(
                    java.sql.Date.valueOf(W2), "phone", new java.math.BigDecimal("0.5000")))));

    long commits = Warehouse.commits();
    assertThat(MartStore.store(wh, List.of(W1, W2), both)).isEqualTo(4);
    assertThat(Warehouse.commits() - commits).isOne();

    // a mart's columns in its own order, then as_of (moved last for one stored with it first)
    assertThat(MartStore.read(wh, "mart_funnel").columns())
        .containsExactly("source", "leads", "as_of");
    assertThat(MartStore.read(wh, "mart_speed").columns())
        .containsExactly("channel", "rate", "as_of");
    assertThat(read(wh, "mart_funnel"))
        .containsExactly("[s0,3,2026-09-20]", "[s0,5,2026-09-27]", "[s1,4,2026-09-20]");
    assertThat(read(wh, "mart_speed")).containsExactly("[phone,0.5000,2026-09-27]");
    assertThat(MartStore.exists(wh, "mart_funnel")).isTrue();
    assertThat(MartStore.exists(wh, "mart_other")).isFalse();

    // a re-run of W2: every mart's W2 rows replaced (mart_speed's removed, as it gives none), W1
    // kept; a mart new to the table (a column more) is added to it
    StructType fresh =
        new StructType().add("n", DataTypes.IntegerType).add("as_of", DataTypes.DateType);
    Map<String, MartRows> again = new LinkedHashMap<>();
    again.put("mart_funnel", funnel(W2, 7, 8));
    again.put("mart_speed", new MartRows(SPEED, List.of()));
    again.put(
        "mart_fresh",
        new MartRows(fresh, List.of(RowFactory.create(1, java.sql.Date.valueOf(W2)))));
    MartStore.store(wh, List.of(W2), again);

    assertThat(read(wh, "mart_funnel"))
        .containsExactly(
            "[s0,3,2026-09-20]", "[s0,7,2026-09-27]", "[s1,4,2026-09-20]", "[s1,8,2026-09-27]");
    assertThat(read(wh, "mart_speed")).isEmpty();
    assertThat(read(wh, "mart_fresh")).containsExactly("[1,2026-09-27]");
    assertThat(MartStore.exists(wh, "mart_speed")).isTrue();
  }

  @Test
  void aMartWithoutAsOfIsRefused() {
    Warehouse wh = new Warehouse(spark(), tmp.resolve("wh").toString());
    StructType noAsOf = new StructType().add("n", DataTypes.IntegerType);
    assertThatThrownBy(
            () ->
                MartStore.store(
                    wh,
                    List.of(W1),
                    Map.of("mart_x", new MartRows(noAsOf, List.of(RowFactory.create(1))))))
        .hasMessage("Cannot store mart_x: it has no as_of column");
  }
}
