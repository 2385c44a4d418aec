package io.leadloop.jobs.weekly;

import io.leadloop.common.schema.Entity;
import io.leadloop.jobs.ingest.IngestResult;
import io.leadloop.jobs.run.RunContext;
import io.leadloop.jobs.run.RunSummary;
import io.leadloop.jobs.run.StepTimer;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds a weekly run's {@link RunSummary} from what its steps returned. */
final class RunSummaryBuilder {
  /** ISO instant with seconds and a numeric offset, e.g. {@code 2026-10-01T00:00:00+00:00}. */
  static final DateTimeFormatter CUTOFF_FORMAT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx");

  private RunSummaryBuilder() {}

  /**
   * @param ingest the ingest's counts; null for a run without {@code --landing} (every entity then
   *     read 0 rows, and the batch and files are left out)
   * @param currentRows the keys at the cutoff, by entity folder
   */
  static RunSummary build(
      RunContext run,
      IngestResult ingest,
      Map<String, Long> currentRows,
      long unlinked,
      List<StepTimer.Step> steps,
      RunSummary.Segments segments,
      List<String> outcomeEntries) {
    Map<String, RunSummary.EntityCounts> entities = new LinkedHashMap<>();
    for (Entity e : Entity.values()) {
      IngestResult.EntityCounts c = ingest == null ? null : ingest.entities().get(e.folder());
      entities.put(
          e.folder(),
          new RunSummary.EntityCounts(
              c == null ? 0 : c.rowsRead(),
              c == null ? 0 : c.rowsAccepted(),
              c == null ? 0 : c.rowsRejected(),
              c == null ? Map.of() : c.rejectsByReason(),
              currentRows.get(e.folder())));
    }
    return new RunSummary(
        run.runId(),
        run.asOf().toString(),
        CUTOFF_FORMAT.format(OffsetDateTime.ofInstant(run.cutoff().instant(), ZoneOffset.UTC)),
        entities,
        unlinked,
        ingest == null ? null : ingest.batchId(),
        ingest == null ? null : ingest.ignored(),
        ingest == null ? null : ingest.skipped(),
        segments,
        run.config().toJsonMap(),
        steps,
        outcomeEntries);
  }
}
