package io.leadloop.tools.generate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Writes a synthetic landing folder (see the package documentation): one folder per entity, files
 * of at most {@link #MAX_ROWS_PER_FILE} rows, and a {@code _SUCCESS} marker per folder (not data:
 * the ingest ignores it). Persons are simulated one at a time and written as they go.
 *
 * <pre>{@code
 * GenerateResult r = new Generator(new GenerateOptions(100_000, 7, Path.of("landing"))).execute();
 * }</pre>
 */
public final class Generator {
  public static final String LEADS = "leads";
  public static final String LEAD_EVENTS = "lead_events";
  public static final String TOUCHES = "touches";
  public static final String APPOINTMENTS = "appointments";
  public static final String CONSENT = "consent";
  public static final String SUPPRESSION = "suppression";

  /** The entity folders, in the contract's order. */
  public static final List<String> ENTITIES =
      List.of(LEADS, LEAD_EVENTS, TOUCHES, APPOINTMENTS, CONSENT, SUPPRESSION);

  /** A file gets at most this many rows; the entity continues in the next file. */
  public static final long MAX_ROWS_PER_FILE = 500_000;

  /** The completion marker written into each entity folder. */
  public static final String SUCCESS_MARKER = "_SUCCESS";

  /** Mixes the person index into the seed: {@code seed ^ index * PERSON_SEED_MIX}. */
  public static final long PERSON_SEED_MIX = 0x9E3779B97F4A7C15L;

  /**
   * Turns a person's seed into the seed of its outreach stream, a second stream so that outreach
   * draws leave the person's own stream (and everything else the person does) as without it.
   */
  public static final long OUTREACH_SEED_MIX = 0xD1B54A32D192ED03L;

  private final GenerateOptions options;
  private final long maxRowsPerFile;

  public Generator(GenerateOptions options) {
    this(options, MAX_ROWS_PER_FILE);
  }

  /** For tests: a smaller file size, to see files roll over. */
  Generator(GenerateOptions options, long maxRowsPerFile) {
    if (options == null) {
      throw new IllegalArgumentException("Cannot generate: options are required");
    }
    if (maxRowsPerFile <= 0) {
      throw new IllegalArgumentException("Cannot generate: rows per file must be positive");
    }
    this.options = options;
    this.maxRowsPerFile = maxRowsPerFile;
  }

  /**
   * Generates the landing folder.
   *
   * @return rows and bad rows written per entity, the files, their size and the wall time
   * @throws IllegalStateException when the output folder exists and is not empty
   * @throws UncheckedIOException when a file cannot be written
   */
  public GenerateResult execute() {
    long began = System.nanoTime();
    Path out = options.out();
    checkEmpty(out);
    long periodStart = options.start().atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    long periodEnd = options.end().atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    Ids ids = new Ids(options.persons());
    List<Path> files = new ArrayList<>();
    Map<String, Long> rows = new LinkedHashMap<>();
    Map<String, Long> bad = new LinkedHashMap<>();
    try {
      try (LandingWriters writers =
          new LandingWriters(out, maxRowsPerFile, options.rejectShare(), ids)) {
        Outreach outreach = Outreach.of(options);
        PersonSimulator simulator =
            new PersonSimulator(ids, writers, periodStart, periodEnd, outreach);
        for (long i = 1; i <= options.persons(); i++) {
          long personSeed = options.seed() ^ i * PERSON_SEED_MIX;
          SplittableRandom rng = new SplittableRandom(personSeed);
          writers.beginPerson(rng.split());
          SplittableRandom outreachRng =
              outreach.active() ? new SplittableRandom(personSeed ^ OUTREACH_SEED_MIX) : null;
          simulator.simulate(i, rng, outreachRng);
        }
        for (Table t : Table.values()) {
          rows.put(t.folder, writers.rows(t));
          bad.put(t.folder, writers.badRows(t));
        }
        files.addAll(writers.files());
      }
      for (Table t : Table.values()) {
        Path marker = out.resolve(t.folder).resolve(SUCCESS_MARKER);
        Files.write(marker, new byte[0]);
        files.add(marker);
      }
      long bytes = 0;
      List<String> names = new ArrayList<>();
      for (Path f : files) {
        bytes += Files.size(f);
        names.add(out.relativize(f).toString().replace('\\', '/'));
      }
      double seconds = (System.nanoTime() - began) / 1e9;
      return new GenerateResult(rows, bad, names, bytes, seconds);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot generate into " + out + ": " + e.getMessage(), e);
    } catch (UncheckedIOException e) {
      IOException cause = e.getCause();
      throw new UncheckedIOException(
          "Cannot generate into " + out + ": " + cause.getMessage(), cause);
    }
  }

  private static void checkEmpty(Path out) {
    if (!Files.exists(out)) {
      return;
    }
    if (!Files.isDirectory(out)) {
      throw new IllegalStateException("Cannot generate: " + out + " is not a folder");
    }
    try (Stream<Path> entries = Files.list(out)) {
      if (entries.findAny().isPresent()) {
        throw new IllegalStateException(
            "Cannot generate: " + out + " is not empty (the set would mix with old files)");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot generate: cannot read " + out, e);
    }
  }
}
