package io.leadloop.tools.generate;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The landing folder's writers: per entity one or two streams of files, the row counts, and the bad
 * rows mixed in. Routes: leads 0 = {@code leads-*.csv}, 1 = {@code leads-archive-*.csv.gz}; touches
 * 0 = {@code touches-*.csv}, 1 = {@code touches-*.ndjson}; appointments 0 = {@code
 * appointments-*.csv}, 1 = {@code fhir-*.ndjson} (FHIR R4). lead_events and suppression are JSONL,
 * consent is CSV with a UTF-8 BOM.
 */
final class LandingWriters implements Closeable {
  static final int ROUTE_MAIN = 0;
  static final int ROUTE_ALTERNATE = 1;

  private final Path root;
  private final RowSink[][] sinks = new RowSink[Table.values().length][];
  private final long[] rows = new long[Table.values().length];
  private final long[] bad = new long[Table.values().length];
  private final double badPerGood;
  private final Ids ids;
  private SplittableRandom badRng;
  private List<Held> held;

  /** A row kept back with its bad copy (null if none). */
  private record Held(
      Table table, int route, String[] values, String[] badCopy, boolean malformed, long at) {}

  LandingWriters(Path root, long maxRowsPerFile, double rejectShare, Ids ids) throws IOException {
    this.root = root;
    this.ids = ids;
    // r bad rows among all rows: r / (1 - r) bad rows per good row.
    this.badPerGood = rejectShare / (1 - rejectShare);
    for (Table t : Table.values()) {
      Files.createDirectories(root.resolve(t.folder));
    }
    long max = maxRowsPerFile;
    sinks[Table.LEADS.ordinal()] =
        new RowSink[] {
          sink(Table.LEADS, "leads", "csv", RowSink.Format.CSV, false, false, max),
          sink(Table.LEADS, "leads-archive", "csv", RowSink.Format.CSV, true, false, max)
        };
    sinks[Table.LEAD_EVENTS.ordinal()] =
        new RowSink[] {
          sink(Table.LEAD_EVENTS, "lead_events", "jsonl", RowSink.Format.JSON, false, false, max)
        };
    sinks[Table.TOUCHES.ordinal()] =
        new RowSink[] {
          sink(Table.TOUCHES, "touches", "csv", RowSink.Format.CSV, false, false, max),
          sink(Table.TOUCHES, "touches", "ndjson", RowSink.Format.JSON, false, false, max)
        };
    sinks[Table.APPOINTMENTS.ordinal()] =
        new RowSink[] {
          sink(Table.APPOINTMENTS, "appointments", "csv", RowSink.Format.CSV, false, false, max),
          sink(Table.APPOINTMENTS, "fhir", "ndjson", RowSink.Format.FHIR, false, false, max)
        };
    sinks[Table.CONSENT.ordinal()] =
        new RowSink[] {sink(Table.CONSENT, "consent", "csv", RowSink.Format.CSV, false, true, max)};
    sinks[Table.SUPPRESSION.ordinal()] =
        new RowSink[] {
          sink(Table.SUPPRESSION, "suppression", "jsonl", RowSink.Format.JSON, false, false, max)
        };
  }

  private RowSink sink(
      Table t, String prefix, String ext, RowSink.Format f, boolean gzip, boolean bom, long max) {
    return new RowSink(root.resolve(t.folder), prefix, ext, f, gzip, bom, t.columns, max);
  }

  /** Bad rows after this person's rows are drawn from {@code rng} (split from the person's). */
  void beginPerson(SplittableRandom rng) {
    this.badRng = rng;
  }

  /** Sets the source of bad rows and returns the one it replaces. */
  SplittableRandom useBadRandom(SplittableRandom rng) {
    SplittableRandom previous = badRng;
    badRng = rng;
    return previous;
  }

  /**
   * From now on, rows of lead_events, touches and appointments are drawn as usual (their bad copies
   * too) but kept back until {@link #release}; other entities are written at once. For a treated
   * lead, whose outreach is decided only when the person's next lead is known.
   */
  void hold() {
    held = new ArrayList<>();
  }

  /**
   * Writes the rows kept back since {@link #hold}, in order, except those at or after {@code cut}
   * (drawn for a lifecycle that outreach replaced from there on): they are neither written nor
   * counted.
   */
  void release(long cut) {
    List<Held> rows = held;
    held = null;
    try {
      for (Held r : rows) {
        if (r.at() < cut) {
          write(r.table(), r.route(), r.values(), r.badCopy(), r.malformed());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes a row that has no time of its own to hold it by (leads, consent, suppression). */
  void emit(Table table, int route, String[] values) {
    emit(table, route, values, Long.MIN_VALUE);
  }

  /**
   * Writes a good row, and now and then a bad copy of it right after; {@code at} is the time the
   * row records (for appointments their booking), by which a held row is kept or dropped.
   */
  void emit(Table table, int route, String[] values, long at) {
    String[] copy = null;
    boolean malformed = false;
    if (badPerGood > 0 && badRng.nextDouble() < badPerGood) {
      Defect[] kinds = Defect.kinds(table);
      Defect defect = kinds[badRng.nextInt(kinds.length)];
      boolean fhir = table == Table.APPOINTMENTS && route == ROUTE_ALTERNATE;
      copy = defect.apply(table, values, fhir, ids, badRng);
      malformed = defect == Defect.MALFORMED;
    }
    if (held != null && heldWithLead(table)) {
      held.add(new Held(table, route, values, copy, malformed, at));
      return;
    }
    try {
      write(table, route, values, copy, malformed);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The entities a lead's lifecycle writes; consent (an unsubscribe) is written at once. */
  private static boolean heldWithLead(Table table) {
    return table == Table.LEAD_EVENTS || table == Table.TOUCHES || table == Table.APPOINTMENTS;
  }

  private void write(Table table, int route, String[] values, String[] copy, boolean malformed)
      throws IOException {
    RowSink sink = sinks[table.ordinal()][route];
    sink.write(values, false);
    rows[table.ordinal()]++;
    if (copy != null) {
      sink.write(copy, malformed);
      rows[table.ordinal()]++;
      bad[table.ordinal()]++;
    }
  }

  long rows(Table table) {
    return rows[table.ordinal()];
  }

  long badRows(Table table) {
    return bad[table.ordinal()];
  }

  /** The data files written, per entity in contract order, each stream in order. */
  List<Path> files() {
    List<Path> all = new ArrayList<>();
    for (RowSink[] streams : sinks) {
      for (RowSink s : streams) {
        all.addAll(s.files());
      }
    }
    return all;
  }

  @Override
  public void close() throws IOException {
    IOException first = null;
    for (RowSink[] streams : sinks) {
      for (RowSink s : streams) {
        try {
          s.close();
        } catch (IOException e) {
          first = first == null ? e : first;
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
