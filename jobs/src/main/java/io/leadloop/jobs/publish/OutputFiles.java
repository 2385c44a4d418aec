package io.leadloop.jobs.publish;

import io.leadloop.common.LeadloopException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes published files on any Hadoop file system (local folder or {@code s3a://}). A file is
 * written under a temporary name and renamed into place, so readers never see half a file.
 */
public final class OutputFiles {
  private final Configuration conf;

  public OutputFiles(Configuration conf) {
    this.conf = conf;
  }

  /**
   * The file system of {@code path}. For local paths the raw file system, so that published folders
   * hold only the files themselves (no Hadoop {@code .crc} checksum siblings).
   */
  public FileSystem fs(String path) {
    try {
      FileSystem fs = new Path(path).getFileSystem(conf);
      return fs instanceof LocalFileSystem local ? local.getRaw() : fs;
    } catch (IOException e) {
      throw new LeadloopException("Cannot open " + path + ": " + e.getMessage(), e);
    }
  }

  /** A stream to a temporary sibling of {@code path}; {@link Writer#commit()} renames it in. */
  public Writer open(String path) {
    Path target = new Path(path);
    Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp");
    try {
      FileSystem fs = fs(path);
      return new Writer(fs, tmp, target, fs.create(tmp, true));
    } catch (IOException e) {
      throw new LeadloopException("Cannot write " + path + ": " + e.getMessage(), e);
    }
  }

  public void writeString(String path, String content) {
    try (Writer w = open(path)) {
      w.write(content);
      w.commit();
    }
  }

  /** A file being written; closing without commit deletes it. */
  public static final class Writer implements AutoCloseable {
    private final FileSystem fs;
    private final Path tmp;
    private final Path target;
    private final OutputStream out;
    private boolean closed;

    Writer(FileSystem fs, Path tmp, Path target, OutputStream out) {
      this.fs = fs;
      this.tmp = tmp;
      this.target = target;
      this.out = out;
    }

    public void write(String s) {
      try {
        out.write(s.getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new LeadloopException("Cannot write " + target + ": " + e.getMessage(), e);
      }
    }

    public void commit() {
      try {
        out.close();
        closed = true;
        if (fs.exists(target)) {
          fs.delete(target, false);
        }
        if (!fs.rename(tmp, target)) {
          throw new IOException("rename failed");
        }
      } catch (IOException e) {
        throw new LeadloopException("Cannot write " + target + ": " + e.getMessage(), e);
      }
    }

    @Override
    public void close() {
      try {
        if (!closed) {
          out.close();
          fs.delete(tmp, false);
        }
      } catch (IOException e) {
        // nothing more to clean up
      }
    }
  }
}
