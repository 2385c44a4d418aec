package io.leadloop.jobs.ingest;

import io.leadloop.common.LeadloopException;
import io.leadloop.common.schema.Entity;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Lists a landing location: per entity folder, every file directly inside whose name ends in {@code
 * .csv}, {@code .jsonl} or {@code .ndjson}, optionally followed by {@code .gz} (any case). Other
 * files are ignored (and reported). A missing folder means no rows.
 */
public final class LandingScan {
  public static final Pattern DATA_FILE = Pattern.compile("(?i).+\\.(csv|jsonl|ndjson)(\\.gz)?");

  /** What the scan found: data files sorted by entity then name, and the ignored paths. */
  public record Result(List<LandingFile> files, List<String> ignored) {}

  private LandingScan() {}

  public static Result scan(String landing, Configuration conf) {
    List<LandingFile> files = new ArrayList<>();
    List<String> ignored = new ArrayList<>();
    try {
      Path root = new Path(landing);
      FileSystem fs = root.getFileSystem(conf);
      if (!fs.exists(root)) {
        throw new LeadloopException(
            "Cannot ingest: landing location " + landing + " does not exist");
      }
      for (Entity e : Entity.values()) {
        Path dir = new Path(root, e.folder());
        if (!fs.exists(dir)) {
          continue;
        }
        FileStatus[] listed = fs.listStatus(dir);
        Arrays.sort(listed, Comparator.comparing(s -> s.getPath().getName()));
        for (FileStatus st : listed) {
          String name = st.getPath().getName();
          if (st.isFile() && DATA_FILE.matcher(name).matches()) {
            files.add(
                new LandingFile(
                    e, name, st.getPath().toString(), sha256(fs, st.getPath()), st.getLen()));
          } else {
            ignored.add(e.folder() + "/" + name);
          }
        }
      }
    } catch (IOException ex) {
      throw new LeadloopException(
          "Cannot list landing location " + landing + ": " + ex.getMessage(), ex);
    }
    return new Result(files, ignored);
  }

  static String sha256(FileSystem fs, Path p) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    try (InputStream in = new DigestInputStream(fs.open(p), md)) {
      byte[] buf = new byte[1 << 16];
      while (in.read(buf) >= 0) {
        // digesting
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }
}
