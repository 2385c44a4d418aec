package io.leadloop.tools.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadloop.common.SparkTestBase;
import io.leadloop.common.config.ConfigLoader;
import io.leadloop.common.config.LeadloopConfig;
import io.leadloop.common.metrics.Cutoff;
import io.leadloop.common.schema.Entity;
import io.leadloop.common.spark.Warehouse;
import io.leadloop.jobs.facts.Facts;
import io.leadloop.jobs.facts.FactsBuilder;
import io.leadloop.jobs.ingest.IngestAction;
import io.leadloop.jobs.ingest.Tables;
import io.leadloop.jobs.publish.OutputFiles;
import io.leadloop.jobs.segments.SegmentsStep;
import io.leadloop.jobs.weekly.StepTimer;
import io.leadloop.tools.generate.GenerateOptions;
import io.leadloop.tools.generate.Generator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Over generated data sets (several seeds): no exported person is suppressed, holds an open
 * appointment, or lacks consent for a channel they are exported with; exports carry only the
 * destination's fields. The invariants are checked in plain Java over the state rows, not with the
 * pipeline's own code.
 */
@Tag("slow")
class PrivacyPropertyTest extends SparkTestBase {
  private static final String AS_OF = "2026-09-27";
  private static final LeadloopConfig CONFIG =
      ConfigLoader.fromYaml(
          """
          follow_up_days: {primary_care: 180, imaging: 90}
          consent_default: {care_coordination: allow_unless_opt_out}
          destinations:
            - name: all
              fields: [person_id, segment, recommended_channel, permitted_channels]
          """,
          "t");
  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void noExportedPersonMayNotBeContacted(long seed) throws Exception {
    Path landing = tmp.resolve("landing");
    new Generator(new GenerateOptions(400, seed, landing)).execute();
    Warehouse wh = new Warehouse(spark(), tmp.resolve("wh").toString());
    new IngestAction(wh, landing.toString(), Instant.parse("2026-11-23T00:00:00Z"), CONFIG)
        .execute();
    spark().conf().set("spark.sql.session.timeZone", "UTC");
    Cutoff c = new Cutoff(LocalDate.parse(AS_OF), CONFIG.timezone());
    Map<Entity, org.apache.spark.sql.Dataset<Row>> staged = new EnumMap<>(Entity.class);
    for (Entity e : Entity.values()) {
      staged.put(e, Tables.staged(wh, e));
    }
    Facts f = FactsBuilder.build(staged, c, CONFIG);
    new SegmentsStep(
            wh,
            new OutputFiles(spark().sparkContext().hadoopConfiguration()),
            CONFIG,
            c,
            tmp.resolve("out").toString(),
            "r",
            false)
        .execute(f, new StepTimer());

    // attribution property: for every week and model, credits sum to the week's conversions
    Map<String, Long> conversions = new HashMap<>();
    for (Row r :
        f.appointments()
            .where("is_conversion")
            .select(
                io.leadloop.jobs.facts.LeadFacts.week(
                        org.apache.spark.sql.functions.col("booked_at"))
                    .cast("string"))
            .collectAsList()) {
      conversions.merge(r.getString(0), 1L, Long::sum);
    }
    Map<String, Double> credited = new HashMap<>();
    for (Row r :
        io.leadloop.jobs.attribution.Attribution.credits(
                f.appointments(), f.get(Entity.TOUCHES), 30, CONFIG.timeDecayHalfLifeDays())
            .groupBy("booking_week", "model")
            .sum("credit")
            .collectAsList()) {
      credited.put(r.get(0) + "/" + r.getString(1), r.getDouble(2));
    }
    assertThat(conversions).isNotEmpty();
    for (var e : conversions.entrySet()) {
      for (String m : io.leadloop.jobs.attribution.Attribution.MODELS) {
        assertThat(credited.get(e.getKey() + "/" + m))
            .as(e.getKey() + " " + m)
            .isCloseTo(e.getValue(), org.assertj.core.api.Assertions.within(1e-9));
      }
    }
    assertThat(credited)
        .hasSize(conversions.size() * io.leadloop.jobs.attribution.Attribution.MODELS.length);

    Instant cut = c.instant();
    Set<String> suppressed = new HashSet<>();
    for (Row r :
        f.get(Entity.SUPPRESSION).select("person_id", "added_at", "expires_at").collectAsList()) {
      Instant added = r.getAs(1);
      Instant expires = r.getAs(2);
      if (added.isBefore(cut) && (expires == null || cut.isBefore(expires))) {
        suppressed.add(r.getString(0));
      }
    }
    Set<String> open = new HashSet<>();
    for (Row r :
        f.get(Entity.APPOINTMENTS)
            .select("person_id", "scheduled_start", "status")
            .collectAsList()) {
      Instant start = r.getAs(1);
      if (start != null
          && !start.isBefore(cut)
          && !List.of("cancelled", "entered-in-error").contains(r.getString(2))) {
        open.add(r.getString(0));
      }
    }
    // latest consent record per person/channel: [instant, opt_out?]
    Map<String, Object[]> latest = new HashMap<>();
    List<Object[]> records = new ArrayList<>();
    for (Row r :
        f.get(Entity.CONSENT)
            .select("person_id", "channel", "status", "recorded_at")
            .collectAsList()) {
      records.add(
          new Object[] {
            r.getString(0) + "/" + r.getString(1), r.getAs(3), "opt_out".equals(r.getString(2))
          });
    }
    for (Row r :
        f.get(Entity.TOUCHES)
            .where("outcome = 'unsubscribed'")
            .select("person_id", "channel", "occurred_at")
            .collectAsList()) {
      records.add(new Object[] {r.getString(0) + "/" + r.getString(1), r.getAs(2), true});
    }
    for (Object[] rec : records) {
      Object[] cur = latest.get((String) rec[0]);
      int cmp = cur == null ? 1 : ((Instant) rec[1]).compareTo((Instant) cur[0]);
      if (cmp > 0 || cmp == 0 && (Boolean) rec[2]) {
        latest.put((String) rec[0], new Object[] {rec[1], rec[2]});
      }
    }
    List<String> lines =
        Files.readAllLines(tmp.resolve("out/exports/all/" + AS_OF + "/members.csv"));
    assertThat(lines.get(0)).isEqualTo("person_id,segment,recommended_channel,permitted_channels");
    assertThat(lines.size()).as("some members exported").isGreaterThan(1);
    for (String line : lines.subList(1, lines.size())) {
      String[] v = line.split(",", -1);
      assertThat(v).hasSize(4);
      String person = v[0];
      assertThat(suppressed).as("suppressed: " + person).doesNotContain(person);
      assertThat(open).as("open appointment: " + person).doesNotContain(person);
      boolean care = !v[1].equals("stalled_lead");
      for (String ch : v[3].split("\\|")) {
        Object[] rec = latest.get(person + "/" + ch);
        boolean permitted = rec == null ? care : !(Boolean) rec[1];
        assertThat(permitted).as(person + " on " + ch).isTrue();
      }
      assertThat(v[3].split("\\|")[0]).isEqualTo(v[2]);
    }
  }
}
