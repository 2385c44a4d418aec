package io.leadloop.jobs.facts;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lead;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;

import io.leadloop.common.metrics.AsOfs;
import io.leadloop.common.metrics.Cutoff;
import io.leadloop.common.schema.Entity;
import io.leadloop.jobs.ingest.ParsedSchema;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * The state at a cutoff {@code c}, from staged rows (every version, with lineage). Versioned
 * entities (leads, appointments): the version in force is the newest with {@code updated_at < c}
 * (ties: later batch, later file name, later line). Other entities: the latest row of a key wins
 * for every as-of date, then the entity's own time must be before {@code c}. Pure transforms.
 */
public final class AsOf {
  private AsOf() {}

  /** The version of each key that wins among {@code rows}, by the contract's ordering. */
  public static Dataset<Row> latest(Dataset<Row> rows, Entity e) {
    List<Column> order = new ArrayList<>();
    if (e.versionColumn() != null) {
      order.add(col(e.versionColumn()).desc());
    }
    order.add(col("batch_id").desc());
    order.add(col("source_file").desc());
    order.add(col("line").desc());
    var w =
        Window.partitionBy(
                e.key().stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new))
            .orderBy(order.toArray(Column[]::new));
    return rows.withColumn("_rn", row_number().over(w)).where(col("_rn").equalTo(1)).drop("_rn");
  }

  /**
   * {@link #latest} without the lineage columns: they only order the versions, nothing downstream
   * of the state reads them, and a file path and hash per row were a third of the window's shuffled
   * bytes.
   */
  static Dataset<Row> latestState(Dataset<Row> rows, Entity e) {
    return latest(rows.drop(ParsedSchema.FILE_SHA256, ParsedSchema.INGESTED_AT), e)
        .drop(ParsedSchema.BATCH_ID, ParsedSchema.SOURCE_FILE, ParsedSchema.LINE);
  }

  /** The rows of {@code e} that exist at {@code c}. */
  public static Dataset<Row> at(Dataset<Row> staged, Entity e, Cutoff c) {
    Dataset<Row> rows =
        e.versionColumn() == null ? staged : staged.where(col(e.versionColumn()).lt(c.column()));
    return latestState(rows, e).where(exists(e, c));
  }

  /**
   * The rows of {@code e} that exist at each as-of of {@code asOfs} (one column {@value
   * AsOfs#AS_OF}), with that as-of: the rows of {@link #at} for each, side by side ({@link AsOfs}).
   * A version of a versioned entity is in force from its {@code updated_at} (exclusive) to the next
   * version's (inclusive), so each version is paired with the as-ofs of that span only, instead of
   * ranking every version again for each as-of; versions with the same {@code updated_at} order as
   * in {@link #latest}, and the earlier of them is never in force.
   */
  public static Dataset<Row> atEach(Dataset<Row> staged, Entity e, Dataset<Row> asOfs) {
    Column c = AsOfs.cutoffMicros(col(AsOfs.AS_OF));
    Dataset<Row> inForce;
    if (e.versionColumn() == null) {
      inForce = latestState(staged, e).join(broadcast(asOfs), lit(true));
    } else {
      String v = e.versionColumn();
      var order =
          Window.partitionBy(
                  e.key().stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new))
              .orderBy(
                  col(v),
                  col(ParsedSchema.BATCH_ID),
                  col(ParsedSchema.SOURCE_FILE),
                  col(ParsedSchema.LINE));
      Dataset<Row> spans =
          staged
              .drop(ParsedSchema.FILE_SHA256, ParsedSchema.INGESTED_AT)
              .withColumn("_next", lead(col(v), 1).over(order))
              .drop(ParsedSchema.BATCH_ID, ParsedSchema.SOURCE_FILE, ParsedSchema.LINE);
      Column from = Cutoff.micros(col(v));
      Column to = Cutoff.micros(col("_next"));
      inForce =
          spans
              .join(broadcast(asOfs), from.lt(c).and(col("_next").isNull().or(to.geq(c))))
              .drop("_next");
    }
    return inForce.where(Cutoff.micros(col(ownTime(e))).lt(c));
  }

  /**
   * Whether a row of {@code e} (the version in force, for versioned entities) exists at {@code c}:
   * its own time is before {@code c} (metrics.md, "The run's cutoff").
   */
  public static Column exists(Entity e, Cutoff c) {
    return col(ownTime(e)).lt(c.column());
  }

  /** The entity's own time, the one {@link #exists} compares with the cutoff. */
  public static String ownTime(Entity e) {
    return switch (e) {
      case LEADS -> "created_at";
      case APPOINTMENTS -> "booked_at";
      case LEAD_EVENTS, TOUCHES -> "occurred_at";
      case CONSENT -> "recorded_at";
      case SUPPRESSION -> "added_at";
    };
  }
}
