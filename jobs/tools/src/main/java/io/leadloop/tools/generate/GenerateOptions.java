package io.leadloop.tools.generate;

import java.nio.file.Path;
import java.time.LocalDate;

/**
 * What to generate.
 *
 * @param persons number of persons to simulate (each has one or more leads)
 * @param seed the run seed; the same options give byte-identical files
 * @param out the landing folder to create (must be absent or empty)
 * @param rejectShare share of all written rows that are deliberately bad, in {@code [0, 0.5]}
 * @param start first day of the simulated period (leads are created from here on)
 * @param weeks length of the simulated period in weeks
 */
public record GenerateOptions(
    long persons, long seed, Path out, double rejectShare, LocalDate start, int weeks) {

  public static final double DEFAULT_REJECT_SHARE = 0.01;
  public static final LocalDate DEFAULT_START = LocalDate.of(2025, 10, 6);
  public static final int DEFAULT_WEEKS = 52;
  public static final long DEFAULT_SEED = 42L;
  public static final double MAX_REJECT_SHARE = 0.5;
  public static final long MAX_PERSONS = 1_000_000_000L;
  public static final int MAX_WEEKS = 520;

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
  }

  /** Options with the default reject share, start and weeks. */
  public GenerateOptions(long persons, long seed, Path out) {
    this(persons, seed, out, DEFAULT_REJECT_SHARE, DEFAULT_START, DEFAULT_WEEKS);
  }

  /** The first day after the simulated period; every event time lies before it. */
  public LocalDate end() {
    return start.plusWeeks(weeks);
  }
}
