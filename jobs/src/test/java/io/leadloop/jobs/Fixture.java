package io.leadloop.jobs;

import io.leadloop.common.config.LeadloopConfig;
import io.leadloop.common.metrics.Cutoff;
import io.leadloop.common.parse.ParsedRow;
import io.leadloop.common.parse.RawRecord;
import io.leadloop.common.parse.RowValidator;
import io.leadloop.common.schema.Entity;
import io.leadloop.jobs.facts.Facts;
import io.leadloop.jobs.facts.FactsBuilder;
import io.leadloop.jobs.ingest.ParsedSchema;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * Small inline data sets for fact, metric and segment tests. Rows are written as {@code
 * "field=value; field=value"} (the contract's names; omitted required fields take a default) and go
 * through the real {@link RowValidator}, so fixtures obey the same parsing rules as landing files;
 * they become staged rows (batch 1, file {@code fixture}, line = order) without Delta I/O.
 */
public final class Fixture {
  private static final Instant INGESTED = Instant.parse("2030-01-01T00:00:00Z");
  private static final Map<Entity, Map<String, String>> DEFAULTS =
      Map.of(
          Entity.LEADS,
              Map.of(
                  "source",
                  "paid_search",
                  "inquiry_channel",
                  "web_form",
                  "service_line",
                  "imaging"),
          Entity.APPOINTMENTS, Map.of("service_line", "imaging", "status", "booked"),
          Entity.TOUCHES, Map.of("channel", "email"),
          Entity.LEAD_EVENTS, Map.of("stage", "new"),
          Entity.CONSENT, Map.of("channel", "email", "status", "opt_in"),
          Entity.SUPPRESSION, Map.of("reason", "patient_request"));

  private final Map<Entity, List<Map<String, String>>> rows = new EnumMap<>(Entity.class);

  public Fixture add(Entity e, String spec) {
    Map<String, String> m = new LinkedHashMap<>(DEFAULTS.get(e));
    for (String part : spec.split(";")) {
      if (part.isBlank()) {
        continue;
      }
      int eq = part.indexOf('=');
      m.put(part.substring(0, eq).strip(), part.substring(eq + 1).strip());
    }
    rows.computeIfAbsent(e, k -> new ArrayList<>()).add(m);
    return this;
  }

  public Fixture lead(String spec) {
    return add(Entity.LEADS, spec);
  }

  public Fixture appt(String spec) {
    return add(Entity.APPOINTMENTS, spec);
  }

  public Fixture event(String spec) {
    return add(Entity.LEAD_EVENTS, spec);
  }

  public Fixture touch(String spec) {
    return add(Entity.TOUCHES, spec);
  }

  public Fixture consent(String spec) {
    return add(Entity.CONSENT, spec);
  }

  public Fixture suppression(String spec) {
    return add(Entity.SUPPRESSION, spec);
  }

  /** Staged datasets of every entity (empty where no rows were added). */
  public Map<Entity, Dataset<Row>> staged(SparkSession spark, LeadloopConfig config) {
    Map<Entity, Dataset<Row>> out = new EnumMap<>(Entity.class);
    for (Entity e : Entity.values()) {
      RowValidator v = new RowValidator(e, config.sourceTimezone(), INGESTED);
      List<Row> staged = new ArrayList<>();
      long line = 1;
      for (Map<String, String> m : rows.getOrDefault(e, List.of())) {
        line++;
        ParsedRow p =
            v.validate(new RawRecord(line, m.toString(), new HashMap<>(m), Set.of(), null, false));
        if (!p.accepted()) {
          throw new IllegalArgumentException("fixture row rejected: " + p.message() + " in " + m);
        }
        Object[] values = new Object[e.fields().size() + ParsedSchema.LINEAGE.size()];
        System.arraycopy(p.values(), 0, values, 0, e.fields().size());
        int n = e.fields().size();
        values[n] = 1L;
        values[n + 1] = "fixture";
        values[n + 2] = "sha-" + e.folder();
        values[n + 3] = line;
        values[n + 4] = INGESTED;
        staged.add(RowFactory.create(values));
      }
      out.put(e, spark.createDataFrame(staged, ParsedSchema.staged(e)));
    }
    return out;
  }

  public Facts facts(SparkSession spark, LeadloopConfig config, String asOf) {
    spark.conf().set("spark.sql.session.timeZone", config.timezone().getId());
    return FactsBuilder.build(staged(spark, config), cutoff(config, asOf), config);
  }

  public static Cutoff cutoff(LeadloopConfig config, String asOf) {
    return new Cutoff(LocalDate.parse(asOf), config.timezone());
  }
}
