package io.leadloop.jobs.weekly;

import io.leadloop.common.LeadloopException;
import io.leadloop.common.config.LeadloopConfig;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * Options of one weekly run.
 *
 * @param landing landing location (folder or {@code s3a://}); {@code null}: no ingest (backfill)
 * @param warehouse warehouse location
 * @param out output location
 * @param asOf the as-of date D
 * @param config validated configuration
 * @param ingestedAt the batch's ingestion time (the run's start unless given)
 * @param dryRun compute everything but write and register no export
 * @param fullRefresh rebuild the ingest tables from every landing file (see {@code IngestAction})
 *     and compute the facts in full
 * @param incrementalFacts start the facts from the stored facts of the latest earlier as-of ({@code
 *     --incremental-facts}; see {@code FactsStep}); the rows are the same either way
 * @param exports publish each destination's export and enter the members (outcomes.md); a backfill
 *     does so only with {@code --exports}: past weeks' lists are history, not work for the outreach
 *     systems
 * @param asOfs the as-ofs to publish, in order, {@code asOf} the last: one for a weekly run, a
 *     backfill's Sundays, built in one pass
 */
public record WeeklyOptions(
    String landing,
    String warehouse,
    String out,
    LocalDate asOf,
    LeadloopConfig config,
    Instant ingestedAt,
    boolean dryRun,
    boolean fullRefresh,
    boolean incrementalFacts,
    boolean exports,
    List<LocalDate> asOfs) {
  public WeeklyOptions {
    if (warehouse == null) {
      throw new LeadloopException("Cannot run weekly: --warehouse is required");
    }
    if (out == null) {
      throw new LeadloopException("Cannot run weekly: --out is required");
    }
    if (asOf == null) {
      throw new LeadloopException("Cannot run weekly: --as-of is required");
    }
    asOfs = asOfs == null ? List.of(asOf) : List.copyOf(asOfs);
    if (asOfs.isEmpty() || !asOfs.get(asOfs.size() - 1).equals(asOf)) {
      throw new IllegalArgumentException("Cannot run weekly: " + asOf + " is not the last as-of");
    }
    for (int i = 1; i < asOfs.size(); i++) {
      if (!asOfs.get(i).isAfter(asOfs.get(i - 1))) {
        throw new IllegalArgumentException("Cannot run weekly: as-ofs out of order: " + asOfs);
      }
    }
  }

  /** Options of one as-of that publishes its exports or not. */
  public WeeklyOptions(
      String landing,
      String warehouse,
      String out,
      LocalDate asOf,
      LeadloopConfig config,
      Instant ingestedAt,
      boolean dryRun,
      boolean fullRefresh,
      boolean incrementalFacts,
      boolean exports) {
    this(
        landing,
        warehouse,
        out,
        asOf,
        config,
        ingestedAt,
        dryRun,
        fullRefresh,
        incrementalFacts,
        exports,
        null);
  }

  /** These options for the as-ofs {@code asOfs} (in order; the last becomes {@code asOf}). */
  public WeeklyOptions forAsOfs(List<LocalDate> asOfs) {
    return new WeeklyOptions(
        landing,
        warehouse,
        out,
        asOfs.get(asOfs.size() - 1),
        config,
        ingestedAt,
        dryRun,
        fullRefresh,
        incrementalFacts,
        exports,
        asOfs);
  }

  /** Options of a run that publishes its exports. */
  public WeeklyOptions(
      String landing,
      String warehouse,
      String out,
      LocalDate asOf,
      LeadloopConfig config,
      Instant ingestedAt,
      boolean dryRun,
      boolean fullRefresh,
      boolean incrementalFacts) {
    this(
        landing,
        warehouse,
        out,
        asOf,
        config,
        ingestedAt,
        dryRun,
        fullRefresh,
        incrementalFacts,
        true);
  }

  /** Options of a run whose facts are computed in full. */
  public WeeklyOptions(
      String landing,
      String warehouse,
      String out,
      LocalDate asOf,
      LeadloopConfig config,
      Instant ingestedAt,
      boolean dryRun,
      boolean fullRefresh) {
    this(landing, warehouse, out, asOf, config, ingestedAt, dryRun, fullRefresh, false);
  }

  /** Options of an incremental run (only new landing files are ingested). */
  public WeeklyOptions(
      String landing,
      String warehouse,
      String out,
      LocalDate asOf,
      LeadloopConfig config,
      Instant ingestedAt,
      boolean dryRun) {
    this(landing, warehouse, out, asOf, config, ingestedAt, dryRun, false);
  }
}
