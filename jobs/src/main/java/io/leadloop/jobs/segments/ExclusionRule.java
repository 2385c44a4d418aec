package io.leadloop.jobs.segments;

import io.leadloop.common.config.LeadloopConfig;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * segments.md's exclusion rules, in the order they are applied ({@link Segments#evaluate} checks
 * them in this order; the first that matches removes the candidate and is counted), with what each
 * one means under a run's settings ({@link SegmentSettings} stores both for the notebooks).
 */
public enum ExclusionRule {
  SUPPRESSED("suppressed", false),
  OPEN_APPOINTMENT("open_appointment", false),
  NO_PERMITTED_CHANNEL("no_permitted_channel", false),
  FREQUENCY_CAP("frequency_cap", false),
  COOLDOWN("cooldown", false),
  MAX_CYCLES("max_cycles", true),
  CLINICAL_ROUTE("clinical_route", true),
  REFERRAL_PARTNER_TRACK("referral_partner_track", true);

  /** The rule's name in the exclusions output. */
  public final String code;

  /** Whether the rule applies to stalled leads only (else to every segment). */
  public final boolean stalledOnly;

  ExclusionRule(String code, boolean stalledOnly) {
    this.code = code;
    this.stalledOnly = stalledOnly;
  }

  /** The segments the rule applies to. */
  public List<String> segments() {
    return stalledOnly
        ? List.of(Candidates.STALLED)
        : List.of(Candidates.MISSED, Candidates.STALLED, Candidates.LAPSED);
  }

  /** What the rule removes, with the run's settings. */
  public String meaning(LeadloopConfig c) {
    return switch (this) {
      case SUPPRESSED -> "an active do-not-contact entry at the cutoff";
      case OPEN_APPOINTMENT ->
          "an appointment booked before the cutoff that starts at or after it, in any status but "
              + String.join(" and ", SegmentSettings.NOT_OPEN_STATUSES);
      case NO_PERMITTED_CHANNEL ->
          "no channel permitted for the segment's purpose (its latest consent record is opt_in;"
              + " without a record, consent_default: "
              + new TreeMap<>(c.consentDefault())
                  .entrySet().stream()
                      .map(e -> e.getKey() + " " + e.getValue())
                      .collect(Collectors.joining(", "))
              + ")";
      case FREQUENCY_CAP ->
          String.format(
              "at least cap_7d = %d contacts in the %d days before the cutoff, or cap_30d = %d in"
                  + " the %d days",
              c.cap7d(), SegmentSettings.CAP_7D_DAYS, c.cap30d(), SegmentSettings.CAP_30D_DAYS);
      case COOLDOWN ->
          "a contact in the cooldown_days = " + c.cooldownDays() + " days before the cutoff";
      case MAX_CYCLES -> "the lead was recycled max_cycles = " + c.maxCycles() + " times or more";
      case CLINICAL_ROUTE -> "the lead's intent is clinical_question (it goes to a clinical queue)";
      case REFERRAL_PARTNER_TRACK -> "the lead's audience is referral_partner";
    };
  }
}
