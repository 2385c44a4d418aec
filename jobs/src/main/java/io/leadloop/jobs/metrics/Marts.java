package io.leadloop.jobs.metrics;

import io.leadloop.common.config.LeadloopConfig;
import io.leadloop.common.metrics.Cutoff;
import io.leadloop.common.metrics.Lookups;
import io.leadloop.common.metrics.Rates;
import io.leadloop.jobs.attribution.Attribution;
import io.leadloop.jobs.attribution.Journeys;
import io.leadloop.jobs.attribution.Markov;
import io.leadloop.jobs.attribution.RemovalEffects;
import io.leadloop.jobs.outcomes.SegmentLift;
import io.leadloop.jobs.publish.GrainOrder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The registry of the metric marts: each is declared once here with its table, CSV file, grain, the
 * configuration keys its rows depend on and the classes that compute it. The weekly run, the
 * report, the bench and the incremental marts take names and grains from these declarations, and
 * whether a stored as-of's marts may be reused is decided by their fingerprint ({@link
 * #fingerprint}), not by a version number raised by hand.
 */
public final class Marts {
  /**
   * One published mart.
   *
   * @param table its name as a table: its column of the {@link MartStore} (one slice per {@code
   *     as_of}), and its view in notebooks
   * @param file the CSV file under {@code <as-of>/metrics/}; null for a warehouse mart only
   * @param grain the columns that identify a row (and sort the file)
   * @param configKeys the configuration keys (as in run.json's {@code config}) its rows read
   * @param code the classes that compute it (their bytecode is part of the fingerprint)
   */
  public record Mart(
      String table, String file, String[] grain, List<String> configKeys, List<Class<?>> code) {
    /** The CSV's path under an as-of's folder ({@code metrics/<file>}); null without a file. */
    public String path() {
      return file == null ? null : DIR + "/" + file;
    }
  }

  /** The folder of an as-of's metric CSVs. */
  public static final String DIR = "metrics";

  public static final Mart COHORT_FUNNEL =
      new Mart(
          "mart_cohort_funnel",
          "cohort_funnel.csv",
          CohortFunnel.GRAIN,
          List.of("timezone", "booking_window_days"),
          List.of(CohortFunnel.class, IncrementalMarts.class));
  public static final Mart COHORT_COMPARISON =
      new Mart(
          "mart_cohort_comparison",
          "cohort_comparison.csv",
          new String[] {"cohort_month", "source", "service_line"},
          List.of("timezone", "booking_window_days", "min_stratum_n"),
          List.of(CohortComparison.class, IncrementalMarts.class));
  public static final Mart COMPARISON_SUMMARY =
      new Mart(
          "mart_cohort_comparison_summary",
          "cohort_comparison_summary.csv",
          new String[] {"source"},
          List.of("timezone", "booking_window_days", "min_stratum_n"),
          List.of(CohortComparison.class));
  public static final Mart SPEED_TO_LEAD =
      new Mart(
          "mart_speed_to_lead",
          "speed_to_lead.csv",
          new String[] {"cohort_week", "source", "inquiry_channel"},
          List.of("timezone", "sla_minutes"),
          List.of(SpeedToLead.class, IncrementalMarts.class));
  public static final Mart STALL_REASONS =
      new Mart(
          "mart_stall_reasons",
          "stall_reasons.csv",
          new String[] {"week", "source", "reason"},
          List.of("timezone"),
          List.of(StallReasons.class));
  public static final Mart ATTRIBUTION =
      new Mart(
          "mart_attribution",
          "attribution.csv",
          new String[] {"booking_week", "model", "channel"},
          List.of(
              "timezone",
              "booking_window_days",
              "attribution_lookback_days",
              "time_decay_half_life_days"),
          List.of(
              Attribution.class,
              Journeys.class,
              Markov.class,
              RemovalEffects.class,
              IncrementalMarts.class));
  public static final Mart ATTRIBUTION_BY_CAMPAIGN =
      new Mart(
          "mart_attribution_by_campaign",
          "attribution_by_campaign.csv",
          new String[] {"booking_week", "model", "channel", "campaign"},
          List.of("timezone", "attribution_lookback_days", "time_decay_half_life_days"),
          List.of(Attribution.class, IncrementalMarts.class));
  public static final Mart CHANNEL_REMOVAL_EFFECTS =
      new Mart(
          "mart_channel_removal_effects",
          "channel_removal_effects.csv",
          new String[] {"channel"},
          List.of(
              "timezone",
              "booking_window_days",
              "attribution_lookback_days",
              "time_decay_half_life_days"),
          List.of(Attribution.class, Journeys.class, Markov.class, RemovalEffects.class));
  public static final Mart SEGMENT_LIFT =
      new Mart(
          "mart_segment_lift",
          "segment_lift.csv",
          SegmentLift.GRAIN,
          List.of("timezone", "outcome_window_days", "min_stratum_n"),
          List.of(SegmentLift.class));

  /*
   * The totals marts: a mart's rows summed by each grain column and over all rows, with the rates,
   * intervals and differences computed from the sums by the mart's own functions (Totals), so that
   * the notebooks and the report read them instead of working them out again. metrics.md lists the
   * published files and their columns, and is silent on these: they are warehouse tables only (no
   * CSV file, so that metrics/ holds what the spec defines), computed from the mart's rows.
   */
  public static final Mart FUNNEL_TOTALS =
      new Mart(
          "mart_cohort_funnel_totals",
          null,
          Totals.COHORTS_GRAIN,
          COHORT_FUNNEL.configKeys(),
          List.of(CohortFunnel.class, Totals.class));
  public static final Mart COMPARISON_TOTALS =
      new Mart(
          "mart_cohort_comparison_totals",
          null,
          Totals.COHORTS_GRAIN,
          COHORT_COMPARISON.configKeys(),
          List.of(CohortComparison.class, Totals.class));
  public static final Mart SPEED_TOTALS =
      new Mart(
          "mart_speed_to_lead_totals",
          null,
          Totals.GRAIN,
          SPEED_TO_LEAD.configKeys(),
          List.of(SpeedToLead.class, Totals.class));

  /** Every mart, in the order a run computes and publishes them (the totals last). */
  public static final List<Mart> ALL =
      List.of(
          COHORT_FUNNEL,
          COHORT_COMPARISON,
          COMPARISON_SUMMARY,
          SPEED_TO_LEAD,
          STALL_REASONS,
          ATTRIBUTION,
          ATTRIBUTION_BY_CAMPAIGN,
          CHANNEL_REMOVAL_EFFECTS,
          SEGMENT_LIFT,
          FUNNEL_TOTALS,
          COMPARISON_TOTALS,
          SPEED_TOTALS);

  /** The marts an as-of's marts may be started from ({@link IncrementalMarts}). */
  static final List<Mart> REUSED =
      List.of(
          COHORT_FUNNEL, COHORT_COMPARISON, SPEED_TO_LEAD, ATTRIBUTION, ATTRIBUTION_BY_CAMPAIGN);

  /**
   * What every mart's computation shares (the step, the sort, the rates and lookups, the cutoff).
   */
  private static final List<Class<?>> SHARED =
      List.of(MetricsStep.class, GrainOrder.class, Rates.class, Lookups.class, Cutoff.class);

  private Marts() {}

  /** The mart of {@code table}. */
  public static Mart of(String table) {
    return ALL.stream()
        .filter(m -> m.table().equals(table))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("Cannot find mart " + table));
  }

  /**
   * The fingerprint of what the marts' rows depend on besides the facts: the values of every
   * declared configuration key, and a SHA-256 of the bytecode of every declared class (so a change
   * to how a mart is computed is a new fingerprint without anyone raising a version). Stored marts
   * of another fingerprint are never reused.
   */
  public static String fingerprint(LeadloopConfig config) {
    Map<String, Object> values = config.toJsonMap();
    Map<String, Object> read = new TreeMap<>();
    Set<Class<?>> code = new LinkedHashSet<>(SHARED);
    for (Mart m : ALL) {
      for (String k : m.configKeys()) {
        if (!values.containsKey(k)) {
          throw new IllegalStateException(
              "Cannot fingerprint " + m.table() + ": it declares an unknown config key " + k);
        }
        read.put(k, values.get(k));
      }
      code.addAll(m.code());
    }
    return "config=" + read + ";code=" + codeHash(code);
  }

  /** SHA-256 (hex, first 16 characters) of the classes' bytecode, in class-name order. */
  static String codeHash(Set<Class<?>> classes) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      List<Class<?>> sorted =
          classes.stream().sorted(Comparator.comparing(Class::getName)).toList();
      for (Class<?> c : sorted) {
        sha.update(c.getName().getBytes(StandardCharsets.UTF_8));
        try (InputStream in = c.getResourceAsStream(c.getSimpleName() + ".class")) {
          if (in == null) {
            throw new IllegalStateException("Cannot read the bytecode of " + c.getName());
          }
          sha.update(in.readAllBytes());
        }
      }
      return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException | IOException e) {
      throw new IllegalStateException("Cannot hash the marts' code: " + e.getMessage(), e);
    }
  }
}
