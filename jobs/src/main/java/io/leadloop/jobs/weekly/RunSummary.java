package io.leadloop.jobs.weekly;

import io.leadloop.common.config.LeadloopConfig;
import io.leadloop.common.metrics.Cutoff;
import io.leadloop.common.schema.Entity;
import io.leadloop.jobs.ingest.IngestResult;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds run.json (metrics.md "Run summary"). */
final class RunSummary {
  /** ISO instant with seconds and a numeric offset, e.g. {@code 2026-10-01T00:00:00+00:00}. */
  static final java.time.format.DateTimeFormatter CUTOFF_FORMAT =
      java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx");

  private RunSummary() {}

  static Map<String, Object> build(
      String runId,
      Cutoff cutoff,
      IngestResult ingest,
      Map<String, Long> currentRows,
      long unlinked,
      LeadloopConfig config,
      StepTimer timer,
      Map<String, Object> segments) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("run_id", runId);
    m.put("as_of", cutoff.asOf().toString());
    m.put(
        "cutoff", CUTOFF_FORMAT.format(OffsetDateTime.ofInstant(cutoff.instant(), ZoneOffset.UTC)));
    Map<String, Object> entities = new LinkedHashMap<>();
    for (Entity e : Entity.values()) {
      Map<String, Object> em = new LinkedHashMap<>();
      IngestResult.EntityCounts c = ingest == null ? null : ingest.entities().get(e.folder());
      em.put("rows_read", c == null ? 0 : c.rowsRead());
      em.put("rows_accepted", c == null ? 0 : c.rowsAccepted());
      em.put("rows_rejected", c == null ? 0 : c.rowsRejected());
      em.put("rejects_by_reason", c == null ? Map.of() : c.rejectsByReason());
      em.put("current_rows", currentRows.get(e.folder()));
      entities.put(e.folder(), em);
    }
    m.put("entities", entities);
    m.put("appointments_unlinked", unlinked);
    if (ingest != null) {
      m.put("batch_id", ingest.batchId());
      m.put("ignored_files", ingest.ignored());
      m.put("skipped_files", ingest.skipped());
    }
    m.put("segments", segments);
    m.put("config", config.toJsonMap());
    m.put("steps", timer.steps());
    return m;
  }
}
