package io.leadloop.common.fs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * Hadoop's raw local file system, with a file's permissions set and its link status read through
 * {@code java.nio} instead of a {@code chmod} or {@code readlink} process.
 *
 * <p>Without Hadoop's native library (Spark's distribution does not load one), Hadoop starts a
 * process for each: every file and directory a run creates is a {@code chmod}, and every Delta
 * commit on a local table two {@code readlink}s (its log store renames through {@code
 * FileContext}). A process costs 5-10 ms from a JVM of several GiB; one test class made 1,304 of
 * them (docs/performance.md). Everything else is Hadoop's own code.
 */
public class NioRawLocalFileSystem extends RawLocalFileSystem {
  private static final PosixFilePermission[] BITS = {
    PosixFilePermission.OTHERS_EXECUTE,
    PosixFilePermission.OTHERS_WRITE,
    PosixFilePermission.OTHERS_READ,
    PosixFilePermission.GROUP_EXECUTE,
    PosixFilePermission.GROUP_WRITE,
    PosixFilePermission.GROUP_READ,
    PosixFilePermission.OWNER_EXECUTE,
    PosixFilePermission.OWNER_WRITE,
    PosixFilePermission.OWNER_READ
  };

  /** The permission bits of a mode ({@code 0644} and the like) as a set; no sticky bit. */
  static Set<PosixFilePermission> permissions(short mode) {
    Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
    for (int i = 0; i < BITS.length; i++) {
      if ((mode & (1 << i)) != 0) {
        set.add(BITS[i]);
      }
    }
    return set;
  }

  @Override
  public void setPermission(Path p, FsPermission permission) throws IOException {
    // java.nio cannot set the sticky bit: Hadoop's own way for the rare permission with one
    if (permission.getStickyBit()) {
      super.setPermission(p, permission);
      return;
    }
    try {
      Files.setPosixFilePermissions(pathToFile(p).toPath(), permissions(permission.toShort()));
    } catch (UnsupportedOperationException e) {
      // a file system without POSIX permissions (Windows): Hadoop's own way
      super.setPermission(p, permission);
    }
  }

  @Override
  public FileStatus getFileLinkStatus(Path f) throws IOException {
    // A path that is not a link has the status of the file itself (as Hadoop's answer for it);
    // a link keeps Hadoop's answer, with its target.
    if (Files.isSymbolicLink(pathToFile(f).toPath())) {
      return super.getFileLinkStatus(f);
    }
    return getFileStatus(f);
  }
}
