package io.leadloop.tools.generate;

import io.leadloop.common.metrics.Holdouts;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;

/**
 * What to generate.
 *
 * @param persons number of persons to simulate (each has one or more leads)
 * @param seed the run seed; the same options give byte-identical files
 * @param out the landing folder to create (must be absent or empty)
 * @param rejectShare share of all written rows that are deliberately bad, in {@code [0, 0.5]}
 * @param start first day of the simulated period (leads are created from here on)
 * @param weeks length of the simulated period in weeks
 * @param holdoutSalt the pipeline's {@code holdout_salt}: with it and the share, a stalled lead's
 *     episode is held out or treated exactly as the pipeline assigns it (outcomes.md)
 * @param holdoutShare the pipeline's {@code holdout_share.stalled_lead}, in {@code [0, 0.5]} with
 *     at most 4 decimals
 * @param outreachEffect multiplier of the uplift that outreach gives treated stalled leads ({@link
 *     Outreach}), in {@code [0, 2]}; 0 simulates no outreach and changes nothing
 * @param publishedFrom the first as-of whose lists are published, then every 7 days: outreach
 *     reaches a treated lead at its entry, the first of these as-ofs at which it is a stalled lead,
 *     as the pipeline's first export adds every member at once; null means every Sunday of the
 *     period (the first Sunday on or after {@code start}). Only outreach reads it.
 */
public record GenerateOptions(
    long persons,
    long seed,
    Path out,
    double rejectShare,
    LocalDate start,
    int weeks,
    String holdoutSalt,
    BigDecimal holdoutShare,
    double outreachEffect,
    LocalDate publishedFrom) {

  public static final double DEFAULT_REJECT_SHARE = 0.01;
  public static final LocalDate DEFAULT_START = LocalDate.of(2025, 10, 6);
  public static final int DEFAULT_WEEKS = 52;
  public static final long DEFAULT_SEED = 42L;
  public static final double MAX_REJECT_SHARE = 0.5;
  public static final long MAX_PERSONS = 1_000_000_000L;
  public static final int MAX_WEEKS = 520;
  public static final String DEFAULT_HOLDOUT_SALT = "leadloop";
  public static final BigDecimal DEFAULT_HOLDOUT_SHARE = BigDecimal.ZERO;
  public static final BigDecimal MAX_HOLDOUT_SHARE = new BigDecimal("0.5");
  public static final double DEFAULT_OUTREACH_EFFECT = 0;

  /**
   * Twice the default table: no_time_slot then gets +80%, so that a treated lead takes up the offer
   * at its entry with a chance of at most {@code 0.8 × 0.2465 ≈ 0.20} ({@link Outreach}).
   */
  public static final double MAX_OUTREACH_EFFECT = 2;

  public GenerateOptions {
    if (persons <= 0) {
      throw new IllegalArgumentException("Cannot generate: persons must be positive");
    }
    if (persons > MAX_PERSONS) {
      throw new IllegalArgumentException(
          "Cannot generate: persons must be at most " + MAX_PERSONS + ", was " + persons);
    }
    if (out == null) {
      throw new IllegalArgumentException("Cannot generate: out (the landing folder) is required");
    }
    if (!(rejectShare >= 0 && rejectShare <= MAX_REJECT_SHARE)) {
      throw new IllegalArgumentException(
          "Cannot generate: reject share must be between 0 and "
              + MAX_REJECT_SHARE
              + ", was "
              + rejectShare);
    }
    if (start == null) {
      throw new IllegalArgumentException("Cannot generate: start date is required");
    }
    if (weeks <= 0 || weeks > MAX_WEEKS) {
      throw new IllegalArgumentException(
          "Cannot generate: weeks must be between 1 and " + MAX_WEEKS + ", was " + weeks);
    }
    if (holdoutSalt == null || holdoutSalt.isEmpty()) {
      throw new IllegalArgumentException("Cannot generate: holdout salt must not be empty");
    }
    if (holdoutShare == null
        || holdoutShare.signum() < 0
        || holdoutShare.compareTo(MAX_HOLDOUT_SHARE) > 0
        || holdoutShare.stripTrailingZeros().scale() > 4) {
      throw new IllegalArgumentException(
          "Cannot generate: holdout share must be between 0 and "
              + MAX_HOLDOUT_SHARE
              + " with at most 4 decimals (as the pipeline's holdout_share), was "
              + (holdoutShare == null ? "nothing" : holdoutShare.toPlainString()));
    }
    if (!(outreachEffect >= 0 && outreachEffect <= MAX_OUTREACH_EFFECT)) {
      throw new IllegalArgumentException(
          "Cannot generate: outreach effect must be between 0 and "
              + MAX_OUTREACH_EFFECT
              + ", was "
              + outreachEffect);
    }
    if (publishedFrom == null) {
      publishedFrom = start.with(TemporalAdjusters.nextOrSame(DayOfWeek.SUNDAY));
    }
  }

  /** Options whose lists are published every Sunday of the period. */
  public GenerateOptions(
      long persons,
      long seed,
      Path out,
      double rejectShare,
      LocalDate start,
      int weeks,
      String holdoutSalt,
      BigDecimal holdoutShare,
      double outreachEffect) {
    this(
        persons,
        seed,
        out,
        rejectShare,
        start,
        weeks,
        holdoutSalt,
        holdoutShare,
        outreachEffect,
        null);
  }

  /** Options without outreach: no episode held out, effect 0. */
  public GenerateOptions(
      long persons, long seed, Path out, double rejectShare, LocalDate start, int weeks) {
    this(
        persons,
        seed,
        out,
        rejectShare,
        start,
        weeks,
        DEFAULT_HOLDOUT_SALT,
        DEFAULT_HOLDOUT_SHARE,
        DEFAULT_OUTREACH_EFFECT,
        null);
  }

  /** Options with the default reject share, start and weeks, and no outreach. */
  public GenerateOptions(long persons, long seed, Path out) {
    this(persons, seed, out, DEFAULT_REJECT_SHARE, DEFAULT_START, DEFAULT_WEEKS);
  }

  /** The first day after the simulated period; every event time lies before it. */
  public LocalDate end() {
    return start.plusWeeks(weeks);
  }

  /** The holdout share in basis points, as {@link Holdouts#isHoldout} takes it. */
  public int holdoutBasisPoints() {
    return Holdouts.basisPoints(holdoutShare);
  }
}
