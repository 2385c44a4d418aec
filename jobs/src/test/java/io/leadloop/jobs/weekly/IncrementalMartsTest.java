package io.leadloop.jobs.weekly;

import static io.leadloop.jobs.weekly.IncrementalFactsTest.APPTS;
import static io.leadloop.jobs.weekly.IncrementalFactsTest.CONFIG;
import static io.leadloop.jobs.weekly.IncrementalFactsTest.LEADS;
import static io.leadloop.jobs.weekly.IncrementalFactsTest.staged;
import static io.leadloop.jobs.weekly.IncrementalFactsTest.write;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;

import io.leadloop.common.SparkTestBase;
import io.leadloop.common.metrics.Cutoff;
import io.leadloop.common.spark.Warehouse;
import io.leadloop.jobs.facts.Facts;
import io.leadloop.jobs.facts.FactsBuilder;
import io.leadloop.jobs.ingest.IngestAction;
import io.leadloop.jobs.metrics.IncrementalMarts;
import io.leadloop.jobs.metrics.Marts;
import io.leadloop.jobs.metrics.MetricsStep;
import io.leadloop.jobs.run.RunContext;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The marts at {@code c1} started from those of {@code c0} ({@link IncrementalMarts}) keep the
 * earlier rows of the keys no change reaches and recompute the others. Every earlier row is
 * overwritten with a marker (999 leads, 7.0 credits) before the run: a kept row carries the marker,
 * a recomputed one the value worked out by hand. (That the result equals the full computation is
 * {@code IncrementalWeeksTest}'s proof.)
 */
class IncrementalMartsTest extends SparkTestBase {
  @TempDir Path tmp;

  @Test
  void keysNoChangeReachesAreKeptAndTheOthersRecomputed() throws IOException {
    Path landing = tmp.resolve("landing");
    write(
        landing.resolve("leads/l.csv"),
        LEADS
            // P1: books in [c0, c1), the only person that changes.
            + "L1,P1,2026-03-02T10:00Z,,paid_search,web_form,imaging\n"
            // P5: booked and kept in March; no change.
            + "L5,P5,2026-03-04T10:00Z,,referral,phone,dental\n"
            // P6: created 10 minutes before c0 by phone (SLA 15 min): due at c0 + 5 min.
            + "L6,P6,2026-03-29T23:50Z,,referral,phone,dental\n"
            // P7: cohort week 2025-12-29 matures at 2026-04-05 (+ 7 + 90 days), cohort month
            // 2025-12 at 2026-04-01 (the next month + 90 days): both between c0 and c1.
            + "L7,P7,2025-12-30T10:00Z,,referral,phone,dental\n");
    write(
        landing.resolve("appointments/a.csv"),
        APPTS
            + "A5,P5,L5,2026-03-05T10:00Z,2026-03-12T10:00Z,fulfilled,,dental\n"
            + "A1,P1,L1,2026-04-01T09:00Z,2026-04-10T09:00Z,booked,,imaging\n");
    Warehouse wh = new Warehouse(spark(), tmp.resolve("wh").toString());
    new IngestAction(wh, landing.toString(), Instant.parse("2026-11-23T00:00:00Z"), CONFIG, false)
        .execute();
    Cutoff c0 = new Cutoff(LocalDate.parse("2026-03-29"), ZoneOffset.UTC); // 03-30T00:00Z
    Cutoff c1 = new Cutoff(LocalDate.parse("2026-04-05"), ZoneOffset.UTC); // 04-06T00:00Z
    Facts facts0 = FactsBuilder.build(staged(wh), c0, CONFIG);
    Facts facts1 = FactsBuilder.build(staged(wh), c1, CONFIG);

    MetricsStep at0 = step(wh, c0);
    MetricsStep at1 = step(wh, c1);
    try {
      Map<Marts.Mart, Dataset<Row>> full0 = at0.compute(facts0);
      Map<String, Dataset<Row>> marked =
          Map.of(
              Marts.COHORT_FUNNEL.table(),
              mark(full0.get(Marts.COHORT_FUNNEL), "leads", 999L),
              Marts.SPEED_TO_LEAD.table(),
              mark(full0.get(Marts.SPEED_TO_LEAD), "leads", 999L),
              Marts.COHORT_COMPARISON.table(),
              mark(full0.get(Marts.COHORT_COMPARISON), "new_leads", 999L),
              Marts.ATTRIBUTION.table(),
              mark(full0.get(Marts.ATTRIBUTION), "bookings_credited", 7.0),
              Marts.ATTRIBUTION_BY_CAMPAIGN.table(),
              mark(full0.get(Marts.ATTRIBUTION_BY_CAMPAIGN), "bookings_credited", 7.0));
      Dataset<Row> p1 =
          spark()
              .createDataFrame(
                  List.of(RowFactory.create("P1")),
                  new StructType().add("person_id", DataTypes.StringType));
      var since = new IncrementalMarts.Since(c0, p1, facts0.leads(), facts0.appointments(), marked);
      Map<Marts.Mart, Dataset<Row>> marts = at1.compute(facts1, MetricsStep.Start.of(since));

      // cohort_funnel: K1 (P1's lead) recomputed, K4 (matures) recomputed, the others kept.
      assertThat(values(marts, Marts.COHORT_FUNNEL, "leads", "booked_first_cycle"))
          .containsExactlyEntriesOf(
              new TreeMap<>(
                  Map.of(
                      "2025-12-29|referral|dental", "1|0",
                      "2026-03-02|paid_search|imaging", "1|1",
                      "2026-03-02|referral|dental", "999|1",
                      "2026-03-23|referral|dental", "999|0")));
      assertThat(values(marts, Marts.COHORT_FUNNEL, "matured"))
          .containsEntry("2025-12-29|referral|dental", "true");
      // speed_to_lead: P1's key and L6's key (its SLA became due) recomputed.
      assertThat(values(marts, Marts.SPEED_TO_LEAD, "leads", "sla_due"))
          .containsExactlyEntriesOf(
              new TreeMap<>(
                  Map.of(
                      "2025-12-29|referral|phone", "999|1",
                      "2026-03-02|paid_search|web_form", "1|1",
                      "2026-03-02|referral|phone", "999|1",
                      "2026-03-23|referral|phone", "1|1")));
      // cohort_comparison: P1's stratum and the stratum that matured recomputed.
      assertThat(values(marts, Marts.COHORT_COMPARISON, "new_leads", "matured"))
          .containsExactlyEntriesOf(
              new TreeMap<>(
                  Map.of(
                      "2025-12|referral|dental", "1|true",
                      "2026-03|paid_search|imaging", "1|false",
                      "2026-03|referral|dental", "999|false")));
      // attribution: A1's booking week recomputed (touchless: 1 to none), A5's week kept; markov
      // recomputed in every week (the chain is re-estimated at every as-of), c0's rows dropped.
      Map<String, String> credits = values(marts, Marts.ATTRIBUTION, "bookings_credited");
      assertThat(marts.get(Marts.ATTRIBUTION).count()).isEqualTo(12);
      assertThat(credits).hasSize(12);
      assertThat(credits)
          .containsEntry("2026-03-30|linear|none", "1.0000")
          .containsEntry("2026-03-30|time_decay|none", "1.0000")
          .containsEntry("2026-03-02|linear|none", "7.0000")
          .containsEntry("2026-03-02|first_touch|none", "7.0000")
          .containsEntry("2026-03-30|markov|none", "1.0000")
          .containsEntry("2026-03-02|markov|none", "1.0000");
      assertThat(values(marts, Marts.ATTRIBUTION_BY_CAMPAIGN, "bookings_credited"))
          .containsEntry("2026-03-30|last_touch|none|", "1.0000")
          .containsEntry("2026-03-02|last_touch|none|", "7.0000")
          .hasSize(10);
    } finally {
      at0.release();
      at1.release();
    }
  }

  private MetricsStep step(Warehouse wh, Cutoff c) {
    return new MetricsStep(RunContext.of(wh, CONFIG, c, tmp.resolve("out").toString(), "run"));
  }

  /** Every row of a mart with {@code column} set to {@code marker}. */
  private static Dataset<Row> mark(Dataset<Row> mart, String column, Object marker) {
    return mart.withColumn(column, lit(marker).cast(mart.schema().apply(column).dataType()));
  }

  /** Grain (joined by '|') to the named columns' values (joined by '|'), sorted by grain. */
  private static Map<String, String> values(
      Map<Marts.Mart, Dataset<Row>> marts, Marts.Mart mart, String... columns) {
    Map<String, String> out = new TreeMap<>();
    for (Row r : marts.get(mart).collectAsList()) {
      out.put(join(r, mart.grain()), join(r, columns));
    }
    return out;
  }

  /** The values of {@code columns} in {@code r}, joined by '|' (null as empty). */
  private static String join(Row r, String[] columns) {
    StringBuilder v = new StringBuilder();
    for (String c : columns) {
      Object x = r.getAs(c);
      v.append(v.isEmpty() ? "" : "|").append(x == null ? "" : x.toString());
    }
    return v.toString();
  }
}
