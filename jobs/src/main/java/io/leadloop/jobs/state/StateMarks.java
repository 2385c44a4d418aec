package io.leadloop.jobs.state;

import io.leadloop.common.spark.Warehouse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * What each state table reflects: the ledger's files of its entity up to a batch, named by a
 * fingerprint of their content hashes. A table whose mark no longer matches the ledger's files up
 * to that batch (a {@code --full-refresh} ingest rebuilt the ledger) is rebuilt in full.
 */
final class StateMarks {
  static final String TABLE = "state_marks";

  static final StructType SCHEMA =
      new StructType()
          .add("entity", DataTypes.StringType, false)
          .add("through_batch_id", DataTypes.LongType, false)
          .add("files", DataTypes.LongType, false)
          .add("files_sha256", DataTypes.StringType, false);

  /** One entity's mark. */
  record Mark(String entity, long throughBatchId, long files, String filesSha256) {
    /**
     * The mark of {@code ledgerFiles} (entity's ledger rows) with batch ids up to {@code through}.
     */
    static Mark of(String entity, List<LedgerFile> ledgerFiles, long through) {
      List<String> hashes = new ArrayList<>();
      for (LedgerFile f : ledgerFiles) {
        if (f.batchId() <= through) {
          hashes.add(f.fileSha256() + ":" + f.batchId());
        }
      }
      hashes.sort(null);
      return new Mark(entity, through, hashes.size(), sha256(String.join("\n", hashes)));
    }
  }

  /** A ledger row: one ingested file of an entity. */
  record LedgerFile(String fileSha256, long batchId) {}

  private StateMarks() {}

  static Map<String, Mark> read(Warehouse wh) {
    Map<String, Mark> marks = new HashMap<>();
    for (Row r : wh.read(TABLE, SCHEMA).collectAsList()) {
      marks.put(
          r.getString(0), new Mark(r.getString(0), r.getLong(1), r.getLong(2), r.getString(3)));
    }
    return marks;
  }

  /** Replaces every mark in one commit. */
  static void write(Warehouse wh, List<Mark> marks) {
    List<Row> rows = new ArrayList<>();
    for (Mark m : marks) {
      rows.add(RowFactory.create(m.entity(), m.throughBatchId(), m.files(), m.filesSha256()));
    }
    wh.overwrite(TABLE, wh.spark().createDataFrame(rows, SCHEMA).coalesce(1));
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
