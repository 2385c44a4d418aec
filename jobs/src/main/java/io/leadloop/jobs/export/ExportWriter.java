package io.leadloop.jobs.export;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadloop.common.LeadloopException;
import io.leadloop.common.config.Destination;
import io.leadloop.jobs.publish.CsvFiles;
import io.leadloop.jobs.publish.OutputFiles;
import io.leadloop.jobs.storage.ObjectStores;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Writes one destination's export for an as-of: member file(s) in its formats and fields, {@code
 * added} / {@code removed} diffs against its previous successful export, and {@code manifest.json}.
 * The files are written into a hidden temporary folder and published by renaming it to {@code
 * <out>/exports/<destination>/<as-of>/}: readers see the whole export or none, and a failed run
 * leaves the previous export as it was. Only then is the export registered in {@link
 * ExportHistory}. On an object store (S3), which has no atomic folder rename, the files are written
 * in place and {@code manifest.json} last: an export is complete when its manifest is there (see
 * {@link ObjectStores#publishManifestLast}).
 */
public final class ExportWriter {
  public static final int SPEC_VERSION = 1;
  private static final ObjectMapper JSON = new ObjectMapper();

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
    Dataset<Row> keys =
        rows.select(
            keyCols.stream()
                .map(org.apache.spark.sql.functions::col)
                .toArray(org.apache.spark.sql.Column[]::new));
    Dataset<Row> prev =
        history.previous(d.name(), asOf).selectExpr(keyCols.toArray(String[]::new)).distinct();
    String[] sort = keyCols.toArray(String[]::new);
    List<Row> memberRows =
        rows.selectExpr(d.fields().stream().map(f -> "`" + f + "`").toArray(String[]::new))
            .orderBy(sort[0], java.util.Arrays.copyOfRange(sort, 1, sort.length))
            .collectAsList();
    List<Row> added =
        keys.except(prev)
            .orderBy(sort[0], java.util.Arrays.copyOfRange(sort, 1, sort.length))
            .collectAsList();
    List<Row> removed =
        prev.except(keys)
            .orderBy(sort[0], java.util.Arrays.copyOfRange(sort, 1, sort.length))
            .collectAsList();
    Diff diff = new Diff(memberRows.size(), added.size(), removed.size());
    if (dryRun) {
      return diff;
    }
    Map<String, String> content = new LinkedHashMap<>();
    for (String format : d.formats()) {
      content.put(
          "members." + format,
          format.equals("csv") ? csv(d.fields(), memberRows) : jsonl(d.fields(), memberRows));
    }
    content.put("added.csv", csv(keyCols, added));
    content.put("removed.csv", csv(keyCols, removed));
    content.put("manifest.json", manifest(d, asOf, content));
    publishFolder(d, asOf, content);
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
    return diff;
  }

  static String csv(List<String> header, List<Row> rows) {
    StringBuilder sb = new StringBuilder(CsvFiles.line(header));
    for (Row r : rows) {
      List<String> v = new ArrayList<>();
      for (int i = 0; i < r.length(); i++) {
        v.add(CsvFiles.format(r.get(i)));
      }
      sb.append(CsvFiles.line(v));
    }
    return sb.toString();
  }

  static String jsonl(List<String> fields, List<Row> rows) {
    StringBuilder sb = new StringBuilder();
    for (Row r : rows) {
      ObjectNode o = JSON.createObjectNode();
      for (int i = 0; i < fields.size(); i++) {
        Object v = r.get(i);
        if (v == null) {
          o.putNull(fields.get(i));
        } else {
          o.put(fields.get(i), CsvFiles.format(v));
        }
      }
      sb.append(o.toString()).append('\n');
    }
    return sb.toString();
  }

  private String manifest(Destination d, LocalDate asOf, Map<String, String> content) {
    ObjectNode m = JSON.createObjectNode();
    m.put("run_id", runId);
    m.put("as_of", asOf.toString());
    m.put("destination", d.name());
    m.put("spec_version", SPEC_VERSION);
    var arr = m.putArray("files");
    content.forEach(
        (name, text) -> {
          ObjectNode f = arr.addObject();
          f.put("path", name);
          long lines = text.chars().filter(ch -> ch == '\n').count();
          f.put("rows", name.endsWith(".jsonl") ? lines : Math.max(0, lines - 1));
          f.put("sha256", sha256(text));
        });
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(m) + "\n";
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private void publishFolder(Destination d, LocalDate asOf, Map<String, String> content) {
    String base = outRoot + "/exports/" + d.name();
    Path tmp = new Path(base + "/." + asOf + ".tmp-" + runId);
    Path target = new Path(base + "/" + asOf);
    Path old = new Path(base + "/." + asOf + ".old-" + runId);
    FileSystem fs = files.fs(base);
    try {
      if (!ObjectStores.atomicDirectoryRename(fs)) {
        // S3 (issue 8): no atomic folder rename there; files in place, manifest.json last.
        ObjectStores.publishManifestLast(
            fs,
            target,
            content,
            "manifest.json",
            () -> io.leadloop.common.Faults.point("export.file-written"));
        return;
      }
      fs.mkdirs(tmp);
      for (var e : content.entrySet()) {
        files.writeString(tmp + "/" + e.getKey(), e.getValue());
        io.leadloop.common.Faults.point("export.file-written");
      }
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
    } catch (IOException e) {
      throw new LeadloopException(
          "Cannot publish export " + d.name() + " for " + asOf + ": " + e.getMessage(), e);
    }
  }

  static String sha256(String text) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
