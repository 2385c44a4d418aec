package io.leadloop.jobs.export;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadloop.common.config.Destination;
import io.leadloop.common.metrics.AsOfs;
import io.leadloop.jobs.publish.CsvFiles;
import io.leadloop.jobs.publish.OutputFiles;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Writes a destination's exports, one per as-of: member file(s) in its formats and fields, {@code
 * added} / {@code removed} diffs against its previous successful export, and {@code manifest.json},
 * each folder published whole ({@link ExportFolder}: readers see the whole export or none, and a
 * failed run leaves the previous export as it was). Only then are the exports registered in {@link
 * ExportHistory}. Member and diff files are streamed from Spark and hashed while written ({@link
 * HashedFile}), never collected on the driver.
 */
public final class ExportWriter {
  public static final int SPEC_VERSION = 1;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The column of {@link #diff}: whether a key was added (true) or removed (false). */
  static final String ADDED = "is_added";

  /**
   * The as-of of a row of several as-ofs' exports, after the written columns (a destination may
   * send {@code as_of} itself).
   */
  static final String EXPORT_AS_OF = "_export_as_of";

  private final ExportFolder folder;
  private final ExportHistory history;

  public ExportWriter(OutputFiles files, ExportHistory history, String outRoot) {
    this.folder = new ExportFolder(files, outRoot);
    this.history = history;
  }

  /** Diff sizes of one destination. */
  public record Diff(long members, long added, long removed) {}

  /** Rows of {@code members} that go to {@code d}. */
  public static Dataset<Row> select(Dataset<Row> members, Destination d) {
    return members
        .where(col("segment").isin(d.segments().toArray()))
        .where(col("recommended_channel").isin(d.channels().toArray()));
  }

  private static List<String> keys(Destination d) {
    return d.sendsSegment() ? List.of("person_id", "segment") : List.of("person_id");
  }

  /** The order of a stream of several as-ofs' rows: {@link #EXPORT_AS_OF}, then the keys. */
  private static Column[] order(List<String> keyCols) {
    List<Column> out = new ArrayList<>();
    out.add(col(EXPORT_AS_OF));
    keyCols.forEach(k -> out.add(col(k)));
    return out.toArray(Column[]::new);
  }

  /**
   * What {@code d}'s export for {@code asOf} would hold, against its latest export stored before
   * it: the sizes a dry run prints. Writes and registers nothing.
   */
  public Diff count(Destination d, Dataset<Row> members, LocalDate asOf) {
    Dataset<Row> rows = select(members, d);
    List<String> keyCols = keys(d);
    Dataset<Row> now = rows.select(columns(keyCols, col(AsOfs.AS_OF).as(EXPORT_AS_OF)));
    Dataset<Row> diff =
        diff(now, history.previous(d.name(), List.of(asOf), now, keyCols), order(keyCols));
    long added = diff.where(col(ADDED)).count();
    return new Diff(rows.count(), added, diff.count() - added);
  }

  /**
   * Publishes {@code d}'s export of each as-of of {@code runIds} (ascending, with its run id) from
   * {@code members} ({@link AsOfs#AS_OF}: every as-of's), each diffed against the export before it:
   * the run's own as-of before it, or the latest one stored for an as-of outside the run. Each
   * as-of's folder is published whole ({@link ExportFolder}), then all of them registered in {@link
   * ExportHistory} in one commit. Returns the diff sizes per as-of.
   */
  public Map<LocalDate, Diff> publish(
      Destination d, Dataset<Row> members, Map<LocalDate, String> runIds) {
    List<LocalDate> asOfs = List.copyOf(runIds.keySet());
    Dataset<Row> rows = select(members, d);
    List<String> keyCols = keys(d);
    Column[] sort = order(keyCols);
    Dataset<Row> now = rows.select(columns(keyCols, col(AsOfs.AS_OF).as(EXPORT_AS_OF)));
    // Each file's rows in one sorted partition: streamed to the driver in one Spark job (a global
    // sort is a sampling job and then a job per partition; an export is at most a few million
    // rows, which one task sorts, spilling if it must).
    Dataset<Row> memberRows =
        rows.select(columns(d.fields(), col(AsOfs.AS_OF).as(EXPORT_AS_OF)))
            .repartition(1)
            .sortWithinPartitions(sort);
    List<String> diffCols = new ArrayList<>(keyCols);
    diffCols.add(ADDED);
    Dataset<Row> diff =
        diff(now, history.previous(d.name(), asOfs, now, keyCols), sort)
            .select(columns(diffCols, col(EXPORT_AS_OF)));
    CsvFiles.AsOfRows memberIn =
        new CsvFiles.AsOfRows(memberRows.toLocalIterator(), d.fields().size());
    CsvFiles.AsOfRows diffIn = new CsvFiles.AsOfRows(diff.toLocalIterator(), keyCols.size() + 1);
    Map<LocalDate, Diff> out = new LinkedHashMap<>();
    for (LocalDate asOf : asOfs) {
      Map<String, HashedFile.Stat> stats =
          folder.publish(
              d,
              asOf,
              runIds.get(asOf),
              (fs, dir) -> writeFiles(fs, dir, d, memberIn.of(asOf), diffIn.of(asOf), keyCols));
      out.put(
          asOf,
          new Diff(
              stats.get("members." + d.formats().get(0)).rows(),
              stats.get("added.csv").rows(),
              stats.get("removed.csv").rows()));
    }
    if (memberIn.hasAny() || diffIn.hasAny()) {
      throw new IllegalStateException(
          "Cannot publish export " + d.name() + ": rows of an as-of after " + asOfs);
    }
    history.register(
        d.name(),
        runIds,
        rows.select(
            col("person_id"),
            d.sendsSegment() ? col("segment") : lit(null).cast("string").as("segment"),
            col(AsOfs.AS_OF),
            col("run_id")));
    return out;
  }

  /** The columns {@code names}, then {@code last}. */
  static Column[] columns(List<String> names, Column last) {
    List<Column> out = new ArrayList<>();
    names.forEach(n -> out.add(col(n)));
    out.add(last);
    return out.toArray(Column[]::new);
  }

  /**
   * The keys ({@code sort}) of {@code keys} not in {@code prev} ({@link #ADDED} true) and of {@code
   * prev} not in {@code keys} (false), each once, in key order in one partition: both diff files
   * from one pass. Keys compare null-safe, as a set difference does.
   */
  static Dataset<Row> diff(Dataset<Row> keys, Dataset<Row> prev, Column[] sort) {
    Column[] out = Arrays.copyOf(sort, sort.length + 1);
    out[sort.length] = col("_now").as(ADDED);
    return keys.withColumn("_side", lit(1))
        .unionByName(prev.withColumn("_side", lit(2)))
        .groupBy(sort)
        .agg(max(col("_side").equalTo(1)).as("_now"), max(col("_side").equalTo(2)).as("_before"))
        .where(col("_now").notEqual(col("_before")))
        .select(out)
        .repartition(1)
        .sortWithinPartitions(sort);
  }

  /**
   * The member file(s), streamed from Spark one partition at a time ({@code toLocalIterator}) in
   * one pass for every format, then the added and removed keys, both from one pass over {@code
   * diff} ({@link #diff}): the driver never holds a whole member list (≈ 200 k rows at 1M persons,
   * 2 M at 10M).
   */
  private Map<String, HashedFile.Stat> writeFiles(
      FileSystem fs,
      Path dir,
      Destination d,
      Iterator<Row> memberRows,
      Iterator<Row> diff,
      List<String> keyCols)
      throws IOException {
    Map<String, HashedFile.Stat> stats = new LinkedHashMap<>();
    List<HashedFile> outs = new ArrayList<>();
    try {
      for (String format : d.formats()) {
        HashedFile f = HashedFile.create(fs, dir, "members." + format);
        outs.add(f);
        if (format.equals("csv")) {
          f.write(CsvFiles.line(d.fields()));
        }
      }
      while (memberRows.hasNext()) {
        Row r = memberRows.next();
        for (int i = 0; i < outs.size(); i++) {
          outs.get(i)
              .write(d.formats().get(i).equals("csv") ? csvLine(r) : jsonLine(d.fields(), r));
        }
      }
      for (HashedFile f : outs) {
        stats.put(f.name(), f.finish());
        io.leadloop.common.Faults.point("export.file-written");
      }
    } finally {
      outs.forEach(HashedFile::close);
    }
    try (HashedFile added = HashedFile.create(fs, dir, "added.csv");
        HashedFile removed = HashedFile.create(fs, dir, "removed.csv")) {
      added.write(CsvFiles.line(keyCols));
      removed.write(CsvFiles.line(keyCols));
      int keys = keyCols.size();
      while (diff.hasNext()) {
        Row r = diff.next();
        Object[] key = new Object[keys];
        for (int i = 0; i < keys; i++) {
          key[i] = r.get(i);
        }
        (r.getBoolean(keys) ? added : removed).write(csvLine(RowFactory.create(key)));
      }
      stats.put(added.name(), added.finish());
      io.leadloop.common.Faults.point("export.file-written");
      stats.put(removed.name(), removed.finish());
      io.leadloop.common.Faults.point("export.file-written");
    }
    return stats;
  }

  static String csvLine(Row r) {
    List<String> v = new ArrayList<>(r.length());
    for (int i = 0; i < r.length(); i++) {
      v.add(CsvFiles.format(r.get(i)));
    }
    return CsvFiles.line(v);
  }

  static String jsonLine(List<String> fields, Row r) {
    ObjectNode o = JSON.createObjectNode();
    for (int i = 0; i < fields.size(); i++) {
      Object v = r.get(i);
      if (v == null) {
        o.putNull(fields.get(i));
      } else {
        o.put(fields.get(i), CsvFiles.format(v));
      }
    }
    return o.toString() + "\n";
  }
}
