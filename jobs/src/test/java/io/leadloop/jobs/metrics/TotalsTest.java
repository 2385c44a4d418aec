package io.leadloop.jobs.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadloop.common.SparkTestBase;
import io.leadloop.common.config.ConfigLoader;
import io.leadloop.common.config.LeadloopConfig;
import io.leadloop.common.spark.Warehouse;
import io.leadloop.jobs.Fixture;
import io.leadloop.jobs.Rows;
import io.leadloop.jobs.facts.Facts;
import io.leadloop.jobs.run.RunContext;
import io.leadloop.jobs.run.StepTimer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The totals marts: mart rows built here, sums and rates worked out by hand (metrics.md's rate
 * rule: k/n half-up to 4 decimals, empty when n = 0; Wilson and Mantel–Haenszel by its formulas,
 * bounds worked out with the formula outside the code, in the comments).
 */
class TotalsTest extends SparkTestBase {
  private static final LeadloopConfig UTC = ConfigLoader.defaults();

  @TempDir Path tmp;

  /** Funnel rows: R1 is metrics.md's worked example; R3's cohort week has not matured. */
  private Dataset<Row> funnel() {
    return spark()
        .sql(
            "SELECT CAST(w AS DATE) AS cohort_week, s AS source, l AS service_line,"
                + " CAST(n AS BIGINT) AS leads, CAST(r AS BIGINT) AS recycled_leads,"
                + " CAST(f AS BIGINT) AS booked_first_cycle, CAST(b AS BIGINT) AS"
                + " booked_from_recycled, CAST(rn AS BIGINT) AS resolved_new, CAST(kn AS BIGINT)"
                + " AS kept_new, CAST(rr AS BIGINT) AS resolved_recycled, CAST(kr AS BIGINT) AS"
                + " kept_recycled, CAST(u AS BIGINT) AS appointments_unresolved, m AS matured"
                + " FROM VALUES"
                + " ('2026-03-02', 'paid_search', 'imaging', 3, 1, 1, 1, 1, 0, 1, 1, 0, true),"
                + " ('2026-03-02', 'referral', 'dental', 5, 2, 2, 0, 2, 2, 0, 0, 1, true),"
                + " ('2026-06-29', 'paid_search', 'dental', 4, 0, 0, 0, 0, 0, 0, 0, 2, false)"
                + " AS t(w, s, l, n, r, f, b, rn, kn, rr, kr, u, m)");
  }

  @Test
  void funnelTotalsSumTheCountsAndRecomputeTheRates() {
    Dataset<Row> t = CohortFunnel.totals(funnel());
    assertThat(String.join(",", t.columns()))
        .isEqualTo(
            "dimension,value,cohorts,cohort_weeks,leads,recycled_leads,recycle_rate,"
                + "booked_first_cycle,first_cycle_booking_rate,booked_from_recycled,"
                + "booked_from_recycled_rate,resolved_new,kept_new,kept_rate_new,resolved_recycled,"
                + "kept_recycled,kept_rate_recycled,appointments_unresolved,matured");
    String cols =
        "cohort_weeks|leads|recycled_leads|recycle_rate|booked_first_cycle"
            + "|first_cycle_booking_rate|booked_from_recycled|booked_from_recycled_rate"
            + "|resolved_new|kept_new|kept_rate_new|resolved_recycled|kept_recycled"
            + "|kept_rate_recycled|appointments_unresolved|matured";
    Map<String, String> m = byGrain(t, cols.split("\\|"));
    // 3 of 12 leads recycled (0.2500), 3 booked in the first cycle (0.2500), 1 of 3 recycled booked
    // from recycled (0.3333); kept 2 of 3 new (0.6667), 1 of 1 recycled; R3 has not matured
    assertThat(m)
        .containsEntry("all|*|all", "2|12|3|0.2500|3|0.2500|1|0.3333|3|2|0.6667|1|1|1.0000|3|false")
        // matured: R1 + R2, 8 leads: 3/8 = 0.3750
        .containsEntry(
            "all|*|matured", "1|8|3|0.3750|3|0.3750|1|0.3333|3|2|0.6667|1|1|1.0000|1|true")
        .containsEntry(
            "cohort_week|2026-03-02|all",
            "1|8|3|0.3750|3|0.3750|1|0.3333|3|2|0.6667|1|1|1.0000|1|true")
        // R3 alone: nothing recycled or resolved, so those rates are empty
        .containsEntry("cohort_week|2026-06-29|all", "1|4|0|0.0000|0|0.0000|0||0|0||0|0||2|false")
        // R1 + R3: 1/7 = 0.142857 -> 0.1429
        .containsEntry(
            "source|paid_search|all",
            "2|7|1|0.1429|1|0.1429|1|1.0000|1|0|0.0000|1|1|1.0000|2|false")
        .containsEntry(
            "source|paid_search|matured",
            "1|3|1|0.3333|1|0.3333|1|1.0000|1|0|0.0000|1|1|1.0000|0|true")
        // R2 + R3: 2/9 = 0.2222; none of R2's 2 recycled leads booked again (0.0000)
        .containsEntry(
            "service_line|dental|all", "2|9|2|0.2222|2|0.2222|0|0.0000|2|2|1.0000|0|0||3|false")
        .containsEntry(
            "service_line|dental|matured", "1|5|2|0.4000|2|0.4000|0|0.0000|2|2|1.0000|0|0||1|true");
    // all: 2 scopes; weeks: 2 + 1 matured; sources: 2 + 2; service lines: 2 + 2. No row for the
    // matured cohorts of week 2026-06-29: there are none.
    assertThat(m).hasSize(13).doesNotContainKey("cohort_week|2026-06-29|matured");
  }

  @Test
  void comparisonTotalsPoolTheStrataWithIntervalsAndMantelHaenszel() {
    // S1: new 5/20 (0.25), recycled 1/10 (0.1); S2: new 4/10 (0.4), recycled 5/10 (0.5);
    // S3 (not matured): new 0/5, no recycled leads.
    Dataset<Row> strata =
        spark()
            .sql(
                "SELECT m AS cohort_month, s AS source, l AS service_line,"
                    + " CAST(n0 AS BIGINT) AS new_leads, CAST(k0 AS BIGINT) AS new_booked,"
                    + " CAST(n1 AS BIGINT) AS recycled_leads, CAST(k1 AS BIGINT) AS"
                    + " recycled_booked, mt AS matured FROM VALUES"
                    + " ('2026-01', 'paid_search', 'imaging', 20, 5, 10, 1, true),"
                    + " ('2026-01', 'referral', 'imaging', 10, 4, 10, 5, true),"
                    + " ('2026-08', 'paid_search', 'imaging', 5, 0, 0, 0, false)"
                    + " AS t(m, s, l, n0, k0, n1, k1, mt)");
    Dataset<Row> t = CohortComparison.totals(strata);
    assertThat(String.join(",", t.columns()))
        .isEqualTo(
            "dimension,value,cohorts,strata,new_leads,new_booked,new_rate,new_ci_low,new_ci_high,"
                + "recycled_leads,recycled_booked,recycled_rate,recycled_ci_low,recycled_ci_high,"
                + "rate_diff,matured,mh_rate_diff");
    String cols =
        "strata|new_leads|new_booked|new_rate|new_ci_low|new_ci_high|recycled_leads"
            + "|recycled_booked|recycled_rate|recycled_ci_low|recycled_ci_high|rate_diff"
            + "|mh_rate_diff|matured";
    Map<String, String> m = byGrain(t, cols.split("\\|"));
    // All three: new 9/35 = 0.257143 (Wilson 0.141630 .. 0.420693), recycled 6/20 = 0.3 (0.145477
    // .. 0.518973), crude difference 0.3 - 0.257143 = 0.042857. MH: w1 = 20·10/30 = 6.6667,
    // w2 = 10·10/20 = 5, w3 = 0 (no recycled leads); (6.6667·(0.1 - 0.25) + 5·(0.5 - 0.4)) /
    // 11.6667 = -0.5 / 11.6667 = -0.042857.
    assertThat(m)
        .containsEntry(
            "all|*|all",
            "3|35|9|0.2571|0.1416|0.4207|20|6|0.3000|0.1455|0.5190|0.0429|-0.0429|false")
        // matured (S1, S2): new 9/30 = 0.3 (0.166647 .. 0.478758); the same MH (w3 was 0)
        .containsEntry(
            "all|*|matured",
            "2|30|9|0.3000|0.1666|0.4788|20|6|0.3000|0.1455|0.5190|0.0000|-0.0429|true")
        // S1 + S3: new 5/25 = 0.2 (0.088606 .. 0.391310), recycled 1/10 (0.017876 .. 0.404150),
        // difference -0.1; MH: S1 alone weighs, -0.15
        .containsEntry(
            "source|paid_search|all",
            "2|25|5|0.2000|0.0886|0.3913|10|1|0.1000|0.0179|0.4042|-0.1000|-0.1500|false")
        // S3 alone: new 0/5 (0 .. 0.434482); no recycled arm, so no rate, interval or difference
        .containsEntry("cohort_month|2026-08|all", "1|5|0|0.0000|0.0000|0.4345|0|0||||||false")
        .containsEntry(
            "source|referral|matured",
            "1|10|4|0.4000|0.1682|0.6873|10|5|0.5000|0.2366|0.7634|0.1000|0.1000|true");
    // all: 2; months: 2 + 1; sources: 2 + 2; service line: 1 + 1
    assertThat(m).hasSize(11);
  }

  @Test
  void speedTotalsSumTheCountsWithTheChannelsSla() {
    Dataset<Row> speed =
        spark()
            .sql(
                "SELECT CAST(w AS DATE) AS cohort_week, s AS source, c AS inquiry_channel,"
                    + " CAST(n AS BIGINT) AS leads, CAST(t AS BIGINT) AS touched,"
                    + " CAST(d AS BIGINT) AS sla_due, CAST(k AS BIGINT) AS within_sla FROM VALUES"
                    + " ('2026-03-02', 'paid_search', 'phone', 4, 3, 4, 2),"
                    + " ('2026-03-02', 'referral', 'web_form', 2, 1, 1, 1),"
                    + " ('2026-03-09', 'paid_search', 'phone', 3, 0, 0, 0)"
                    + " AS t(w, s, c, n, t, d, k)");
    Dataset<Row> t = SpeedToLead.totals(speed, UTC.slaMinutes());
    assertThat(String.join(",", t.columns()))
        .isEqualTo("dimension,value,leads,touched,sla_due,within_sla,sla_rate,sla_minutes");
    Map<String, String> m =
        byGrain(t, "leads", "touched", "sla_due", "within_sla", "sla_rate", "sla_minutes");
    // defaults: phone 15 minutes, web_form 60
    assertThat(m)
        .containsExactlyEntriesOf(
            new TreeMap<>(
                Map.of(
                    "all|*", "9|4|5|3|0.6000|",
                    "inquiry_channel|phone", "7|3|4|2|0.5000|15",
                    "inquiry_channel|web_form", "2|1|1|1|1.0000|60",
                    "cohort_week|2026-03-02", "6|4|5|3|0.6000|",
                    "cohort_week|2026-03-09", "3|0|0|0||",
                    "source|paid_search", "7|3|4|2|0.5000|",
                    "source|referral", "2|1|1|1|1.0000|")));
  }

  /** A weekly run's marts: the totals are stored beside them, and metrics/ gains no file. */
  @Test
  void publishStoresTheTotalsAsTablesOnly() throws Exception {
    Fixture fx =
        new Fixture()
            .lead("lead_id=L1; person_id=P1; created_at=2026-03-02T10:00Z")
            .lead("lead_id=L2; person_id=P2; created_at=2026-03-03T00:00Z")
            .lead("lead_id=L3; person_id=P3; created_at=2026-03-04T00:00Z")
            .event("event_id=E1; lead_id=L1; occurred_at=2026-03-10T00:00Z; stage=recycled")
            .appt(
                "appointment_id=A2; person_id=P2; booked_at=2026-03-04T00:00Z; scheduled_start=2026-03-06T00:00Z; status=noshow");
    Facts f = fx.facts(spark(), UTC, "2026-06-30");
    Warehouse wh = new Warehouse(spark(), tmp.resolve("wh").toString());
    Path out = tmp.resolve("out");
    RunContext run =
        RunContext.of(wh, UTC, Fixture.cutoff(UTC, "2026-06-30"), out.toString(), "run");
    MetricsStep step = new MetricsStep(run);
    MartPublisher publisher = step.publisher();
    MartPublisher.Published published;
    MetricsStep.Lift lift;
    try {
      java.time.LocalDate asOf = java.time.LocalDate.parse("2026-06-30");
      var collected = publisher.collect(step.compute(f), new StepTimer());
      published = publisher.publish(collected).get(asOf);
      // segment_lift is computed after the other marts, from the entries stored before its as-of
      lift = step.lifts(f, new StepTimer()).get(asOf);
      publisher.publishLift(Map.of(asOf, lift.rows()));
      // stored as a run stores them, in one commit
      MartStore.store(
          wh,
          List.of(asOf),
          publisher.stored(
              collected, Map.of(Marts.SEGMENT_LIFT.table(), Map.of(asOf, lift.rows()))));
    } finally {
      step.release();
    }
    // no run entered members: no episode to count
    assertThat(lift.rows().rows()).isEmpty();
    assertThat(lift.entries()).isEmpty();
    // the rows in hand are the stored ones of the as-of (what the report reads instead): the
    // worked example's cohort, 3 leads, 1 recycled; the twelve marts but segment_lift
    assertThat(published.marts()).hasSize(11);
    MartRows funnel = published.marts().get(Marts.COHORT_FUNNEL.table());
    assertThat(funnel.rows())
        .extracting(r -> r.getAs("leads") + "/" + r.getAs("recycled_leads"))
        .containsExactly("3/1");
    assertThat(funnel.rows())
        .containsExactlyElementsOf(
            MartStore.read(wh, Marts.COHORT_FUNNEL.table())
                .where("as_of = '2026-06-30'")
                .drop("as_of")
                .collectAsList());
    // the metrics files of the as-of: out/<as-of>/metrics
    try (Stream<Path> files = Files.list(out.resolve("2026-06-30/metrics"))) {
      // every file the registry declares (MartsTest checks those against metrics.md)
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrderElementsOf(
              Marts.ALL.stream().map(Marts.Mart::file).filter(java.util.Objects::nonNull).toList());
    }
    // the worked example's cohort: 3 leads, 1 recycled; A2 (L2, a no-show) booked in the first
    // cycle
    Map<String, String> all =
        Rows.of(MartStore.read(wh, Marts.FUNNEL_TOTALS.table())).stream()
            .filter(r -> r.get("dimension").equals("all") && r.get("cohorts").equals("all"))
            .findFirst()
            .orElseThrow();
    assertThat(all)
        .containsEntry("as_of", "2026-06-30")
        .containsEntry("leads", "3")
        .containsEntry("recycle_rate", "0.3333")
        .containsEntry("first_cycle_booking_rate", "0.3333")
        .containsEntry("kept_rate_new", "0.0000");
    // web_form (the fixture's inquiry channel), due for all 3, answered for none
    assertThat(Rows.of(MartStore.read(wh, Marts.SPEED_TOTALS.table())))
        .anySatisfy(
            r ->
                assertThat(r)
                    .containsEntry("value", "web_form")
                    .containsEntry("sla_due", "3")
                    .containsEntry("sla_rate", "0.0000")
                    .containsEntry("sla_minutes", "60"));
    // one stratum, matured: 2026-03-31 + 1 day + 90 days = 2026-06-30 <= the cutoff 2026-07-01
    assertThat(Rows.of(MartStore.read(wh, Marts.COMPARISON_TOTALS.table())))
        .filteredOn(r -> r.get("dimension").equals("cohort_month"))
        .extracting(r -> r.get("value") + "|" + r.get("cohorts") + "|" + r.get("new_leads"))
        .containsExactlyInAnyOrder("2026-03|all|3", "2026-03|matured|3");
  }

  /** Grain joined by '|' → the named columns' values joined by '|'. */
  private static Map<String, String> byGrain(Dataset<Row> t, String... columns) {
    List<String> grain =
        List.of(t.columns()).contains("cohorts")
            ? List.of("dimension", "value", "cohorts")
            : List.of("dimension", "value");
    Map<String, String> out = new TreeMap<>();
    for (Map<String, String> r : Rows.of(t)) {
      String k = String.join("|", grain.stream().map(r::get).toList());
      String v = String.join("|", Stream.of(columns).map(r::get).toList());
      assertThat(out.put(k, v)).as("one row per grain key: " + k).isNull();
    }
    return out;
  }
}
