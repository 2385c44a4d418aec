package io.leadloop.jobs.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.leadloop.common.LeadloopException;
import io.leadloop.common.schema.Entity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * A batch's rows per entity, file and reject reason, counted in one query over the rows the batch
 * has just parsed into the raw tables (still invisible): each file's ledger row, each entity's
 * counts, and the check that stops the run when a file's rejected share exceeds {@code
 * max_reject_share}.
 */
final class BatchCounts {
  /**
   * What the batch read.
   *
   * @param entities each entity's counts, by folder, in the order of {@link Entity}
   * @param ledger the ledger row of each file read ({@link Tables#LEDGER_SCHEMA})
   */
  record Counted(Map<String, IngestResult.EntityCounts> entities, List<Row> ledger) {}

  private BatchCounts() {}

  /**
   * Counts the batch {@code batchId}: {@code resolved} are its rows per entity, {@code toRead} its
   * files; {@code maxRejectShare} null for no limit.
   */
  static Counted count(
      Map<Entity, Dataset<Row>> resolved,
      Map<Entity, List<LandingFile>> toRead,
      long batchId,
      Instant ingestedAt,
      Double maxRejectShare) {
    Map<Entity, Map<String, Map<String, Long>>> perEntityFile = byFileAndReason(resolved, toRead);
    Map<String, IngestResult.EntityCounts> counts = new LinkedHashMap<>();
    List<Row> ledger = new ArrayList<>();
    for (Entity e : Entity.values()) {
      Map<String, Map<String, Long>> perFile = perEntityFile.getOrDefault(e, Map.of());
      long read = 0;
      long rejected = 0;
      Map<String, Long> byReason = new TreeMap<>();
      for (LandingFile f : toRead.getOrDefault(e, List.of())) {
        Map<String, Long> m = perFile.getOrDefault(f.name(), Map.of());
        long fRead = m.values().stream().mapToLong(Long::longValue).sum();
        long fAccepted = m.getOrDefault("", 0L);
        Map<String, Long> fReasons = new TreeMap<>(m);
        fReasons.remove("");
        fReasons.forEach((k, v) -> byReason.merge(k, v, Long::sum));
        checkRejectShare(e, f, fRead, fRead - fAccepted, fReasons, maxRejectShare);
        read += fRead;
        rejected += fRead - fAccepted;
        ledger.add(
            RowFactory.create(
                e.folder(),
                f.sha256(),
                f.name(),
                batchId,
                ingestedAt,
                fRead,
                fAccepted,
                fRead - fAccepted,
                scala.jdk.javaapi.CollectionConverters.asScala(fReasons)));
      }
      counts.put(
          e.folder(), new IngestResult.EntityCounts(read, read - rejected, rejected, byReason));
    }
    return new Counted(counts, ledger);
  }

  /**
   * The batch's rows per entity, file and reject reason ({@code ""}: accepted), in one query over
   * the entities that have files (the others have no rows).
   */
  private static Map<Entity, Map<String, Map<String, Long>>> byFileAndReason(
      Map<Entity, Dataset<Row>> resolved, Map<Entity, List<LandingFile>> toRead) {
    Dataset<Row> rows = null;
    for (Entity e : toRead.keySet()) {
      Dataset<Row> entityRows =
          resolved
              .get(e)
              .select(
                  lit(e.folder()).as("entity"),
                  col(ParsedSchema.SOURCE_FILE),
                  col(ParsedSchema.REJECT_REASON));
      rows = rows == null ? entityRows : rows.union(entityRows);
    }
    Map<Entity, Map<String, Map<String, Long>>> counts = new EnumMap<>(Entity.class);
    if (rows == null) {
      return counts;
    }
    Map<String, Entity> byFolder = new HashMap<>();
    toRead.keySet().forEach(e -> byFolder.put(e.folder(), e));
    for (Row r :
        rows.groupBy("entity", ParsedSchema.SOURCE_FILE, ParsedSchema.REJECT_REASON)
            .count()
            .collectAsList()) {
      counts
          .computeIfAbsent(byFolder.get(r.getString(0)), k -> new HashMap<>())
          .computeIfAbsent(r.getString(1), k -> new TreeMap<>())
          .merge(r.isNullAt(2) ? "" : r.getString(2), r.getLong(3), Long::sum);
    }
    return counts;
  }

  /**
   * Stops the run (before the ledger commit: nothing visible) when a file's rejected share exceeds
   * max_reject_share.
   */
  private static void checkRejectShare(
      Entity e, LandingFile f, long read, long rejected, Map<String, Long> reasons, Double max) {
    if (max == null || read == 0 || (double) rejected / read <= max) {
      return;
    }
    String top =
        reasons.entrySet().stream()
            .sorted(
                Map.Entry.<String, Long>comparingByValue()
                    .reversed()
                    .thenComparing(Map.Entry.comparingByKey()))
            .limit(3)
            .map(x -> x.getKey() + " " + x.getValue())
            .reduce((a, b) -> a + ", " + b)
            .orElse("");
    throw new LeadloopException(
        String.format(
            "Cannot ingest %s/%s: %d of %d rows rejected (%.1f%% > max_reject_share %.1f%%); top reasons: %s",
            e.folder(), f.name(), rejected, read, 100.0 * rejected / read, 100 * max, top));
  }
}
