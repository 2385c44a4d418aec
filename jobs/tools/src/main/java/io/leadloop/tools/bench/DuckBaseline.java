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
 * <p>The SQL is in the files of {@code src/main/resources/bench/duckdb/} ({@link DuckSql}): the
 * macros of the contract's value rules, the raw loads, one staging file per entity, the state at
 * the cutoff and the two figures. This class says which file runs with which values: the
 * vocabularies (from {@link Vocabularies}, so the baseline cannot drift from the contract's lists),
 * the times and windows, and what depends on the landing files (the file lists, the columns the CSV
 * files have).
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

  /** The entities the figures need, in load order (lead events are checked against leads). */
  private static final List<Entity> ENTITIES =
      List.of(Entity.LEADS, Entity.LEAD_EVENTS, Entity.TOUCHES, Entity.APPOINTMENTS);

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
  /** The settings of the last {@link #run}, for {@link #funnelAt}. */
  private Map<String, String> settings;

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
    runSql("macros.sql", Map.of());
    for (Entity e : ENTITIES) {
      loadRaw(landing, e);
    }
    Map<String, String> v = vocabularies();
    // rows whose event time is more than a day after ingestion are rejected
    v.put("latest", ts(ingestedAt.plusSeconds(86_400)));
    for (Entity e : ENTITIES) {
      runSql("stage_" + e.folder() + ".sql", v);
    }
    long t1 = System.nanoTime();
    v.put("cut", ts(asOf.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()));
    v.put("window_us", Long.toString(windowDays * MICROS_PER_DAY));
    v.put("horizon_us", Long.toString(horizonDays * MICROS_PER_DAY));
    v.put("lookback_us", Long.toString(lookbackDays * MICROS_PER_DAY));
    runSql("state.sql", v);
    runSql("cohort_funnel.sql", v);
    runSql("attribution.sql", v);
    long t2 = System.nanoTime();
    settings = v;
    return new Timing((t1 - t0) / 1e9, (t2 - t1) / 1e9);
  }

  /**
   * {@code cohort_funnel} at another as-of of the files {@link #run} loaded, into {@code
   * dk_cohort_funnel} (replacing the one there); returns the seconds it took.
   */
  public double funnelAt(LocalDate asOf) {
    if (settings == null) {
      throw new IllegalStateException("Cannot compute the funnel: no landing set loaded (run)");
    }
    long t0 = System.nanoTime();
    Map<String, String> v = new LinkedHashMap<>(settings);
    v.put("cut", ts(asOf.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()));
    runSql("state.sql", v);
    runSql("cohort_funnel.sql", v);
    return (System.nanoTime() - t0) / 1e9;
  }

  /**
   * raw_{entity}: every contract field as text, plus file, rn (order within the file), fhir and
   * invalid. Malformed lines are left out by the readers (CSV records with a wrong field count,
   * JSON lines that do not parse). What depends on the files is made here: the file lists and, per
   * contract field, the column of the CSV files that has it.
   */
  private void loadRaw(Path landing, Entity e) {
    List<String> fields = e.fields().stream().map(Field::name).toList();
    Map<String, String> v = new LinkedHashMap<>();
    v.put("entity", e.folder());
    v.put(
        "column_definitions",
        fields.stream().map(f -> f + " VARCHAR").collect(Collectors.joining(", ")));
    runSql("raw_table.sql", v);
    List<Path> csv = files(landing.resolve(e.folder()), ".csv");
    List<Path> json = new ArrayList<>(files(landing.resolve(e.folder()), ".jsonl"));
    json.addAll(files(landing.resolve(e.folder()), ".ndjson"));
    if (!csv.isEmpty()) {
      v.put("files", list(csv));
      runSql("raw_csv_read.sql", v);
      List<String> present = columns("csv_in");
      v.put(
          "columns",
          fields.stream()
              .map(f -> present.contains(f) ? "\"" + f + "\"" : "NULL")
              .collect(Collectors.joining(", ")));
      runSql("raw_csv_insert.sql", v);
    }
    if (!json.isEmpty()) {
      v.put("files", list(json));
      runSql("raw_json_read.sql", v);
      v.put(
          "values",
          fields.stream().map(f -> "j->>'$." + f + "'").collect(Collectors.joining(", ")));
      v.put(
          "invalid",
          fields.stream()
              .map(f -> "coalesce(json_type(j->'$." + f + "') IN ('OBJECT', 'ARRAY'), false)")
              .collect(Collectors.joining(" OR ")));
      runSql(
          e == Entity.APPOINTMENTS ? "raw_json_insert_appointments.sql" : "raw_json_insert.sql", v);
    }
  }

  /** The contract's vocabularies and metrics.md's status groups, as SQL lists. */
  private static Map<String, String> vocabularies() {
    Map<String, String> v = new LinkedHashMap<>();
    v.put("inquiry_channels", in(Vocabularies.INQUIRY_CHANNELS));
    v.put("audiences", in(Vocabularies.AUDIENCES));
    v.put("intents", in(Vocabularies.INTENTS));
    v.put("scores", in(Vocabularies.SCORES));
    v.put("stages", in(Vocabularies.STAGES));
    v.put("touch_channels", in(Vocabularies.TOUCH_CHANNELS));
    v.put("directions", in(Vocabularies.DIRECTIONS));
    v.put("outcomes", in(Vocabularies.OUTCOMES));
    v.put("appointment_statuses", in(Vocabularies.APPOINTMENT_STATUSES));
    v.put("start_optional", in(Vocabularies.START_OPTIONAL.stream().sorted().toList()));
    v.put("qualifying", in(Vocabularies.QUALIFYING));
    v.put("kept", in(Vocabularies.KEPT));
    v.put("not_kept", in(Vocabularies.NOT_KEPT));
    v.put("failed_outcomes", in(Vocabularies.FAILED_OUTCOMES));
    return v;
  }

  /** Runs the statements of one SQL file of {@link DuckSql#FOLDER}. */
  private void runSql(String file, Map<String, String> values) {
    for (String sql : DuckSql.statements(file, values)) {
      exec(sql);
    }
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
