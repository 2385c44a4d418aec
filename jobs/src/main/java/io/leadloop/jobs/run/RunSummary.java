package io.leadloop.jobs.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.List;
import java.util.Map;

/**
 * The run summary, written as {@code run.json} (metrics.md "Run summary") and read by the report:
 * the spec's keys in its order, then what leadloop adds (the ingest's batch and files, the
 * segments' counts, the entries the outcomes rest on, each step's Spark jobs and Delta commits).
 *
 * @param batchId the ingest's batch; with {@code ignoredFiles} and {@code skippedFiles}, null (and
 *     not written) for a run without {@code --landing}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "run_id",
  "as_of",
  "cutoff",
  "entities",
  "appointments_unlinked",
  "batch_id",
  "ignored_files",
  "skipped_files",
  "segments",
  "config",
  "steps",
  "outcome_entries"
})
public record RunSummary(
    @JsonProperty("run_id") String runId,
    @JsonProperty("as_of") String asOf,
    @JsonProperty("cutoff") String cutoff,
    @JsonProperty("entities") Map<String, EntityCounts> entities,
    @JsonProperty("appointments_unlinked") long appointmentsUnlinked,
    @JsonProperty("batch_id") Long batchId,
    @JsonProperty("ignored_files") List<String> ignoredFiles,
    @JsonProperty("skipped_files") List<String> skippedFiles,
    @JsonProperty("segments") Segments segments,
    @JsonProperty("config") Map<String, Object> config,
    @JsonProperty("steps") List<StepTimer.Step> steps,
    @JsonProperty("outcome_entries") List<String> outcomeEntries) {

  /** One entity's rows: those this run ingested, and the keys that exist at the cutoff. */
  @JsonPropertyOrder({
    "rows_read",
    "rows_accepted",
    "rows_rejected",
    "rejects_by_reason",
    "current_rows"
  })
  public record EntityCounts(
      @JsonProperty("rows_read") long rowsRead,
      @JsonProperty("rows_accepted") long rowsAccepted,
      @JsonProperty("rows_rejected") long rowsRejected,
      @JsonProperty("rejects_by_reason") Map<String, Long> rejectsByReason,
      @JsonProperty("current_rows") long currentRows) {}

  /**
   * The segment step's counts: treatment members by segment, tier and recommended channel; the
   * exclusions by {@code segment/rule}; every member the rules kept by {@code segment/group}; each
   * destination's export (empty for a run that publishes none); whether the run was a dry run.
   */
  @JsonPropertyOrder({
    "members_by_segment",
    "members_by_tier",
    "members_by_channel",
    "exclusions",
    "members_by_group",
    "exports",
    "dry_run"
  })
  public record Segments(
      @JsonProperty("members_by_segment") Map<String, Long> membersBySegment,
      @JsonProperty("members_by_tier") Map<String, Long> membersByTier,
      @JsonProperty("members_by_channel") Map<String, Long> membersByChannel,
      @JsonProperty("exclusions") Map<String, Long> exclusions,
      @JsonProperty("members_by_group") Map<String, Long> membersByGroup,
      @JsonProperty("exports") Map<String, Export> exports,
      @JsonProperty("dry_run") boolean dryRun) {}

  /** One destination's export: its members, and those added and removed since the last one. */
  @JsonPropertyOrder({"members", "added", "removed"})
  public record Export(
      @JsonProperty("members") long members,
      @JsonProperty("added") long added,
      @JsonProperty("removed") long removed) {}

  /** This summary with {@code steps} (the report step is timed after the report has read it). */
  public RunSummary withSteps(List<StepTimer.Step> steps) {
    return new RunSummary(
        runId,
        asOf,
        cutoff,
        entities,
        appointmentsUnlinked,
        batchId,
        ignoredFiles,
        skippedFiles,
        segments,
        config,
        List.copyOf(steps),
        outcomeEntries);
  }

  /** The summary as run.json's text: indented, keys in the order above. */
  public String toJson() {
    return json(this, true);
  }

  /** {@code value} as JSON, indented or on one line. */
  public static String json(Object value, boolean indent) {
    try {
      ObjectMapper mapper = new ObjectMapper().findAndRegisterModules();
      if (indent) {
        mapper.enable(SerializationFeature.INDENT_OUTPUT);
      }
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write the run summary as JSON: " + e.getMessage(), e);
    }
  }
}
