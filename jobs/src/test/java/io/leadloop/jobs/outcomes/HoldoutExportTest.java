package io.leadloop.jobs.outcomes;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadloop.common.SparkTestBase;
import io.leadloop.common.config.ConfigLoader;
import io.leadloop.common.config.LeadloopConfig;
import io.leadloop.common.spark.Warehouse;
import io.leadloop.jobs.Fixture;
import io.leadloop.jobs.run.RunContext;
import io.leadloop.jobs.run.StepTimer;
import io.leadloop.jobs.segments.SegmentsStep;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Holdouts in the members, exclusions and exports of published runs. Stalled leads only (consent
 * allowed by default, so every member is routed to {@code crm}); draws with salt {@code leadloop}
 * (see AssignmentTest): L1 0.864, L2 0.047, L3 0.541, L4 0.236, L6 0.108, L7 0.749, L8 0.152.
 */
class HoldoutExportTest extends SparkTestBase {
  static LeadloopConfig config(String share) {
    return ConfigLoader.fromYaml(
        """
        consent_default: {marketing: allow_unless_opt_out}
        holdout_share: {stalled_lead: %s}
        outcome_window_days: 5
        destinations:
          - name: crm
            fields: [person_id]
        """
            .formatted(share),
        "t");
  }

  @TempDir Path tmp;

  /** Week 1: P1 (L1), P2 (L2), P4 (L4), P6 (L7). Week 2 adds P3 (L3), P5 (L6), P6's new L8. */
  static Fixture week(boolean second) {
    Fixture fx =
        new Fixture()
            .lead("lead_id=L1; person_id=P1; created_at=2026-09-01T00:00Z")
            .lead("lead_id=L2; person_id=P2; created_at=2026-09-01T00:00Z")
            .lead("lead_id=L4; person_id=P4; created_at=2026-09-01T00:00Z")
            .lead("lead_id=L7; person_id=P6; created_at=2026-09-01T00:00Z");
    if (second) {
      fx.lead("lead_id=L3; person_id=P3; created_at=2026-09-25T00:00Z")
          .lead("lead_id=L6; person_id=P5; created_at=2026-09-26T00:00Z")
          .lead("lead_id=L8; person_id=P6; created_at=2026-10-01T00:00Z");
    }
    return fx;
  }

  void run(Warehouse wh, String asOf, String share, boolean second, boolean dry, boolean exports) {
    LeadloopConfig config = config(share);
    new SegmentsStep(
            RunContext.of(
                wh,
                config,
                Fixture.cutoff(config, asOf),
                tmp.resolve("out").toString(),
                java.util.UUID.randomUUID().toString()),
            dry,
            exports)
        .execute(week(second).facts(spark(), config, asOf), new StepTimer());
  }

  String read(String rel) throws IOException {
    return Files.readString(tmp.resolve("out").resolve(rel));
  }

  List<String> storedAsOfs(Warehouse wh) {
    return wh
        .read(Entries.TABLE)
        .select("as_of")
        .distinct()
        .orderBy("as_of")
        .collectAsList()
        .stream()
        .map((Row r) -> String.valueOf(r.get(0)))
        .toList();
  }

  @Test
  void holdoutMembersAreNeverExportedAndGroupsStayFixed() throws IOException {
    Warehouse wh = new Warehouse(spark(), tmp.resolve("wh").toString());
    // week 1 at share 0.2: only L2 (0.047) is held out
    run(wh, "2026-09-27", "0.2", false, false, true);
    assertThat(read("exports/crm/2026-09-27/members.csv")).isEqualTo("person_id\nP1\nP4\nP6\n");
    assertThat(read("2026-09-27/segments/exclusions.csv"))
        .isEqualTo("segment,rule,persons\nstalled_lead,holdout,1\n");
    assertThat(read("2026-09-27/segments/assignments.csv"))
        .isEqualTo(
            """
            person_id,segment,episode_id,group,holdout_share,routed,as_of
            P1,stalled_lead,stalled_lead:L1,treatment,0.2,true,2026-09-27
            P2,stalled_lead,stalled_lead:L2,holdout,0.2,true,2026-09-27
            P4,stalled_lead,stalled_lead:L4,treatment,0.2,true,2026-09-27
            P6,stalled_lead,stalled_lead:L7,treatment,0.2,true,2026-09-27
            """);

    // week 2 at share 0.5: entered episodes keep their group and share (L4: 0.236 < 0.5 stays
    // treatment); P6's new lead L8 is a new episode, 7 days after the first entered (not less than
    // the 5-day window, so drawn: 0.152, holdout) and leaves the export through removed.csv
    run(wh, "2026-10-04", "0.5", true, false, true);
    String assignments =
        """
        person_id,segment,episode_id,group,holdout_share,routed,as_of
        P1,stalled_lead,stalled_lead:L1,treatment,0.2,true,2026-10-04
        P2,stalled_lead,stalled_lead:L2,holdout,0.2,true,2026-10-04
        P3,stalled_lead,stalled_lead:L3,treatment,0.5,true,2026-10-04
        P4,stalled_lead,stalled_lead:L4,treatment,0.2,true,2026-10-04
        P5,stalled_lead,stalled_lead:L6,holdout,0.5,true,2026-10-04
        P6,stalled_lead,stalled_lead:L8,holdout,0.5,true,2026-10-04
        """;
    assertThat(read("2026-10-04/segments/assignments.csv")).isEqualTo(assignments);
    assertThat(read("exports/crm/2026-10-04/members.csv")).isEqualTo("person_id\nP1\nP3\nP4\n");
    assertThat(read("exports/crm/2026-10-04/added.csv")).isEqualTo("person_id\nP3\n");
    assertThat(read("exports/crm/2026-10-04/removed.csv")).isEqualTo("person_id\nP6\n");
    assertThat(read("2026-10-04/segments/members.csv"))
        .doesNotContain("P2,")
        .doesNotContain("P5,")
        .doesNotContain("P6,");
    assertThat(read("2026-10-04/segments/exclusions.csv"))
        .isEqualTo("segment,rule,persons\nstalled_lead,holdout,3\n");

    // re-running the as-of replaces its stored rows and gives the same groups and files
    String export = read("exports/crm/2026-10-04/members.csv");
    run(wh, "2026-10-04", "0.5", true, false, true);
    assertThat(read("2026-10-04/segments/assignments.csv")).isEqualTo(assignments);
    assertThat(read("exports/crm/2026-10-04/members.csv")).isEqualTo(export);
    assertThat(wh.read(Entries.TABLE).where("as_of = '2026-10-04'").count()).isEqualTo(6);

    // a dry run and a run without exports (a backfill's default) write assignments but enter
    // nothing
    run(wh, "2026-10-11", "0.5", true, true, true);
    run(wh, "2026-10-18", "0.5", true, false, false);
    assertThat(Files.exists(tmp.resolve("out/2026-10-18/segments/assignments.csv"))).isTrue();
    assertThat(Files.exists(tmp.resolve("out/exports/crm/2026-10-11"))).isFalse();
    assertThat(Files.exists(tmp.resolve("out/exports/crm/2026-10-18"))).isFalse();
    assertThat(storedAsOfs(wh)).containsExactly("2026-09-27", "2026-10-04");
  }
}
