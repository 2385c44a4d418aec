package io.leadloop.jobs.export;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadloop.common.LeadloopException;
import io.leadloop.common.config.Destination;
import io.leadloop.jobs.publish.CsvFiles;
import io.leadloop.jobs.publish.OutputFiles;
import io.leadloop.jobs.storage.ObjectStores;
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
 * Writes one destination's export for an as-of: member file(s) in its formats and fields, {@code
 * added} / {@code removed} diffs against its previous successful export, and {@code manifest.json}.
 * The files are written into a hidden temporary folder and published by renaming it to {@code
 * <out>/exports/<destination>/<as-of>/}: readers see the whole export or none, and a failed run
 * leaves the previous export as it was. Only then is the export registered in {@link
 * ExportHistory}. On an object store (S3), which has no atomic folder rename, the files are written
 * in place and {@code manifest.json} last: an export is complete when its manifest is there (see
 * {@link ObjectStores#publishManifestLast}). Member and diff files are streamed from Spark and
 * hashed while written ({@link HashedFile}), never collected on the driver.
 */
public final class ExportWriter {
  public static final int SPEC_VERSION = 1;
  static final String MANIFEST = "manifest.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The column of {@link #diff}: whether a key was added (true) or removed (false). */
  static final String ADDED = "is_added";

  private final OutputFiles files;
  private final ExportHistory history;
  private final String outRoot;
  private final String runId;

  public ExportWriter(OutputFiles files, ExportHistory history, String outRoot, String runId) {
    this.files = files;
    this.history = history;
    this.outRoot = outRoot;
    this.runId = runId;
  }

  /** Diff sizes of one destination. */
  public record Diff(long members, long added, long removed) {}

  /** Rows of {@code members} that go to {@code d}. */
  public static Dataset<Row> select(Dataset<Row> members, Destination d) {
    return members
        .where(col("segment").isin(d.segments().toArray()))
        .where(col("recommended_channel").isin(d.channels().toArray()));
  }

  public Diff publish(Destination d, Dataset<Row> members, LocalDate asOf, boolean dryRun) {
    Dataset<Row> rows = select(members, d);
    List<String> keyCols =
        d.sendsSegment() ? List.of("person_id", "segment") : List.of("person_id");
    Column[] sort =
        keyCols.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
    Dataset<Row> prev = history.previous(d.name(), asOf).selectExpr(keyCols.toArray(String[]::new));
    // Each file's rows in one sorted partition: streamed to the driver in one Spark job (a global
    // sort is a sampling job and then a job per partition; an export is at most a few million
    // rows, which one task sorts, spilling if it must).
    Dataset<Row> memberRows =
        rows.selectExpr(d.fields().stream().map(f -> "`" + f + "`").toArray(String[]::new))
            .repartition(1)
            .sortWithinPartitions(sort);
    Dataset<Row> diff = diff(rows.select(sort), prev, sort);
    if (dryRun) {
      long added = diff.where(col(ADDED)).count();
      return new Diff(memberRows.count(), added, diff.count() - added);
    }
    Map<String, HashedFile.Stat> stats =
        publishFolder(d, asOf, (fs, dir) -> writeFiles(fs, dir, d, memberRows, diff, keyCols));
    history.register(
        d.name(),
        asOf,
        rows.select(
                col("person_id"),
                d.sendsSegment() ? col("segment") : lit(null).cast("string").as("segment"))
            .unionByName(
                rows.sparkSession()
                    .range(1)
                    .select(
                        lit(null).cast("string").as("person_id"),
                        lit(null).cast("string").as("segment")))
            .withColumn("destination", lit(d.name()))
            .withColumn("as_of", lit(java.sql.Date.valueOf(asOf)))
            .withColumn("run_id", lit(runId)));
    return new Diff(
        stats.get("members." + d.formats().get(0)).rows(),
        stats.get("added.csv").rows(),
        stats.get("removed.csv").rows());
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

  /** Writes the data files of one export into {@code dir}, in the manifest's order. */
  private interface FolderWriter {
    Map<String, HashedFile.Stat> write(FileSystem fs, Path dir) throws IOException;
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
      Dataset<Row> memberRows,
      Dataset<Row> diff,
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
      Iterator<Row> it = memberRows.toLocalIterator();
      while (it.hasNext()) {
        Row r = it.next();
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
      Iterator<Row> it = diff.toLocalIterator();
      while (it.hasNext()) {
        Row r = it.next();
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

  private String manifest(Destination d, LocalDate asOf, Map<String, HashedFile.Stat> stats) {
    ObjectNode m = JSON.createObjectNode();
    m.put("run_id", runId);
    m.put("as_of", asOf.toString());
    m.put("destination", d.name());
    m.put("spec_version", SPEC_VERSION);
    var arr = m.putArray("files");
    stats.forEach(
        (name, st) -> {
          ObjectNode f = arr.addObject();
          f.put("path", name);
          f.put("rows", st.rows());
          f.put("sha256", st.sha256());
        });
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(m) + "\n";
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private Map<String, HashedFile.Stat> publishFolder(
      Destination d, LocalDate asOf, FolderWriter data) {
    String base = outRoot + "/exports/" + d.name();
    Path tmp = new Path(base + "/." + asOf + ".tmp-" + runId);
    Path target = new Path(base + "/" + asOf);
    Path old = new Path(base + "/." + asOf + ".old-" + runId);
    FileSystem fs = files.fs(base);
    try {
      if (!ObjectStores.atomicDirectoryRename(fs)) {
        // S3: no atomic folder rename there; files in place, manifest.json last.
        ObjectStores.unpublish(fs, target, MANIFEST);
        Map<String, HashedFile.Stat> stats = data.write(fs, target);
        ObjectStores.publish(fs, target, stats.keySet(), MANIFEST, manifest(d, asOf, stats));
        io.leadloop.common.Faults.point("export.file-written");
        return stats;
      }
      fs.mkdirs(tmp);
      Map<String, HashedFile.Stat> stats = data.write(fs, tmp);
      files.writeString(tmp + "/" + MANIFEST, manifest(d, asOf, stats));
      io.leadloop.common.Faults.point("export.file-written");
      boolean replaced = fs.exists(target) && fs.rename(target, old);
      if (!fs.rename(tmp, target)) {
        if (replaced) {
          fs.rename(old, target);
        }
        throw new IOException("cannot rename " + tmp + " to " + target);
      }
      if (replaced) {
        fs.delete(old, true);
      }
      return stats;
    } catch (IOException e) {
      throw new LeadloopException(
          "Cannot publish export " + d.name() + " for " + asOf + ": " + e.getMessage(), e);
    }
  }
}
