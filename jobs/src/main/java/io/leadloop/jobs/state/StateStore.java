package io.leadloop.jobs.state;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lag;

import io.leadloop.common.metrics.Cutoff;
import io.leadloop.common.schema.Entity;
import io.leadloop.common.spark.Warehouse;
import io.leadloop.jobs.facts.AsOf;
import io.leadloop.jobs.ingest.ParsedSchema;
import io.leadloop.jobs.ingest.Tables;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Each entity's versions, kept ready for any cutoff in a Delta table {@code state_<entity>}, so a
 * run reads the state at {@code c} with a filter instead of ranking every staged row again.
 *
 * <p>Rows: for leads and appointments, one row per key and distinct {@code updated_at} (the winner
 * of that instant by batch, file and line) with {@code valid_to}, the key's next newer {@code
 * updated_at} (null: none). The version in force at {@code c} is then the row with {@code
 * updated_at < c <= valid_to}, which is exactly {@link AsOf}'s newest version with {@code
 * updated_at < c}. For the other entities the latest row of each key, as {@link AsOf} keeps it for
 * every cutoff. {@link #inForce} then applies {@link AsOf#exists}.
 *
 * <p>The tables follow the {@link Tables#LEDGER}: {@link StateRefresh} rebuilds only the keys that
 * appear in batches newer than the table's mark ({@link StateMarks}).
 */
public final class StateStore {
  /** Prefix of the state tables: {@code state_leads}, {@code state_touches}, ... */
  public static final String PREFIX = "state_";

  /** For versioned entities: the next newer {@code updated_at} of the key; null when none. */
  public static final String VALID_TO = "valid_to";

  private StateStore() {}

  public static String table(Entity e) {
    return PREFIX + e.folder();
  }

  /** The state table's rows built from {@code staged} rows (all versions of some keys). Pure. */
  public static Dataset<Row> versions(Dataset<Row> staged, Entity e) {
    String v = e.versionColumn();
    if (v == null) {
      return AsOf.latestState(staged, e);
    }
    var w =
        Window.partitionBy(keyColumns(e))
            .orderBy(
                col(v).desc(),
                col(ParsedSchema.BATCH_ID).desc(),
                col(ParsedSchema.SOURCE_FILE).desc(),
                col(ParsedSchema.LINE).desc());
    // In this order the row before a version is a newer-or-equal one: the first row of each
    // updated_at wins that instant; among winners the row before is the next newer version.
    // The second window reuses the first's partitioning and order (no second shuffle).
    return staged
        .drop(ParsedSchema.FILE_SHA256, ParsedSchema.INGESTED_AT)
        .withColumn("_newer", lag(col(v), 1).over(w))
        .where(col("_newer").isNull().or(col("_newer").notEqual(col(v))))
        .withColumn(VALID_TO, lag(col(v), 1).over(w))
        .drop("_newer", ParsedSchema.BATCH_ID, ParsedSchema.SOURCE_FILE, ParsedSchema.LINE);
  }

  /** The rows of {@code e} that exist at {@code c}, from its state table's rows. Pure. */
  public static Dataset<Row> inForce(Dataset<Row> versions, Entity e, Cutoff c) {
    Dataset<Row> rows = versions;
    String v = e.versionColumn();
    if (v != null) {
      Column cut = c.column();
      rows =
          rows.where(col(v).lt(cut).and(col(VALID_TO).isNull().or(col(VALID_TO).geq(cut))))
              .drop(VALID_TO);
    }
    return rows.where(AsOf.exists(e, c));
  }

  /** The rows of {@code e} that exist at {@code c}, read from the warehouse's state table. */
  public static Dataset<Row> at(Warehouse wh, Entity e, Cutoff c) {
    return inForce(wh.read(table(e)), e, c);
  }

  /** The columns a table row is matched on: the key, and for versioned entities the version. */
  static List<String> rowKey(Entity e) {
    List<String> k = new ArrayList<>(e.key());
    if (e.versionColumn() != null) {
      k.add(e.versionColumn());
    }
    return k;
  }

  static Column[] keyColumns(Entity e) {
    List<Column> keys = new ArrayList<>();
    for (String k : e.key()) {
      keys.add(col(k));
    }
    return keys.toArray(Column[]::new);
  }
}
