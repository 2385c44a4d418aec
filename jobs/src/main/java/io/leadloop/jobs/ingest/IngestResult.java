package io.leadloop.jobs.ingest;

import java.util.List;
import java.util.Map;

/**
 * What one ingest did.
 *
 * @param batchId the batch number (greater for later batches)
 * @param entities per entity (folder name): counts over the files this batch read
 * @param ignored paths under the landing location that are not data files
 * @param skipped files whose content was already ingested (or read earlier in this batch)
 * @param seconds wall time
 */
public record IngestResult(
    long batchId,
    Map<String, EntityCounts> entities,
    List<String> ignored,
    List<String> skipped,
    double seconds) {

  /** Counts of one entity: rows read = accepted + rejected, for every file. */
  public record EntityCounts(
      long rowsRead, long rowsAccepted, long rowsRejected, Map<String, Long> rejectsByReason) {}

  public long rowsRead() {
    return entities.values().stream().mapToLong(EntityCounts::rowsRead).sum();
  }
}
