package io.leadloop.jobs.export;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A published file written as a stream of lines, hashed and counted on the way, so an export of any
 * size is written without holding it on the driver. On S3A the object appears (whole) when {@link
 * #finish} completes the upload.
 */
final class HashedFile implements AutoCloseable {
  /** What the manifest says about a written file. */
  record Stat(String name, long lines, String sha256) {
    /** Data rows: every line of a JSON Lines file, every line but the header of a CSV file. */
    long rows() {
      return name.endsWith(".jsonl") ? lines : Math.max(0, lines - 1);
    }
  }

  private final String name;
  private final OutputStream out;
  private final MessageDigest digest;
  private long lines;
  private boolean finished;

  private HashedFile(String name, OutputStream out) {
    this.name = name;
    this.out = out;
    try {
      this.digest = MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static HashedFile create(FileSystem fs, Path dir, String name) throws IOException {
    return new HashedFile(name, fs.create(new Path(dir, name), true));
  }

  String name() {
    return name;
  }

  /** Appends {@code line}, which ends with its newline. */
  void write(String line) throws IOException {
    byte[] b = line.getBytes(StandardCharsets.UTF_8);
    out.write(b);
    digest.update(b);
    lines++;
  }

  /** Closes the file (completing the upload on S3A) and returns its line count and checksum. */
  Stat finish() throws IOException {
    finished = true;
    out.close();
    return new Stat(name, lines, HexFormat.of().formatHex(digest.digest()));
  }

  /** Closes a file that was not finished (a failed export); its folder is never published. */
  @Override
  public void close() {
    if (!finished) {
      try {
        out.close();
      } catch (IOException e) {
        // the export already failed; this file is left out of any manifest
      }
    }
  }
}
