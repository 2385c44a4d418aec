package io.leadloop.jobs.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.assertj.core.api.Assertions.assertThat;

import io.leadloop.common.SparkTestBase;
import io.leadloop.common.spark.Warehouse;
import io.leadloop.jobs.metrics.MartRows;
import io.leadloop.jobs.metrics.MartStore;
import io.leadloop.jobs.report.MartReader.Agg;
import io.leadloop.jobs.run.TaskMetrics;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report's reads of the marts: this run's rows from what the run published (no Spark job),
 * earlier as-ofs for the trends, and the sums over rows worked out as Spark's {@code sum} / {@code
 * min} give them (expected values by hand).
 */
class MartReaderTest extends SparkTestBase {
  private static final LocalDate AS_OF = LocalDate.parse("2026-09-27");

  @TempDir Path tmp;

  /** Channel rows: a null channel, two that String.compareTo orders the other way, null credit. */
  private MartRows credits() {
    Dataset<Row> d =
        spark()
            .sql(
                "SELECT c AS channel, CAST(n AS INT) AS leads, CAST(x AS DECIMAL(12,4)) AS credit,"
                    + " CAST(w AS DATE) AS week, m AS matured FROM VALUES"
                    + " ('\uFFFD', 2, 0.5, '2026-09-14', true),"
                    + " ('\uD83D\uDE00', 1, 0.25, '2026-09-21', false),"
                    + " ('\uFFFD', 3, 1.125, '2026-09-07', false),"
                    + " ('\uFFFD', 4, NULL, '2026-08-31', false),"
                    + " (NULL, 5, NULL, '2026-09-21', NULL),"
                    + " ('web', 6, 2, '2026-09-21', true)"
                    + " AS t(c, n, x, w, m)");
    return new MartRows(d.schema(), d.collectAsList());
  }

  private static final List<Agg> AGGS =
      List.of(
          Agg.sum("leads"),
          Agg.sum("credit"),
          Agg.minWhere("first_open", "week", r -> Boolean.FALSE.equals(r.getAs("matured"))));

  @Test
  void groupsAndSumsAsSparkDoes() {
    MartRows m = credits();
    List<Row> rows = MartReader.group(m, r -> true, List.of("channel"), AGGS);
    // null first, then by code point: U+FFFD before U+1F600 (UTF-16 units would put it after)
    assertThat(rows)
        .extracting(r -> r.getAs("channel"))
        .containsExactly(null, "web", "\uFFFD", "\uD83D\uDE00");
    Row fffd = rows.get(2);
    assertThat((Long) fffd.getAs("leads")).isEqualTo(9L);
    // 0.5000 + 1.1250, the null left out; the column's scale, as Spark's sum keeps it
    assertThat((BigDecimal) fffd.getAs("credit")).isEqualByComparingTo("1.625");
    assertThat(((BigDecimal) fffd.getAs("credit")).scale()).isEqualTo(4);
    assertThat(fffd.schema().apply("credit").dataType())
        .isEqualTo(DataTypes.createDecimalType(22, 4));
    // the earliest week of the rows not matured: 2026-08-31 (the 09-14 row has matured)
    assertThat(MartReader.text(fffd, "first_open")).isEqualTo("2026-08-31");
    // a group whose only credit is null sums to null; matured null is not "not matured"
    assertThat((Object) rows.get(0).getAs("credit")).isNull();
    assertThat((Object) rows.get(0).getAs("first_open")).isNull();
    assertThat((Long) rows.get(0).getAs("leads")).isEqualTo(5L);
    assertThat(MartReader.text(rows.get(1), "credit")).isEqualTo("2.0000");
    assertThat((Object) rows.get(1).getAs("first_open")).isNull();
    assertThat(MartReader.text(rows.get(3), "first_open")).isEqualTo("2026-09-21");
    // and as Spark's own groupBy, agg and orderBy give them
    Dataset<Row> d = spark().createDataFrame(m.rows(), m.schema());
    List<Row> spark =
        d.groupBy("channel")
            .agg(
                sum("leads").as("leads"),
                sum("credit").as("credit"),
                min(when(not(col("matured")), col("week"))).as("first_open"))
            .orderBy("channel")
            .collectAsList();
    assertThat(rows).containsExactlyElementsOf(spark);
    assertThat(rows.get(0).schema()).isEqualTo(spark.get(0).schema());
  }

  @Test
  void aGlobalSumIsOneRowEvenOfNoRows() {
    List<Row> none = MartReader.group(credits(), r -> false, List.of(), AGGS);
    assertThat(none).hasSize(1);
    assertThat((Object) none.get(0).getAs("leads")).isNull();
    List<Row> all = MartReader.group(credits(), r -> true, List.of(), AGGS);
    assertThat((Long) all.get(0).getAs("leads")).isEqualTo(21L);
    assertThat(MartReader.text(all.get(0), "credit")).isEqualTo("3.8750");
    assertThat(MartReader.text(all.get(0), "first_open")).isEqualTo("2026-08-31");
  }

  /** A mart stored with as-ofs 09-06 .. 10-04, leads = day of month of the as-of, two rows each. */
  private Warehouse stored() {
    Warehouse wh = new Warehouse(spark(), tmp.resolve("wh").toString());
    Dataset<Row> d =
        spark()
            .sql(
                "SELECT s AS source, CAST(day(a) AS BIGINT) AS leads, a AS as_of FROM VALUES"
                    + " ('b'), ('a') AS s(s) CROSS JOIN (SELECT explode(array(DATE'2026-09-06',"
                    + " DATE'2026-09-13', DATE'2026-09-20', DATE'2026-09-27', DATE'2026-10-04'))"
                    + " AS a)");
    MartStore.store(
        wh,
        d.select("as_of").distinct().as(Encoders.DATE()).collectAsList().stream()
            .map(java.sql.Date::toLocalDate)
            .toList(),
        Map.of("mart_x", new MartRows(d.schema(), d.collectAsList())));
    return wh;
  }

  private MartRows published(long leads) {
    Dataset<Row> d = spark().sql("SELECT 'z' AS source, CAST(" + leads + " AS BIGINT) AS leads");
    return new MartRows(d.schema(), d.collectAsList());
  }

  @Test
  void thisRunsRowsComeFromWhatWasPublishedWithoutASparkJob() {
    Warehouse wh = stored();
    // published rows differ from the stored ones of 09-27, so that a read would show
    MartReader marts = new MartReader(wh, AS_OF, Map.of("mart_x", published(100)));
    TaskMetrics metrics = TaskMetrics.of(spark().sparkContext());
    long before = metrics.snapshot().jobs();
    List<Row> rows = marts.rows("mart_x", "source");
    List<Row> sums =
        marts.aggregate("mart_x", r -> true, List.of("source"), List.of(Agg.sum("leads")));
    assertThat(metrics.snapshot().jobs()).isEqualTo(before);
    assertThat(rows).extracting(r -> r.getAs("leads")).containsExactly(100L);
    assertThat(sums).extracting(r -> r.getAs("leads")).containsExactly(100L);
  }

  @Test
  void trendsTakeTheLastAsOfsUpToThisRuns() {
    Warehouse wh = stored();
    MartReader marts = new MartReader(wh, AS_OF, Map.of("mart_x", published(100)));
    List<Row> perAsOf =
        MartReader.group(
            marts.recent("mart_x", 3), r -> true, List.of("as_of"), List.of(Agg.sum("leads")));
    // 09-13 and 09-20 read (13 + 13, 20 + 20), 09-27 as published; 10-04 is later than the run
    assertThat(perAsOf)
        .extracting(r -> MartReader.text(r, "as_of") + "=" + MartReader.count(r, "leads"))
        .containsExactly("2026-09-13=26", "2026-09-20=40", "2026-09-27=100");
  }

  @Test
  void withNothingPublishedTheRunsRowsAreReadAndTrendsTakeEarlierAsOfs() {
    Warehouse wh = stored();
    MartReader marts = new MartReader(wh, AS_OF, Map.of());
    assertThat(marts.rows("mart_x", "source"))
        .extracting(r -> r.getAs("source") + "=" + r.getAs("leads"))
        .containsExactly("a=27", "b=27");
    assertThat(marts.rows("mart_missing")).isEmpty();
    assertThat(marts.recent("mart_missing", 3).rows()).isEmpty();
    // a run that published no rows of the mart: its as-of is not a point of the trend
    MartRows noRows = new MartRows(published(0).schema(), List.of());
    MartReader none = new MartReader(wh, AS_OF, Map.of("mart_x", noRows));
    assertThat(
            MartReader.group(
                none.recent("mart_x", 2), r -> true, List.of("as_of"), List.of(Agg.sum("leads"))))
        .extracting(r -> MartReader.text(r, "as_of") + "=" + MartReader.count(r, "leads"))
        .containsExactly("2026-09-13=26", "2026-09-20=40");
  }
}
