package io.leadloop.tools.bench;

import io.leadloop.common.schema.Entity;
import io.leadloop.common.schema.Field;
import io.leadloop.common.schema.Vocabularies;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The benchmark's baseline: {@code cohort_funnel} and {@code attribution} (last_touch, linear)
 * computed by DuckDB (embedded, in-memory) straight from the landing files, with DuckDB's own CSV
 * and JSON readers (every column as text) and SQL for the contract's parsing rules and the metric
 * definitions of metrics.md. Independent of leadloop's parser and Spark code: only the entity field
 * lists and the vocabularies are shared.
 *
 * <p>Scope (what these two figures need; see docs/benchmarks.md): leads, lead_events, touches and
 * appointments (CSV, JSONL/NDJSON, gzip, FHIR R4 Appointment lines); rows the contract rejects are
 * dropped (malformed lines, missing required fields, timestamps that do not parse, unknown
 * vocabulary, a negative or non-integer {@code sequence_step}, object/array JSON values, lead
 * events of unknown leads, the conditional {@code scheduled_start}, event times more than a day
 * after ingestion). Pipeline and source time zone UTC (the default configuration); JSON keys are
 * matched in lower case (what the generator writes); one batch. Ties between versions go to the
 * later file name, then the later row of the file.
 */
public final class DuckBaseline implements AutoCloseable {
  /** The models the baseline computes. */
  public static final List<String> MODELS = List.of("last_touch", "linear");

  private static final long MICROS_PER_DAY = 86_400_000_000L;

  /** Wall times of the baseline's two phases. */
  public record Timing(double loadSeconds, double metricsSeconds) {
    public double totalSeconds() {
      return loadSeconds + metricsSeconds;
    }
  }

  private final Connection conn;

  /**
   * An in-memory DuckDB database.
   *
   * @param threads worker threads (0: DuckDB's default, one per core)
   * @param memoryLimit DuckDB's memory limit, e.g. {@code 4GB} (null: DuckDB's default)
   * @param tempDir spill folder (null: DuckDB's default)
   */
  public DuckBaseline(int threads, String memoryLimit, Path tempDir) {
    try {
      Class.forName("org.duckdb.DuckDBDriver");
      conn = DriverManager.getConnection("jdbc:duckdb:");
      if (threads > 0) {
        exec("SET threads = " + threads);
      }
      if (memoryLimit != null) {
        exec("SET memory_limit = '" + memoryLimit + "'");
      }
      if (tempDir != null) {
        exec("SET temp_directory = '" + sqlPath(tempDir) + "'");
      }
      exec("SET preserve_insertion_order = true");
    } catch (SQLException | ClassNotFoundException e) {
      throw new IllegalStateException("Cannot start DuckDB: " + e.getMessage(), e);
    }
  }

  public Connection connection() {
    return conn;
  }

  /** DuckDB's version, e.g. {@code v1.4.4}. */
  public String version() {
    return scalar("SELECT version()");
  }

  /**
   * Loads the landing files and computes the two figures into tables {@code dk_cohort_funnel} and
   * {@code dk_attribution}.
   */
  public Timing run(
      Path landing,
      LocalDate asOf,
      Instant ingestedAt,
      int windowDays,
      int horizonDays,
      int lookbackDays) {
    long t0 = System.nanoTime();
    macros();
    Instant latest = ingestedAt.plusSeconds(86_400);
    for (Entity e :
        List.of(Entity.LEADS, Entity.LEAD_EVENTS, Entity.TOUCHES, Entity.APPOINTMENTS)) {
      loadRaw(landing, e);
    }
    stage(ts(latest));
    long t1 = System.nanoTime();
    String cut = ts(asOf.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
    metrics(cut, windowDays, horizonDays, lookbackDays);
    long t2 = System.nanoTime();
    return new Timing((t1 - t0) / 1e9, (t2 - t1) / 1e9);
  }

  private void macros() {
    // Trimmed, empty -> missing. Codes: lower case, runs of white space / hyphens -> '_'.
    exec(
        "CREATE OR REPLACE MACRO ll_trim(s) AS nullif(regexp_replace(s, '^\\s+|\\s+$', '', 'g'), '')");
    exec(
        "CREATE OR REPLACE MACRO ll_code(s) AS regexp_replace(lower(ll_trim(s)), '[\\s\\-]+', '_', 'g')");
    // Contract timestamps: YYYY-MM-DD[T ]HH:MM[:SS[.f{1,9}]] then Z, +-HH:MM or nothing (UTC).
    exec(
        "CREATE OR REPLACE MACRO ll_ts_parts(t) AS regexp_extract(t, "
            + "'^(\\d{4}-\\d{2}-\\d{2})[T ](\\d{2}:\\d{2})(?::(\\d{2})(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2})?$',"
            + " ['d', 'hm', 's', 'f', 'z'])");
    exec(
        "CREATE OR REPLACE MACRO ll_ts_of(p) AS CASE WHEN p.d = '' THEN NULL ELSE "
            + "try_cast(p.d || ' ' || p.hm || ':' || coalesce(nullif(p.s, ''), '00') AS TIMESTAMP) "
            + "+ to_microseconds(CAST(rpad(coalesce(nullif(substr(p.f, 2), ''), '0'), 9, '0')[1:6] AS BIGINT)) "
            + "- to_minutes(CASE WHEN p.z IN ('', 'Z') THEN 0 ELSE "
            + "(CASE WHEN p.z[1] = '-' THEN -1 ELSE 1 END) * (CAST(p.z[2:3] AS INT) * 60 + CAST(p.z[5:6] AS INT)) END) END");
    exec("CREATE OR REPLACE MACRO ll_week(t) AS CAST(date_trunc('week', t) AS DATE)");
  }

  /**
   * raw_{entity}: every contract field as text, plus file, rn (order within the file), fhir and
   * invalid (a JSON object / array value in a contract field). Malformed lines are left out by the
   * readers (CSV records with a wrong field count, JSON lines that do not parse).
   */
  private void loadRaw(Path landing, Entity e) {
    String raw = "raw_" + e.folder();
    List<String> fields = e.fields().stream().map(Field::name).toList();
    StringBuilder cols = new StringBuilder();
    for (String f : fields) {
      cols.append(f).append(" VARCHAR, ");
    }
    exec(
        "CREATE OR REPLACE TABLE "
            + raw
            + " ("
            + cols
            + "file VARCHAR, rn BIGINT, fhir BOOLEAN, invalid BOOLEAN)");
    List<Path> csv = files(landing.resolve(e.folder()), ".csv");
    List<Path> json = new ArrayList<>(files(landing.resolve(e.folder()), ".jsonl"));
    json.addAll(files(landing.resolve(e.folder()), ".ndjson"));
    if (!csv.isEmpty()) {
      exec(
          "CREATE OR REPLACE TEMP TABLE csv_in AS SELECT * FROM read_csv("
              + list(csv)
              + ", header = true, all_varchar = true, union_by_name = true, filename = true, "
              + "ignore_errors = true, delim = ',', quote = '\"', escape = '\"', null_padding = false, "
              + "max_line_size = 1048576)");
      List<String> present = columns("csv_in");
      String proj =
          fields.stream()
              .map(f -> present.contains(f) ? "\"" + f + "\"" : "NULL")
              .collect(Collectors.joining(", "));
      exec(
          "INSERT INTO " + raw + " SELECT " + proj + ", filename, rowid, false, false FROM csv_in");
      exec("DROP TABLE csv_in");
    }
    if (!json.isEmpty()) {
      exec(
          "CREATE OR REPLACE TEMP TABLE json_in AS SELECT json AS j, filename FROM read_ndjson_objects("
              + list(json)
              + ", ignore_errors = true, filename = true) WHERE json IS NOT NULL AND json_type(json) = 'OBJECT'");
      String proj = fields.stream().map(f -> "j->>'$." + f + "'").collect(Collectors.joining(", "));
      String invalid =
          fields.stream()
              .map(f -> "coalesce(json_type(j->'$." + f + "') IN ('OBJECT', 'ARRAY'), false)")
              .collect(Collectors.joining(" OR "));
      boolean fhirAware = e == Entity.APPOINTMENTS;
      exec(
          "INSERT INTO "
              + raw
              + " SELECT "
              + proj
              + ", filename, rowid, false, "
              + invalid
              + " FROM json_in"
              + (fhirAware ? " WHERE NOT json_exists(j, '$.resourceType')" : ""));
      if (fhirAware) {
        // FHIR R4 Appointment (data-contract.md mapping); another resourceType is malformed.
        exec(
            "INSERT INTO "
                + raw
                + " (appointment_id, person_id, lead_id, booked_at, scheduled_start, status,"
                + " updated_at, service_line, file, rn, fhir, invalid) SELECT "
                + "j->>'$.id', "
                + "nullif(regexp_extract(list_filter(json_extract_string(j, '$.participant[*].actor.reference'),"
                + " r -> regexp_matches(trim(r), '(^|/)Patient/[^/]+$'))[1], 'Patient/([^/]+)$', 1), ''), "
                + "NULL, coalesce(j->>'$.created', j->>'$.meta.lastUpdated'), j->>'$.start', j->>'$.status', "
                + "j->>'$.meta.lastUpdated', j->>'$.serviceType[0].coding[0].code', filename, rowid, true, false "
                + "FROM json_in WHERE j->>'$.resourceType' = 'Appointment'");
      }
      exec("DROP TABLE json_in");
    }
  }

  /**
   * stg_{entity}: the accepted rows, typed and normalized (every version). Three materialized
   * layers so that each value is trimmed once and each timestamp matched by one regular expression
   * (a macro argument used twice would be evaluated twice).
   */
  private void stage(String latest) {
    stageEntity(
        "leads",
        List.of(
            "lead_id",
            "person_id",
            "source",
            "inquiry_channel",
            "service_line",
            "audience",
            "intent",
            "score"),
        List.of("created_at", "updated_at"),
        "lead_id, person_id, created_ts AS created_at, coalesce(updated_ts, created_ts) AS updated_at,"
            + " ll_code(source) AS source, lower(inquiry_channel) AS inquiry_channel, ll_code(service_line) AS service_line",
        "lead_id IS NOT NULL AND person_id IS NOT NULL AND created_at IS NOT NULL AND source IS NOT NULL"
            + " AND inquiry_channel IS NOT NULL AND service_line IS NOT NULL AND NOT invalid"
            + " AND created_ts IS NOT NULL AND (updated_at IS NULL OR updated_ts IS NOT NULL)"
            + " AND lower(inquiry_channel) IN "
            + in(Vocabularies.INQUIRY_CHANNELS)
            + " AND (audience IS NULL OR lower(audience) IN "
            + in(Vocabularies.AUDIENCES)
            + ")"
            + " AND (intent IS NULL OR lower(intent) IN "
            + in(Vocabularies.INTENTS)
            + ")"
            + " AND (score IS NULL OR lower(score) IN "
            + in(Vocabularies.SCORES)
            + ")"
            + " AND created_ts <= "
            + latest);
    stageEntity(
        "lead_events",
        List.of("event_id", "lead_id", "stage"),
        List.of("occurred_at"),
        "event_id, lead_id, occurred_ts AS occurred_at, lower(stage) AS stage",
        "event_id IS NOT NULL AND lead_id IS NOT NULL AND occurred_at IS NOT NULL AND stage IS NOT NULL"
            + " AND NOT invalid AND occurred_ts IS NOT NULL AND lower(stage) IN "
            + in(Vocabularies.STAGES)
            + " AND lead_id IN (SELECT lead_id FROM stg_leads)"
            + " AND occurred_ts <= "
            + latest);
    stageEntity(
        "touches",
        List.of("touch_id", "person_id", "channel", "direction", "outcome", "sequence_step"),
        List.of("occurred_at"),
        "touch_id, person_id, occurred_ts AS occurred_at, lower(channel) AS channel,"
            + " coalesce(lower(outcome), 'sent') AS outcome",
        "touch_id IS NOT NULL AND person_id IS NOT NULL AND occurred_at IS NOT NULL AND channel IS NOT NULL"
            + " AND NOT invalid AND occurred_ts IS NOT NULL"
            + " AND (sequence_step IS NULL OR regexp_full_match(sequence_step, '\\d{1,9}'))"
            + " AND lower(channel) IN "
            + in(Vocabularies.TOUCH_CHANNELS)
            + " AND (direction IS NULL OR lower(direction) IN "
            + in(Vocabularies.DIRECTIONS)
            + ")"
            + " AND (outcome IS NULL OR lower(outcome) IN "
            + in(Vocabularies.OUTCOMES)
            + ")"
            + " AND occurred_ts <= "
            + latest);
    stageEntity(
        "appointments",
        List.of("appointment_id", "person_id", "lead_id", "status", "service_line"),
        List.of("booked_at", "scheduled_start", "updated_at"),
        "appointment_id, person_id, lead_id, booked_ts AS booked_at, scheduled_start_ts AS scheduled_start,"
            + " lower(status) AS status, coalesce(updated_ts, booked_ts) AS updated_at, ll_code(service_line) AS service_line",
        "appointment_id IS NOT NULL AND person_id IS NOT NULL AND booked_at IS NOT NULL AND status IS NOT NULL"
            + " AND service_line IS NOT NULL AND NOT invalid AND booked_ts IS NOT NULL"
            + " AND (scheduled_start IS NULL OR scheduled_start_ts IS NOT NULL)"
            + " AND (updated_at IS NULL OR updated_ts IS NOT NULL)"
            + " AND lower(status) IN "
            + in(Vocabularies.APPOINTMENT_STATUSES)
            + " AND (scheduled_start_ts IS NOT NULL OR lower(status) IN ('proposed', 'cancelled', 'waitlist'))"
            + " AND booked_ts <= "
            + latest);
  }

  /**
   * One staged table: t = trimmed text of {@code text} and {@code times}; p = the parts of each
   * timestamp ({@code <f>_p}; in FHIR rows a date alone is its midnight); then {@code <f>_ts}
   * typed, and {@code select} of the rows passing {@code where}, with file and rn.
   */
  private void stageEntity(
      String entity, List<String> text, List<String> times, String select, String where) {
    List<String> all = new ArrayList<>(text);
    all.addAll(times);
    String trimmed =
        all.stream().map(f -> "ll_trim(" + f + ") AS " + f).collect(Collectors.joining(", "));
    String parts =
        times.stream()
            .map(
                f ->
                    "CASE WHEN fhir AND regexp_full_match(coalesce("
                        + f
                        + ", ''), '\\d{4}-\\d{2}-\\d{2}')"
                        + " THEN {'d': "
                        + f
                        + ", 'hm': '00:00', 's': '', 'f': '', 'z': ''}"
                        + " ELSE ll_ts_parts("
                        + f
                        + ") END AS "
                        + f.replace("_at", "")
                        + "_p")
            .collect(Collectors.joining(", "));
    String typed =
        times.stream()
            .map(f -> "ll_ts_of(" + f.replace("_at", "") + "_p) AS " + f.replace("_at", "") + "_ts")
            .collect(Collectors.joining(", "));
    exec(
        "CREATE OR REPLACE TABLE stg_"
            + entity
            + " AS"
            + " WITH t AS MATERIALIZED (SELECT "
            + trimmed
            + ", file, rn, fhir, invalid FROM raw_"
            + entity
            + "),"
            + " p AS MATERIALIZED (SELECT *, "
            + parts
            + " FROM t),"
            + " v AS (SELECT *, "
            + typed
            + " FROM p)"
            + " SELECT "
            + select
            + ", file, rn FROM v WHERE "
            + where);
  }

  /** metrics.md: the state at c, appointment facts, cohort_funnel and attribution. */
  private void metrics(String cut, int w, int horizon, int lookback) {
    String wUs = Long.toString(w * MICROS_PER_DAY);
    exec(
        "CREATE OR REPLACE TABLE leads_c AS SELECT * FROM (SELECT * FROM stg_leads WHERE updated_at < "
            + cut
            + " QUALIFY row_number() OVER (PARTITION BY lead_id ORDER BY updated_at DESC, file DESC, rn DESC) = 1)"
            + " WHERE created_at < "
            + cut);
    exec(
        "CREATE OR REPLACE TABLE events_c AS SELECT * FROM (SELECT * FROM stg_lead_events"
            + " QUALIFY row_number() OVER (PARTITION BY event_id ORDER BY file DESC, rn DESC) = 1)"
            + " WHERE occurred_at < "
            + cut);
    exec(
        "CREATE OR REPLACE TABLE touches_c AS SELECT * FROM (SELECT * FROM stg_touches"
            + " QUALIFY row_number() OVER (PARTITION BY touch_id ORDER BY file DESC, rn DESC) = 1)"
            + " WHERE occurred_at < "
            + cut);
    exec(
        "CREATE OR REPLACE TABLE appts_c AS SELECT * FROM (SELECT * FROM stg_appointments WHERE updated_at < "
            + cut
            + " QUALIFY row_number() OVER (PARTITION BY appointment_id ORDER BY updated_at DESC, file DESC, rn DESC) = 1)"
            + " WHERE booked_at < "
            + cut);
    exec(
        "CREATE OR REPLACE TABLE recycles AS SELECT e.lead_id, e.occurred_at FROM events_c e"
            + " JOIN leads_c l ON e.lead_id = l.lead_id WHERE e.stage = 'recycled'");
    exec(
        "CREATE OR REPLACE TABLE lead_rec AS SELECT lead_id, min(occurred_at) AS t_r, count(*) AS cycles"
            + " FROM recycles GROUP BY lead_id");
    // Appointment -> lead link: the named lead when it exists at c, else the person's latest lead
    // created at or before booked_at (ties: greatest lead_id) within the horizon.
    exec(
        "CREATE OR REPLACE TABLE appt_link AS"
            + " WITH fb AS (SELECT a.appointment_id, l.lead_id, l.created_at, a.booked_at FROM appts_c a"
            + "  JOIN leads_c l ON a.person_id = l.person_id AND l.created_at <= a.booked_at"
            + "  QUALIFY row_number() OVER (PARTITION BY a.appointment_id ORDER BY l.created_at DESC, l.lead_id DESC) = 1)"
            + " SELECT a.*, CASE WHEN d.lead_id IS NOT NULL THEN d.lead_id"
            + "  WHEN epoch_us(fb.booked_at) - epoch_us(fb.created_at) <= "
            + horizon * MICROS_PER_DAY
            + "  THEN fb.lead_id END AS linked"
            + " FROM appts_c a LEFT JOIN leads_c d ON a.lead_id = d.lead_id"
            + " LEFT JOIN fb ON fb.appointment_id = a.appointment_id");
    exec(
        "CREATE OR REPLACE TABLE appt_facts AS"
            + " WITH brt AS (SELECT a.appointment_id, max(r.occurred_at) AS brt FROM appt_link a"
            + "  JOIN recycles r ON r.lead_id = a.linked AND r.occurred_at <= a.booked_at GROUP BY a.appointment_id),"
            + " f AS (SELECT a.*, l.created_at AS lc, lr.t_r, brt.brt,"
            + "  a.status IN "
            + in(Vocabularies.QUALIFYING)
            + " AS q,"
            + "  coalesce(a.scheduled_start < "
            + cut
            + ", false) AS started"
            + "  FROM appt_link a LEFT JOIN leads_c l ON a.linked = l.lead_id"
            + "  LEFT JOIN lead_rec lr ON a.linked = lr.lead_id"
            + "  LEFT JOIN brt ON brt.appointment_id = a.appointment_id)"
            + " SELECT *,"
            + "  q AND started AND status IN "
            + in(concat(Vocabularies.KEPT, Vocabularies.NOT_KEPT))
            + " AS resolved,"
            + "  q AND started AND status IN "
            + in(Vocabularies.KEPT)
            + " AS kept,"
            + "  status = 'booked' AND started AS unresolved,"
            + "  linked IS NOT NULL AND t_r IS NOT NULL AND booked_at >= t_r AS recycled_booking,"
            + "  linked IS NOT NULL AND q AND epoch_us(lc) <= epoch_us(booked_at)"
            + "   AND epoch_us(booked_at) <= epoch_us(lc) + "
            + wUs
            + " AND (t_r IS NULL OR booked_at < t_r) AS first_cycle,"
            + "  linked IS NOT NULL AND q AND t_r IS NOT NULL AND booked_at >= t_r"
            + "   AND epoch_us(booked_at) <= epoch_us(brt) + "
            + wUs
            + " AS from_recycled,"
            + "  linked IS NOT NULL AND q AND status <> 'cancelled' AS conversion"
            + " FROM f");
    exec(
        "CREATE OR REPLACE TABLE dk_cohort_funnel AS"
            + " WITH lf AS (SELECT l.lead_id, ll_week(l.created_at) AS cohort_week, l.source, l.service_line,"
            + "  coalesce(lr.cycles, 0) > 0 AS is_recycled,"
            + "  coalesce(b.fc, false) AS fc, coalesce(lr.cycles, 0) > 0 AND coalesce(b.fr, false) AS fr"
            + "  FROM leads_c l LEFT JOIN lead_rec lr ON l.lead_id = lr.lead_id"
            + "  LEFT JOIN (SELECT linked, bool_or(first_cycle) AS fc, bool_or(from_recycled) AS fr FROM appt_facts"
            + "   WHERE linked IS NOT NULL GROUP BY linked) b ON b.linked = l.lead_id),"
            + " bl AS (SELECT cohort_week, source, service_line, count(*) AS leads,"
            + "  count(*) FILTER (is_recycled) AS recycled_leads, count(*) FILTER (fc) AS booked_first_cycle,"
            + "  count(*) FILTER (fr) AS booked_from_recycled FROM lf GROUP BY ALL),"
            + " ba AS (SELECT lf.cohort_week, lf.source, lf.service_line,"
            + "  count(*) FILTER (a.resolved AND NOT a.recycled_booking) AS resolved_new,"
            + "  count(*) FILTER (a.kept AND NOT a.recycled_booking) AS kept_new,"
            + "  count(*) FILTER (a.resolved AND a.recycled_booking) AS resolved_recycled,"
            + "  count(*) FILTER (a.kept AND a.recycled_booking) AS kept_recycled,"
            + "  count(*) FILTER (a.unresolved) AS appointments_unresolved"
            + "  FROM appt_facts a JOIN lf ON a.linked = lf.lead_id GROUP BY ALL)"
            + " SELECT bl.cohort_week, bl.source, bl.service_line, leads, recycled_leads,"
            + "  round(recycled_leads / leads, 4) AS recycle_rate, booked_first_cycle,"
            + "  round(booked_first_cycle / leads, 4) AS first_cycle_booking_rate, booked_from_recycled,"
            + "  CASE WHEN recycled_leads > 0 THEN round(booked_from_recycled / recycled_leads, 4) END AS booked_from_recycled_rate,"
            + "  coalesce(resolved_new, 0) AS resolved_new, coalesce(kept_new, 0) AS kept_new,"
            + "  CASE WHEN resolved_new > 0 THEN round(kept_new / resolved_new, 4) END AS kept_rate_new,"
            + "  coalesce(resolved_recycled, 0) AS resolved_recycled, coalesce(kept_recycled, 0) AS kept_recycled,"
            + "  CASE WHEN resolved_recycled > 0 THEN round(kept_recycled / resolved_recycled, 4) END AS kept_rate_recycled,"
            + "  coalesce(appointments_unresolved, 0) AS appointments_unresolved,"
            + "  epoch_us(CAST(bl.cohort_week AS TIMESTAMP)) + "
            + (7L + w) * MICROS_PER_DAY
            + " <= epoch_us("
            + cut
            + ") AS matured"
            + " FROM bl LEFT JOIN ba ON bl.cohort_week = ba.cohort_week AND bl.source = ba.source"
            + "  AND bl.service_line = ba.service_line"
            + " ORDER BY 1, 2, 3");
    exec(
        "CREATE OR REPLACE TABLE dk_attribution AS"
            + " WITH conv AS (SELECT appointment_id, person_id, booked_at FROM appt_facts WHERE conversion),"
            + " ct AS (SELECT c.appointment_id, c.booked_at, t.touch_id, t.occurred_at, t.channel FROM conv c"
            + "  JOIN touches_c t ON t.person_id = c.person_id AND t.occurred_at <= c.booked_at"
            + "  AND epoch_us(t.occurred_at) >= epoch_us(c.booked_at) - "
            + lookback * MICROS_PER_DAY
            + "  AND t.outcome NOT IN "
            + in(Vocabularies.FAILED_OUTCOMES)
            + "),"
            + " rk AS (SELECT *, row_number() OVER (PARTITION BY appointment_id ORDER BY occurred_at, touch_id) AS i,"
            + "  count(*) OVER (PARTITION BY appointment_id) AS n FROM ct),"
            + " cr AS (SELECT ll_week(booked_at) AS booking_week, 'last_touch' AS model, channel, 1.0::DOUBLE AS credit"
            + "  FROM rk WHERE i = n"
            + "  UNION ALL SELECT ll_week(booked_at), 'linear', channel, 1.0::DOUBLE / n FROM rk"
            + "  UNION ALL SELECT ll_week(c.booked_at), m.model, 'none', 1.0::DOUBLE FROM conv c"
            + "   CROSS JOIN (VALUES ('last_touch'), ('linear')) m(model)"
            + "   WHERE c.appointment_id NOT IN (SELECT appointment_id FROM ct))"
            + " SELECT booking_week, model, channel, round(sum(credit), 4) AS bookings_credited FROM cr"
            + " GROUP BY ALL HAVING sum(credit) > 0 ORDER BY 1, 2, 3");
  }

  /** Row counts of the baseline's tables (raw, staged, at c), for the report. */
  public Map<String, Long> counts() {
    Map<String, Long> m = new LinkedHashMap<>();
    for (String t :
        List.of(
            "raw_leads",
            "stg_leads",
            "leads_c",
            "raw_lead_events",
            "stg_lead_events",
            "events_c",
            "raw_touches",
            "stg_touches",
            "touches_c",
            "raw_appointments",
            "stg_appointments",
            "appts_c",
            "dk_cohort_funnel",
            "dk_attribution")) {
      m.put(t, Long.parseLong(scalar("SELECT count(*) FROM " + t)));
    }
    return m;
  }

  String scalar(String sql) {
    try (Statement s = conn.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getString(1);
    } catch (SQLException e) {
      throw new IllegalStateException("DuckDB: " + e.getMessage() + "\n" + sql, e);
    }
  }

  void exec(String sql) {
    try (Statement s = conn.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("DuckDB: " + e.getMessage() + "\n" + sql, e);
    }
  }

  private List<String> columns(String table) {
    List<String> out = new ArrayList<>();
    try (Statement s = conn.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT column_name FROM information_schema.columns WHERE table_name = '"
                    + table
                    + "'")) {
      while (r.next()) {
        out.add(r.getString(1).strip().toLowerCase(Locale.ROOT));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("DuckDB: " + e.getMessage(), e);
    }
    return out;
  }

  /** The data files of an entity folder with this extension, optionally .gz (any case), sorted. */
  static List<Path> files(Path dir, String ext) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isRegularFile)
          .filter(
              p -> {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return n.endsWith(ext) || n.endsWith(ext + ".gz");
              })
          .filter(p -> sizeOf(p) > 0)
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long sizeOf(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String list(List<Path> files) {
    return files.stream()
        .map(p -> "'" + sqlPath(p) + "'")
        .collect(Collectors.joining(", ", "[", "]"));
  }

  static String sqlPath(Path p) {
    return p.toAbsolutePath().toString().replace("'", "''");
  }

  private static String in(List<String> values) {
    return values.stream()
        .map(v -> "'" + v.toLowerCase(Locale.ROOT) + "'")
        .collect(Collectors.joining(", ", "(", ")"));
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  private static String ts(Instant i) {
    return "TIMESTAMP '"
        + i.atOffset(ZoneOffset.UTC).toLocalDateTime().toString().replace('T', ' ')
        + "'";
  }

  @Override
  public void close() {
    try {
      conn.close();
    } catch (SQLException e) {
      // closing an in-memory database: nothing to keep
    }
  }
}
