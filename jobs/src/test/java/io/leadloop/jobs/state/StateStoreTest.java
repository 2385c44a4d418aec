package io.leadloop.jobs.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadloop.common.SparkTestBase;
import io.leadloop.common.config.ConfigLoader;
import io.leadloop.common.config.LeadloopConfig;
import io.leadloop.common.schema.Entity;
import io.leadloop.jobs.Fixture;
import io.leadloop.jobs.facts.AsOf;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** The state table's rows and the state at a cutoff read from them, worked out by hand. */
class StateStoreTest extends SparkTestBase {
  private static final LeadloopConfig CONFIG = ConfigLoader.defaults();

  /**
   * L1 has five versions: three share updated_at 03-05 (batch 2 beats batch 1, whatever the file
   * name). E1 is rewritten by batch 2 with a later time.
   */
  private static Map<Entity, Dataset<Row>> staged() {
    String l1 = "lead_id=L1; person_id=P1; created_at=2026-03-02T10:00Z; ";
    return new Fixture()
        .lead(l1 + "updated_at=2026-03-02T10:00Z; source=referral; _batch=1; _file=a.csv")
        .lead(l1 + "updated_at=2026-03-05T00:00Z; source=event; _batch=1; _file=a.csv")
        .lead(l1 + "updated_at=2026-03-05T00:00Z; source=paid_social; _batch=2; _file=a.csv")
        .lead(l1 + "updated_at=2026-03-05T00:00Z; source=tv; _batch=1; _file=z.csv")
        .lead(l1 + "updated_at=2026-03-10T00:00Z; source=print; _batch=1; _file=a.csv")
        .lead("lead_id=L2; person_id=P2; created_at=2026-03-20T00:00Z")
        .event("event_id=E1; lead_id=L1; occurred_at=2026-03-03T00:00Z; stage=new; _batch=1")
        .event("event_id=E1; lead_id=L1; occurred_at=2026-03-08T00:00Z; stage=recycled; _batch=2")
        .staged(spark(), CONFIG);
  }

  private static List<String> rows(Dataset<Row> ds, String... cols) {
    return ds.selectExpr("concat_ws('|', " + String.join(", ", cols) + ")").collectAsList().stream()
        .map(r -> r.getString(0))
        .sorted()
        .toList();
  }

  @Test
  void versionsKeepTheWinnerOfEachInstantWithTheNextNewerInstant() {
    Dataset<Row> v = StateStore.versions(staged().get(Entity.LEADS), Entity.LEADS);
    assertThat(rows(v, "lead_id", "updated_at", "valid_to", "source"))
        .containsExactly(
            "L1|2026-03-02 10:00:00|2026-03-05 00:00:00|referral",
            "L1|2026-03-05 00:00:00|2026-03-10 00:00:00|paid_social",
            "L1|2026-03-10 00:00:00|print",
            "L2|2026-03-20 00:00:00|paid_search");
    assertThat(v.columns()).doesNotContain("batch_id", "source_file", "line", "file_sha256");
  }

  @Test
  void theStateAtACutoffIsTheVersionInForceAndEqualsAsOf() {
    Map<Entity, Dataset<Row>> staged = staged();
    Dataset<Row> leads = StateStore.versions(staged.get(Entity.LEADS), Entity.LEADS);
    Dataset<Row> events = StateStore.versions(staged.get(Entity.LEAD_EVENTS), Entity.LEAD_EVENTS);
    Map<String, List<String>> expectedLeads =
        Map.of(
            "2026-03-01", List.of(), // created 03-02 10:00: not yet
            "2026-03-04", List.of("L1|referral"), // the 03-05 versions are not before c
            "2026-03-05", List.of("L1|paid_social"),
            "2026-03-09", List.of("L1|paid_social"), // c = 03-10 00:00 = valid_to: still in force
            "2026-03-10", List.of("L1|print"),
            "2026-03-31", List.of("L1|print", "L2|paid_search"));
    // E1's latest row (batch 2, 03-08) is its only row at every cutoff
    Map<String, List<String>> expectedEvents =
        Map.of(
            "2026-03-01", List.of(),
            "2026-03-04", List.of(),
            "2026-03-05", List.of(),
            "2026-03-09", List.of("E1|recycled"),
            "2026-03-10", List.of("E1|recycled"),
            "2026-03-31", List.of("E1|recycled"));
    for (String asOf : expectedLeads.keySet()) {
      var c = Fixture.cutoff(CONFIG, asOf);
      Dataset<Row> l = StateStore.inForce(leads, Entity.LEADS, c);
      assertThat(rows(l, "lead_id", "source")).as(asOf).isEqualTo(expectedLeads.get(asOf));
      assertThat(l.columns())
          .containsExactly(AsOf.at(staged.get(Entity.LEADS), Entity.LEADS, c).columns());
      assertThat(rows(AsOf.at(staged.get(Entity.LEADS), Entity.LEADS, c), "lead_id", "source"))
          .as(asOf)
          .isEqualTo(expectedLeads.get(asOf));
      Dataset<Row> e = StateStore.inForce(events, Entity.LEAD_EVENTS, c);
      assertThat(rows(e, "event_id", "stage")).as(asOf).isEqualTo(expectedEvents.get(asOf));
    }
  }
}
