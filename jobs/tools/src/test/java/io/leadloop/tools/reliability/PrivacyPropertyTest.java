package io.leadloop.tools.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadloop.common.SparkTestBase;
import io.leadloop.common.config.ConfigLoader;
import io.leadloop.common.config.LeadloopConfig;
import io.leadloop.common.metrics.Cutoff;
import io.leadloop.common.schema.Entity;
import io.leadloop.common.spark.Cached;
import io.leadloop.common.spark.Warehouse;
import io.leadloop.jobs.facts.Facts;
import io.leadloop.jobs.facts.FactsBuilder;
import io.leadloop.jobs.ingest.IngestAction;
import io.leadloop.jobs.ingest.Tables;
import io.leadloop.jobs.run.RunContext;
import io.leadloop.jobs.run.StepTimer;
import io.leadloop.jobs.segments.SegmentsStep;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Over generated data sets (several seeds): no exported person is suppressed, holds an open
 * appointment, or lacks consent for a channel they are exported with; exports carry only the
 * destination's fields. The state they depend on (versions in force, active suppressions, open
 * appointments, the latest consent per channel, conversions) is worked out in plain Java from the
 * staged rows, not with the pipeline's facts.
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

  @Test
  void noExportedPersonMayNotBeContacted() throws Exception {
    long[] total = new long[4];
    for (long seed = 1; seed <= 3; seed++) {
      List<org.apache.spark.sql.Dataset<Row>> kept = new ArrayList<>();
      long[] n;
      try {
        n = check(seed, Files.createDirectories(tmp.resolve("seed-" + seed)), kept);
      } finally {
        Cached.release(kept);
      }
      System.out.printf(
          "privacy seed %d: %d members; %d suppressed, %d with an open appointment, %d opt-outs"
              + " in force%n",
          seed, n[0], n[1], n[2], n[3]);
      for (int i = 0; i < n.length; i++) {
        total[i] += n[i];
      }
    }
    // every rule had persons to keep out (the edge cases see to it where the generator does not)
    assertThat(total[0]).as("members").isPositive();
    assertThat(total[1]).as("suppressed persons").isPositive();
    assertThat(total[2]).as("persons with an open appointment").isPositive();
    assertThat(total[3]).as("opt-outs in force").isPositive();
  }

  /**
   * Generates, ingests and segments one data set and checks its export; returns the members, the
   * suppressed persons, those with an open appointment and the opt-outs in force. What it keeps in
   * memory is registered in {@code kept}.
   */
  private long[] check(long seed, Path dir, List<org.apache.spark.sql.Dataset<Row>> kept)
      throws Exception {
    Path landing = dir.resolve("landing");
    new Generator(new GenerateOptions(400, seed, landing)).execute();
    List<String> edgePersons = addEdgeCases(landing);
    Warehouse wh = new Warehouse(spark(), dir.resolve("wh").toString());
    new IngestAction(wh, landing.toString(), Instant.parse("2026-11-23T00:00:00Z"), CONFIG)
        .execute();
    spark().conf().set("spark.sql.session.timeZone", "UTC");
    assertThat(
            Tables.staged(wh, Entity.LEADS)
                .where(org.apache.spark.sql.functions.col("person_id").isin(edgePersons.toArray()))
                .select("person_id")
                .distinct()
                .count())
        .as("the edge cases name generated persons")
        .isGreaterThan(edgePersons.size() / 2);
    Cutoff c = new Cutoff(LocalDate.parse(AS_OF), CONFIG.timezone());
    Map<Entity, org.apache.spark.sql.Dataset<Row>> staged = new EnumMap<>(Entity.class);
    for (Entity e : Entity.values()) {
      staged.put(e, Tables.staged(wh, e));
    }
    // The states kept, as a run keeps them: the segments, the credits and the checks below read
    // them.
    Map<Entity, org.apache.spark.sql.Dataset<Row>> state = FactsBuilder.states(staged, c);
    state.replaceAll((e, ds) -> Cached.persisted(ds, kept));
    Facts f = FactsBuilder.fromState(state, c, CONFIG);
    new SegmentsStep(RunContext.of(wh, CONFIG, c, dir.resolve("out").toString(), "r"), false, true)
        .execute(f, new StepTimer());

    Instant cut = c.instant();
    State at = new State(wh, cut, CONFIG.linkHorizonDays());

    // attribution property: for every week and model, credits sum to the week's conversions
    Map<String, Long> conversions = at.conversionsByWeek();
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

    List<String> lines =
        Files.readAllLines(dir.resolve("out/exports/all/" + AS_OF + "/members.csv"));
    assertThat(lines.get(0)).isEqualTo("person_id,segment,recommended_channel,permitted_channels");
    assertThat(lines.size()).as("some members exported").isGreaterThan(1);
    for (String line : lines.subList(1, lines.size())) {
      String[] v = line.split(",", -1);
      assertThat(v).hasSize(4);
      String person = v[0];
      assertThat(at.suppressed).as("suppressed: " + person).doesNotContain(person);
      assertThat(at.open).as("open appointment: " + person).doesNotContain(person);
      // marketing (stalled_lead) needs an opt-in; care coordination is allowed unless opted out
      boolean byDefault = !v[1].equals("stalled_lead");
      List<String> permitted = new ArrayList<>();
      for (String ch : PREFERENCE.get(v[1])) {
        Boolean optIn = at.latestConsent.get(person + "/" + ch);
        if (optIn == null ? byDefault : optIn) {
          permitted.add(ch);
        }
      }
      assertThat(v[3]).as(person + "'s permitted channels").isEqualTo(String.join("|", permitted));
      assertThat(v[2]).as(person + "'s recommended channel").isEqualTo(permitted.get(0));
    }
    return new long[] {
      lines.size() - 1,
      at.suppressed.size(),
      at.open.size(),
      at.latestConsent.values().stream().filter(optIn -> !optIn).count()
    };
  }

  /**
   * Rows the generator seldom makes, for every 7th of its persons (P0000001...): active
   * suppressions with an expiry after the cutoff; open appointments of status proposed, pending and
   * waitlist (booked before the cutoff, starting after it); an opt-in and an opt-out of every
   * channel recorded at the same instant (the opt-out wins). Each must keep the person out of the
   * export whatever segment they would be in. Returns the persons named.
   */
  private static List<String> addEdgeCases(Path landing) throws java.io.IOException {
    List<String> persons = new ArrayList<>();
    StringBuilder suppression = new StringBuilder("person_id,reason,added_at,expires_at\n");
    StringBuilder appointments =
        new StringBuilder(
            "appointment_id,person_id,booked_at,scheduled_start,status,service_line\n");
    StringBuilder consent = new StringBuilder("person_id,channel,status,recorded_at\n");
    String[] open = {"proposed", "pending", "waitlist"};
    for (int i = 1; i <= 400; i++) {
      String p = String.format("P%07d", i);
      switch (i % 7) {
        case 1 ->
            suppression
                .append(p)
                .append(",patient_request,2026-09-01T00:00:00Z,2027-01-01T00:00:00Z\n");
        case 3 ->
            appointments
                .append("XOPEN")
                .append(i)
                .append(',')
                .append(p)
                .append(",2026-09-20T10:00:00Z,2026-10-05T10:00:00Z,")
                .append(open[(i / 7) % 3])
                .append(",primary_care\n");
        case 5 -> {
          for (String ch : List.of("email", "sms", "phone", "mail")) {
            // the opt-out first: neither the later line nor the opt-in may win the tie
            consent.append(p).append(',').append(ch).append(",opt_out,2026-09-10T12:00:00Z\n");
            consent.append(p).append(',').append(ch).append(",opt_in,2026-09-10T12:00:00Z\n");
          }
        }
        default -> {
          continue;
        }
      }
      persons.add(p);
    }
    for (String folder : List.of("suppression", "appointments", "consent")) {
      Files.createDirectories(landing.resolve(folder));
    }
    Files.writeString(landing.resolve("suppression/edge_cases.csv"), suppression);
    Files.writeString(landing.resolve("appointments/edge_cases.csv"), appointments);
    Files.writeString(landing.resolve("consent/edge_cases.csv"), consent);
    return persons;
  }

  /** segments.md's default channel preference per segment. */
  private static final Map<String, List<String>> PREFERENCE =
      Map.of(
          "missed_appointment", List.of("sms", "phone", "email", "mail"),
          "stalled_lead", List.of("phone", "email", "sms", "mail"),
          "lapsed_care", List.of("email", "mail", "sms", "phone"));

  /**
   * The state at the cutoff that the exclusions depend on, worked out here from the staged rows in
   * plain Java (the rules of data-contract.md, metrics.md and segments.md), not by the facts.
   */
  private static final class State {
    private static final Set<String> CONTACT_CHANNELS = Set.of("email", "sms", "phone", "mail");
    final Set<String> suppressed = new HashSet<>();
    final Set<String> open = new HashSet<>();

    /** Person/channel -> whether the latest consent record before the cutoff is an opt-in. */
    final Map<String, Boolean> latestConsent = new HashMap<>();

    private final Map<String, Row> leads; // lead_id -> version in force, of leads that exist
    private final List<Row> appointments; // versions in force with booked_at < c
    private final Instant cut;
    private final long horizonDays;

    State(Warehouse wh, Instant cut, long horizonDays) {
      this.cut = cut;
      this.horizonDays = horizonDays;
      leads = new HashMap<>();
      inForce(
              staged(wh, Entity.LEADS, "lead_id", "person_id", "created_at", "updated_at"),
              r -> r.getString(0),
              r -> r.isNullAt(3) ? (Instant) r.getAs(2) : (Instant) r.getAs(3))
          .forEach(
              (id, r) -> {
                if (((Instant) r.getAs(2)).isBefore(cut)) {
                  leads.put(id, r);
                }
              });
      appointments = new ArrayList<>();
      for (Row r :
          inForce(
                  staged(
                      wh,
                      Entity.APPOINTMENTS,
                      "appointment_id",
                      "person_id",
                      "lead_id",
                      "booked_at",
                      "scheduled_start",
                      "status",
                      "updated_at"),
                  r -> r.getString(0),
                  r -> r.isNullAt(6) ? (Instant) r.getAs(3) : (Instant) r.getAs(6))
              .values()) {
        Instant booked = r.getAs(3);
        Instant start = r.getAs(4);
        if (booked.isBefore(cut)) {
          appointments.add(r);
          if (start != null
              && !start.isBefore(cut)
              && !List.of("cancelled", "entered-in-error").contains(r.getString(5))) {
            open.add(r.getString(1));
          }
        }
      }
      for (Row r :
          inForce(
                  staged(wh, Entity.SUPPRESSION, "person_id", "added_at", "expires_at"),
                  r -> r.getString(0) + "/" + r.getAs(1),
                  r -> null)
              .values()) {
        Instant added = r.getAs(1);
        Instant expires = r.getAs(2);
        if (added.isBefore(cut) && (expires == null || cut.isBefore(expires))) {
          suppressed.add(r.getString(0));
        }
      }
      // consent records and unsubscribed touches before the cutoff: person/channel, time, opt-in
      List<Object[]> records = new ArrayList<>();
      for (Row r : staged(wh, Entity.CONSENT, "person_id", "channel", "status", "recorded_at")) {
        records.add(
            new Object[] {
              r.getString(0) + "/" + r.getString(1), r.getAs(3), "opt_in".equals(r.getString(2))
            });
      }
      for (Row r :
          inForce(
                  staged(
                      wh,
                      Entity.TOUCHES,
                      "touch_id",
                      "person_id",
                      "channel",
                      "outcome",
                      "occurred_at"),
                  r -> r.getString(0),
                  r -> null)
              .values()) {
        if ("unsubscribed".equals(r.getString(3)) && CONTACT_CHANNELS.contains(r.getString(2))) {
          records.add(new Object[] {r.getString(1) + "/" + r.getString(2), r.getAs(4), false});
        }
      }
      Map<String, Instant> latestAt = new HashMap<>();
      for (Object[] rec : records) {
        String key = (String) rec[0];
        Instant t = (Instant) rec[1];
        if (!t.isBefore(cut)) {
          continue;
        }
        Instant cur = latestAt.get(key);
        int cmp = cur == null ? 1 : t.compareTo(cur);
        if (cmp > 0 || cmp == 0 && !(Boolean) rec[2]) { // same instant: the opt-out wins
          latestAt.put(key, t);
          latestConsent.put(key, (Boolean) rec[2]);
        }
      }
    }

    /**
     * Conversions per week of {@code booked_at} (metrics.md: qualifying bookings but cancelled
     * ones, linked to a lead that exists at the cutoff).
     */
    Map<String, Long> conversionsByWeek() {
      Map<String, List<Instant>> createdByPerson = new HashMap<>();
      for (Row l : leads.values()) {
        createdByPerson.computeIfAbsent(l.getString(1), k -> new ArrayList<>()).add(l.getAs(2));
      }
      Map<String, Long> weeks = new HashMap<>();
      for (Row a : appointments) {
        Instant booked = a.getAs(3);
        boolean counted =
            List.of("booked", "arrived", "checked-in", "fulfilled", "noshow")
                .contains(a.getString(5));
        boolean linked =
            (!a.isNullAt(2) && leads.containsKey(a.getString(2)))
                || createdByPerson.getOrDefault(a.getString(1), List.of()).stream()
                    .anyMatch(
                        created ->
                            !created.isAfter(booked)
                                && !created
                                    .plus(java.time.Duration.ofDays(horizonDays))
                                    .isBefore(booked));
        if (counted && linked) {
          LocalDate day = booked.atZone(java.time.ZoneOffset.UTC).toLocalDate();
          String week =
              day.with(
                      java.time.temporal.TemporalAdjusters.previousOrSame(
                          java.time.DayOfWeek.MONDAY))
                  .toString();
          weeks.merge(week, 1L, Long::sum);
        }
      }
      return weeks;
    }

    /** The staged rows' {@code columns}, then their batch, file and line. */
    private static List<Row> staged(Warehouse wh, Entity e, String... columns) {
      List<String> cols = new ArrayList<>(List.of(columns));
      cols.addAll(List.of("batch_id", "source_file", "line"));
      return Tables.staged(wh, e).selectExpr(cols.toArray(String[]::new)).collectAsList();
    }

    /**
     * Each key's version in force: of the versions whose {@code time} is before the cutoff (every
     * version when {@code time} is null: entities without updated_at), the greatest time, then
     * batch, then file name, then line (data-contract.md).
     */
    private Map<String, Row> inForce(
        List<Row> rows,
        java.util.function.Function<Row, String> key,
        java.util.function.Function<Row, Instant> time) {
      Map<String, Row> best = new HashMap<>();
      java.util.Comparator<Row> order =
          java.util.Comparator.comparing(
                  (Row r) -> time.apply(r), java.util.Comparator.nullsFirst(Instant::compareTo))
              .thenComparingLong(r -> r.getLong(r.size() - 3))
              .thenComparing(r -> r.getString(r.size() - 2))
              .thenComparingLong(r -> r.getLong(r.size() - 1));
      for (Row r : rows) {
        Instant t = time.apply(r);
        if (t != null && !t.isBefore(cut)) {
          continue;
        }
        best.merge(key.apply(r), r, (a, b) -> order.compare(a, b) >= 0 ? a : b);
      }
      return best;
    }
  }
}
