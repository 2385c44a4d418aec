package io.leadloop.jobs.ingest;

import io.leadloop.common.schema.Entity;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Column layout of parsed rows: the entity's typed columns, then lineage and reject columns. */
public final class ParsedSchema {
  public static final String BATCH_ID = "batch_id";
  public static final String SOURCE_FILE = "source_file";
  public static final String FILE_SHA256 = "file_sha256";
  public static final String LINE = "line";
  public static final String INGESTED_AT = "ingested_at";
  public static final String RAW_TEXT = "raw_text";
  public static final String RAW_FIELDS = "raw_fields";
  public static final String REJECT_REASON = "reject_reason";
  public static final String REJECT_MESSAGE = "reject_message";
  public static final String IS_FUTURE = "is_future";

  /** Lineage columns kept on staged rows (batch, file, line order versions). */
  public static final List<String> LINEAGE =
      List.of(BATCH_ID, SOURCE_FILE, FILE_SHA256, LINE, INGESTED_AT);

  private ParsedSchema() {}

  public static StructType of(Entity entity) {
    List<StructField> cols = new ArrayList<>(entity.typedColumns());
    cols.add(DataTypes.createStructField(BATCH_ID, DataTypes.LongType, false));
    cols.add(DataTypes.createStructField(SOURCE_FILE, DataTypes.StringType, false));
    cols.add(DataTypes.createStructField(FILE_SHA256, DataTypes.StringType, false));
    cols.add(DataTypes.createStructField(LINE, DataTypes.LongType, false));
    cols.add(DataTypes.createStructField(INGESTED_AT, DataTypes.TimestampType, false));
    cols.add(DataTypes.createStructField(RAW_TEXT, DataTypes.StringType, true));
    cols.add(
        DataTypes.createStructField(
            RAW_FIELDS,
            DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType, true),
            true));
    cols.add(DataTypes.createStructField(REJECT_REASON, DataTypes.StringType, true));
    cols.add(DataTypes.createStructField(REJECT_MESSAGE, DataTypes.StringType, true));
    cols.add(DataTypes.createStructField(IS_FUTURE, DataTypes.BooleanType, false));
    return DataTypes.createStructType(cols);
  }

  /**
   * The raw table's schema ({@code raw_<entity>}): the parsed columns without the internal {@link
   * #IS_FUTURE} flag, which {@link Rejections} has turned into a reason.
   */
  public static StructType raw(Entity entity) {
    StructType all = of(entity);
    return DataTypes.createStructType(
        java.util.Arrays.stream(all.fields()).filter(f -> !f.name().equals(IS_FUTURE)).toList());
  }

  /** The staged table's schema: typed columns plus lineage. */
  public static StructType staged(Entity entity) {
    List<StructField> cols = new ArrayList<>(entity.typedColumns());
    StructType all = of(entity);
    for (String l : LINEAGE) {
      cols.add(all.apply(l));
    }
    return DataTypes.createStructType(cols);
  }
}
