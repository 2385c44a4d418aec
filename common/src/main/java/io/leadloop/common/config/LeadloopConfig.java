package io.leadloop.common.config;

import java.io.Serializable;
import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/**
 * The run's configuration, immutable and validated by {@link ConfigLoader}. Every key of the spec's
 * README is here with its default ({@link ConfigLoader#defaults()}), plus {@code max_reject_share}
 * (leadloop's own: see {@link ConfigLoader}).
 */
public record LeadloopConfig(
    ZoneId timezone,
    ZoneId sourceTimezone,
    int bookingWindowDays,
    int linkHorizonDays,
    int attributionLookbackDays,
    BigDecimal timeDecayHalfLifeDays,
    int minStratumN,
    Map<String, Integer> slaMinutes,
    int cap7d,
    int cap30d,
    int cooldownDays,
    int maxCycles,
    Map<String, Integer> followUpDays,
    Map<String, String> fhirServiceLineMap,
    Map<String, List<String>> channelPreference,
    Map<String, String> offerCodes,
    Map<String, String> consentDefault,
    List<String> sensitiveServiceLines,
    int smallCellThreshold,
    List<Destination> destinations,
    Double maxRejectShare,
    Map<String, BigDecimal> holdoutShare,
    String holdoutSalt,
    int outcomeWindowDays,
    List<String> careHoldoutServiceLines)
    implements Serializable {

  public static final String OPT_IN_REQUIRED = "opt_in_required";
  public static final String ALLOW_UNLESS_OPT_OUT = "allow_unless_opt_out";

  public LeadloopConfig {
    slaMinutes = Map.copyOf(slaMinutes);
    followUpDays = Map.copyOf(followUpDays);
    fhirServiceLineMap = Map.copyOf(fhirServiceLineMap);
    channelPreference = Map.copyOf(channelPreference);
    offerCodes = Map.copyOf(offerCodes);
    consentDefault = Map.copyOf(consentDefault);
    sensitiveServiceLines = List.copyOf(sensitiveServiceLines);
    destinations = List.copyOf(destinations);
    holdoutShare = Map.copyOf(holdoutShare);
    careHoldoutServiceLines = List.copyOf(careHoldoutServiceLines);
  }

  /** A segment's holdout share (outcomes.md; 0 when not configured). */
  public BigDecimal holdoutShare(String segment) {
    return holdoutShare.getOrDefault(segment, BigDecimal.ZERO);
  }

  /** The configuration as written to run.json (keys as in the YAML file). */
  public Map<String, Object> toJsonMap() {
    var m = new java.util.LinkedHashMap<String, Object>();
    m.put("timezone", timezone.getId());
    m.put("source_timezone", sourceTimezone.getId());
    m.put("booking_window_days", bookingWindowDays);
    m.put("link_horizon_days", linkHorizonDays);
    m.put("attribution_lookback_days", attributionLookbackDays);
    m.put("time_decay_half_life_days", timeDecayHalfLifeDays);
    m.put("min_stratum_n", minStratumN);
    m.put("sla_minutes", new java.util.TreeMap<>(slaMinutes));
    m.put("cap_7d", cap7d);
    m.put("cap_30d", cap30d);
    m.put("cooldown_days", cooldownDays);
    m.put("max_cycles", maxCycles);
    m.put("follow_up_days", new java.util.TreeMap<>(followUpDays));
    m.put("fhir_service_line_map", new java.util.TreeMap<>(fhirServiceLineMap));
    m.put("channel_preference", new java.util.TreeMap<>(channelPreference));
    m.put("offer_codes", new java.util.TreeMap<>(offerCodes));
    m.put("consent_default", new java.util.TreeMap<>(consentDefault));
    m.put("sensitive_service_lines", sensitiveServiceLines);
    m.put("small_cell_threshold", smallCellThreshold);
    m.put("destinations", destinations);
    m.put("max_reject_share", maxRejectShare);
    var shares = new java.util.TreeMap<String, BigDecimal>();
    holdoutShare.forEach((k, v) -> shares.put(k, v.stripTrailingZeros()));
    m.put("holdout_share", shares);
    m.put("holdout_salt", holdoutSalt);
    m.put("outcome_window_days", outcomeWindowDays);
    m.put("care_holdout_service_lines", careHoldoutServiceLines);
    return m;
  }
}
