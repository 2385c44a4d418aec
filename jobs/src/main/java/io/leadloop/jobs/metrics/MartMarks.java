package io.leadloop.jobs.metrics;

import static org.apache.spark.sql.functions.col;

import io.leadloop.common.metrics.AsOfs;
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
 * The mart {@value #TABLE} of the {@link MartStore}: one row per as-of whose marts are stored,
 * naming the run that stored them and the settings they read, so that a later as-of may start from
 * them ({@link IncrementalMarts}). A mark is stored in the same commit as the marts it marks: a run
 * cut off before that commit leaves neither.
 */
public final class MartMarks {
  static final String TABLE = "mart_marks";

  static final StructType SCHEMA =
      new StructType()
          .add("config_fingerprint", DataTypes.StringType, false)
          .add("run_id", DataTypes.StringType, false)
          .add(AsOfs.AS_OF, DataTypes.DateType, false);

  private MartMarks() {}

  /**
   * Whether the marts of {@code asOf} are stored, by the run {@code runId} (the run that stored the
   * facts of {@code asOf}), with the settings {@code fingerprint}.
   */
  static boolean matches(Warehouse wh, LocalDate asOf, String fingerprint, String runId) {
    if (!MartStore.exists(wh, TABLE)) {
      return false;
    }
    return MartStore.read(wh, TABLE)
            .where(col(AsOfs.AS_OF).equalTo(java.sql.Date.valueOf(asOf)))
            .where(col("config_fingerprint").equalTo(fingerprint))
            .where(col("run_id").equalTo(runId))
            .count()
        == 1;
  }

  /** The marks of each as-of's marts as stored by its run ({@code runIds}), to store with them. */
  static MartRows rows(Map<LocalDate, String> runIds, String fingerprint) {
    List<Row> rows = new ArrayList<>();
    runIds.forEach(
        (asOf, runId) ->
            rows.add(RowFactory.create(fingerprint, runId, java.sql.Date.valueOf(asOf))));
    return new MartRows(SCHEMA, rows);
  }
}
