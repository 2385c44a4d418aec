package io.leadloop.jobs.weekly;

import static org.apache.spark.sql.functions.col;

import io.leadloop.common.config.LeadloopConfig;
import io.leadloop.common.metrics.AsOfs;
import io.leadloop.common.spark.Warehouse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The {@value #TABLE} table: one row per as-of whose facts ({@code int_leads}, {@code
 * int_appointments}) are stored whole, naming what they were computed from, so that a later as-of
 * may start from them ({@link FactsStep}). A mark is removed before an as-of's facts are replaced
 * and written after both tables are, so a run cut off in between leaves no mark.
 */
final class FactsMarks {
  static final String TABLE = "int_marks";

  /**
   * The version of the facts code. Raise it whenever the same inputs give other fact rows: stored
   * facts of another version are then never reused.
   */
  static final int FACTS_VERSION = 1;

  static final StructType SCHEMA =
      new StructType()
          .add("as_of", DataTypes.DateType, false)
          .add("last_batch", DataTypes.LongType, false)
          .add("ledger_fingerprint", DataTypes.StringType, false)
          .add("config_fingerprint", DataTypes.StringType, false)
          .add("run_id", DataTypes.StringType, false);

  /**
   * What one as-of's facts were computed from.
   *
   * @param lastBatch the newest ingest batch in the ledger
   * @param ledgerFingerprint SHA-256 of the ledger's files up to {@code lastBatch}
   * @param configFingerprint the configuration the facts read ({@link #configFingerprint})
   */
  record Mark(LocalDate asOf, long lastBatch, String ledgerFingerprint, String configFingerprint) {}

  private FactsMarks() {}

  /** The settings the facts depend on: the code version, time zone, window and link horizon. */
  static String configFingerprint(LeadloopConfig c) {
    return "facts_version="
        + FACTS_VERSION
        + ";timezone="
        + c.timezone().getId()
        + ";booking_window_days="
        + c.bookingWindowDays()
        + ";link_horizon_days="
        + c.linkHorizonDays();
  }

  /** The newest batch of ledger rows {@code (entity, file_sha256, batch_id)}; 0 when empty. */
  static long lastBatch(List<Row> ledger) {
    return ledger.stream().mapToLong(r -> r.getLong(2)).max().orElse(0);
  }

  /**
   * SHA-256 over the sorted {@code entity/file_sha256/batch_id} of the ledger rows of batches up to
   * {@code upTo}. A full-refresh ingest replaces every row of the ledger, so the fingerprint of the
   * batches a mark names changes with it.
   */
  static String ledgerFingerprint(List<Row> ledger, long upTo) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      ledger.stream()
          .filter(r -> r.getLong(2) <= upTo)
          .map(r -> r.getString(0) + "/" + r.getString(1) + "/" + r.getLong(2) + "\n")
          .sorted()
          .forEach(s -> d.update(s.getBytes(StandardCharsets.UTF_8)));
      return HexFormat.of().formatHex(d.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The mark of the latest as-of before {@code asOf} computed with {@code configFingerprint}. */
  static Optional<Mark> latestBefore(Warehouse wh, LocalDate asOf, String configFingerprint) {
    List<Row> rows =
        wh.read(TABLE, SCHEMA)
            .where(col("as_of").lt(java.sql.Date.valueOf(asOf)))
            .where(col("config_fingerprint").equalTo(configFingerprint))
            .orderBy(col("as_of").desc())
            .limit(1)
            .collectAsList();
    return rows.stream()
        .findFirst()
        .map(
            r -> new Mark(AsOfs.localDate(r.get(0)), r.getLong(1), r.getString(2), r.getString(3)));
  }

  /** The run that stored the facts of {@code asOf} (its mark). */
  static String runId(Warehouse wh, LocalDate asOf) {
    return wh.read(TABLE, SCHEMA).where(predicate(asOf)).select("run_id").head().getString(0);
  }

  /** Removes the marks of {@code asOfs} (before their facts are replaced), in one commit. */
  static void clear(Warehouse wh, List<LocalDate> asOfs) {
    wh.replaceAsOfs(TABLE, asOfs, SCHEMA, List.of());
  }

  /** Writes the marks of {@code marks}, stored by the runs {@code runIds}, in one commit. */
  static void write(Warehouse wh, List<Mark> marks, Map<LocalDate, String> runIds) {
    List<Row> rows = new ArrayList<>();
    List<LocalDate> asOfs = new ArrayList<>();
    for (Mark m : marks) {
      asOfs.add(m.asOf());
      rows.add(
          RowFactory.create(
              java.sql.Date.valueOf(m.asOf()),
              m.lastBatch(),
              m.ledgerFingerprint(),
              m.configFingerprint(),
              runIds.get(m.asOf())));
    }
    wh.replaceAsOfs(TABLE, asOfs, SCHEMA, rows);
  }

  private static String predicate(LocalDate asOf) {
    return "as_of = '" + asOf + "'";
  }
}
