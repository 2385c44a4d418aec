package io.leadloop.common.fs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;

/**
 * Hadoop's checksummed local file system ({@code fs.file.impl}) over {@link NioRawLocalFileSystem}:
 * the same files on disk (the data and its {@code .crc}), without a process per file created. The
 * Spark sessions use it for {@code file:} paths ({@code Sessions}); {@link NioLocalFs} is its
 * counterpart for {@code FileContext}, which Delta's log store renames with.
 */
public class NioLocalFileSystem extends LocalFileSystem {
  public NioLocalFileSystem() {
    super(new NioRawLocalFileSystem());
  }

  /**
   * Makes {@code FileSystem.get} of a {@code file:} path return the class {@code conf} names.
   * Hadoop caches one instance per scheme and user whatever the configuration asked for, so one
   * made earlier from a plain {@code Configuration} (a tool that listed files before the session
   * existed) would serve the whole JVM: it is closed, which for a local file system only takes it
   * out of the cache (and deletes the paths marked to be deleted on its close), and the next call
   * makes the configured one.
   */
  public static void install(Configuration conf) {
    Class<?> wanted = conf.getClass("fs.file.impl", null);
    if (wanted == null) {
      return;
    }
    try {
      FileSystem cached = FileSystem.get(URI.create("file:///"), conf);
      if (cached.getClass() != wanted) {
        cached.close();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot set up the local file system: " + e.getMessage(), e);
    }
  }
}
