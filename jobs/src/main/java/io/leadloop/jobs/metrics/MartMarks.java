package io.leadloop.jobs.metrics;

import static org.apache.spark.sql.functions.col;

import io.leadloop.common.spark.Warehouse;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The {@value #TABLE} table: one row per as-of whose metric marts are all stored, naming the run
 * that stored them and the settings they read, so that a later as-of may start from them ({@link
 * IncrementalMarts}). A mark is removed before an as-of's marts are replaced and written after the
 * last one is, so a run cut off in between leaves no mark.
 */
public final class MartMarks {
  static final String TABLE = "mart_marks";

  static final StructType SCHEMA =
      new StructType()
          .add("as_of", DataTypes.DateType, false)
          .add("config_fingerprint", DataTypes.StringType, false)
          .add("run_id", DataTypes.StringType, false);

  private MartMarks() {}

  /**
   * Whether the marts of {@code asOf} are stored whole, by the run {@code runId} (the run that
   * stored the facts of {@code asOf}), with the settings {@code fingerprint}.
   */
  static boolean matches(Warehouse wh, LocalDate asOf, String fingerprint, String runId) {
    if (!wh.exists(TABLE)) {
      return false;
    }
    return wh.read(TABLE, SCHEMA)
            .where(predicate(asOf))
            .where(col("config_fingerprint").equalTo(fingerprint))
            .where(col("run_id").equalTo(runId))
            .count()
        == 1;
  }

  /** Removes the marks of {@code asOfs} (before their marts are replaced), in one commit. */
  static void clear(Warehouse wh, List<LocalDate> asOfs) {
    wh.replaceAsOfs(TABLE, asOfs, SCHEMA, List.of());
  }

  /** Marks the marts of each as-of as stored by its run ({@code runIds}), in one commit. */
  static void write(Warehouse wh, Map<LocalDate, String> runIds, String fingerprint) {
    List<Row> rows = new ArrayList<>();
    runIds.forEach(
        (asOf, runId) ->
            rows.add(RowFactory.create(java.sql.Date.valueOf(asOf), fingerprint, runId)));
    wh.replaceAsOfs(TABLE, List.copyOf(runIds.keySet()), SCHEMA, rows);
  }

  private static String predicate(LocalDate asOf) {
    return "as_of = '" + asOf + "'";
  }
}
