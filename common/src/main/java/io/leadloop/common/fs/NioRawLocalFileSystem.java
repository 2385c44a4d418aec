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
 * commit on a local table several {@code readlink}s (its log store renames through {@code
 * FileContext}, which reads the link status of the source and the target, and of their checksum
 * files). A process costs 5-10 ms from a JVM of several GiB; one test class made 1,304 of them
 * (docs/performance.md). Everything else is Hadoop's own code.
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
    java.nio.file.Path path = pathToFile(p).toPath();
    // Hadoop's own way where java.nio would differ: a sticky bit to set, which it cannot, and a
    // directory with its set-user-ID or set-group-ID bit (a group-shared folder), which chmod(1)
    // keeps and java.nio would clear
    if (permission.getStickyBit() || hasSetIdBits(path)) {
      super.setPermission(p, permission);
      return;
    }
    try {
      Files.setPosixFilePermissions(path, permissions(permission.toShort()));
    } catch (UnsupportedOperationException e) {
      // a file system without POSIX permissions (Windows): Hadoop's own way
      super.setPermission(p, permission);
    }
  }

  /** Whether {@code path} is a directory with its set-user-ID or set-group-ID bit set. */
  private static boolean hasSetIdBits(java.nio.file.Path path) throws IOException {
    if (!Files.isDirectory(path)) {
      return false;
    }
    try {
      return ((Integer) Files.getAttribute(path, "unix:mode") & 06000) != 0;
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      return false;
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
