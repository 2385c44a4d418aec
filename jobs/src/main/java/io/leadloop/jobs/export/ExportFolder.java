package io.leadloop.jobs.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadloop.common.LeadloopException;
import io.leadloop.common.config.Destination;
import io.leadloop.jobs.publish.OutputFiles;
import io.leadloop.jobs.storage.ObjectStores;
import java.io.IOException;
import java.time.LocalDate;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * One export's folder, {@code <out>/exports/<destination>/<as-of>/}: its data files and {@code
 * manifest.json}, published whole. The files are written into a hidden temporary folder, renamed
 * into place (an existing one moved aside first, deleted after). On an object store (S3), which has
 * no atomic folder rename, the files are written in place and {@code manifest.json} last: an export
 * is complete when its manifest is there (see {@link ObjectStores#publishManifestLast}).
 */
final class ExportFolder {
  static final String MANIFEST = "manifest.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final OutputFiles files;
  private final String outRoot;

  ExportFolder(OutputFiles files, String outRoot) {
    this.files = files;
    this.outRoot = outRoot;
  }

  /** Writes the data files of one export into {@code dir}, in the manifest's order. */
  interface Writer {
    Map<String, HashedFile.Stat> write(FileSystem fs, Path dir) throws IOException;
  }

  private static String manifest(
      Destination d, LocalDate asOf, String runId, Map<String, HashedFile.Stat> stats) {
    ObjectNode m = JSON.createObjectNode();
    m.put("run_id", runId);
    m.put("as_of", asOf.toString());
    m.put("destination", d.name());
    m.put("spec_version", ExportWriter.SPEC_VERSION);
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

  /**
   * Publishes {@code d}'s export of {@code asOf}: the files {@code data} writes and the manifest,
   * whole or not at all.
   */
  Map<String, HashedFile.Stat> publish(Destination d, LocalDate asOf, String runId, Writer data) {
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
        ObjectStores.publish(fs, target, stats.keySet(), MANIFEST, manifest(d, asOf, runId, stats));
        io.leadloop.common.Faults.point("export.file-written");
        return stats;
      }
      fs.mkdirs(tmp);
      Map<String, HashedFile.Stat> stats = data.write(fs, tmp);
      files.writeString(tmp + "/" + MANIFEST, manifest(d, asOf, runId, stats));
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
