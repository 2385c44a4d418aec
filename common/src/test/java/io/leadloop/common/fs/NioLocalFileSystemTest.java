package io.leadloop.common.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leadloop.common.ProcessStarts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CreateFlag;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local file system writes what Hadoop's writes (the file, its checksum, its permissions),
 * renames as Hadoop's {@code FileContext} does, and starts no process for it; Hadoop's own starts
 * one per file (chmod) and per rename (readlink).
 */
class NioLocalFileSystemTest {
  @TempDir java.nio.file.Path tmp;

  private static Configuration conf() {
    Configuration conf = new Configuration();
    conf.set("fs.file.impl", NioLocalFileSystem.class.getName());
    conf.set("fs.AbstractFileSystem.file.impl", NioLocalFs.class.getName());
    conf.setBoolean("fs.file.impl.disable.cache", true);
    return conf;
  }

  /** Hadoop's own local file system, uncached. */
  private static Configuration hadoopsConf() {
    Configuration conf = new Configuration();
    conf.set("fs.file.impl", LocalFileSystem.class.getName());
    conf.setBoolean("fs.file.impl.disable.cache", true);
    return conf;
  }

  @Test
  void permissionsAsAModeSays() {
    assertThat(PosixFilePermissions.toString(NioRawLocalFileSystem.permissions((short) 0644)))
        .isEqualTo("rw-r--r--");
    assertThat(PosixFilePermissions.toString(NioRawLocalFileSystem.permissions((short) 0750)))
        .isEqualTo("rwxr-x---");
    assertThat(PosixFilePermissions.toString(NioRawLocalFileSystem.permissions((short) 01777)))
        .isEqualTo("rwxrwxrwx");
  }

  @Test
  void writesTheFilesHadoopWrites() throws IOException {
    FileSystem fs = FileSystem.get(tmp.toUri(), conf());
    assertThat(fs).isInstanceOf(NioLocalFileSystem.class);
    Path dir = new Path(tmp.toUri().toString(), "a/b");
    assertThat(fs.mkdirs(dir, new FsPermission((short) 0750))).isTrue();
    Path file = new Path(dir, "x.txt");
    try (var out =
        fs.create(file, new FsPermission((short) 0640), true, 4096, (short) 1, 1 << 20, null)) {
      out.write("hello".getBytes(StandardCharsets.UTF_8));
    }
    java.nio.file.Path local = tmp.resolve("a/b/x.txt");
    assertThat(Files.readString(local)).isEqualTo("hello");
    assertThat(Files.exists(tmp.resolve("a/b/.x.txt.crc"))).as("checksum file").isTrue();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(local)))
        .isEqualTo("rw-r-----");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("a/b"))))
        .isEqualTo("rwxr-x---");
    fs.setPermission(file, new FsPermission((short) 0604));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(local)))
        .isEqualTo("rw----r--");
  }

  @Test
  void aGroupSharedDirectoryKeepsItsSetGroupIdBit() throws Exception {
    java.nio.file.Path shared = Files.createDirectory(tmp.resolve("shared"));
    // as chmod(1) with four digits does, the set-group-ID bit of a directory is kept
    assertThat(new ProcessBuilder("chmod", "2775", shared.toString()).start().waitFor()).isZero();
    FileSystem fs = FileSystem.get(tmp.toUri(), conf());
    fs.setPermission(new Path(shared.toUri().toString()), new FsPermission((short) 0750));
    int mode = (Integer) Files.getAttribute(shared, "unix:mode");
    assertThat(mode & 07777).isEqualTo(02750);
  }

  @Test
  void renamesAsFileContextDoes() throws IOException {
    FileContext fc = FileContext.getFileContext(tmp.toUri(), conf());
    Path a = new Path(tmp.toUri().toString(), "a.json");
    Path b = new Path(tmp.toUri().toString(), "b.json");
    write(fc, a, "1");
    fc.rename(a, b, Options.Rename.NONE);
    assertThat(Files.readString(tmp.resolve("b.json"))).isEqualTo("1");
    assertThat(Files.exists(tmp.resolve("a.json"))).isFalse();
    assertThat(Files.exists(tmp.resolve(".b.json.crc"))).as("checksum renamed too").isTrue();
    assertThat(Files.exists(tmp.resolve(".a.json.crc"))).isFalse();
    // a commit never replaces one made before it
    write(fc, a, "2");
    assertThatThrownBy(() -> fc.rename(a, b, Options.Rename.NONE))
        .isInstanceOf(FileAlreadyExistsException.class);
    assertThat(Files.readString(tmp.resolve("b.json"))).isEqualTo("1");
  }

  @Test
  void aLinkHasTheStatusHadoopGivesIt() throws IOException {
    Files.writeString(tmp.resolve("target.txt"), "t");
    Files.createSymbolicLink(tmp.resolve("link.txt"), tmp.resolve("target.txt"));
    FileSystem ours = FileSystem.get(tmp.toUri(), conf());
    FileSystem hadoops = FileSystem.get(tmp.toUri(), hadoopsConf());
    // Hadoop's reads a link of a plain path only (it runs readlink on the path as written)
    Path plain = new Path(tmp.resolve("link.txt").toString());
    assertThat(hadoops.getFileLinkStatus(plain).isSymlink()).isTrue();
    Path missing = new Path(tmp.toUri().toString(), "missing.txt");
    assertThatThrownBy(() -> ours.getFileLinkStatus(missing))
        .isInstanceOf(java.io.FileNotFoundException.class);
    assertThatThrownBy(() -> hadoops.getFileLinkStatus(missing))
        .isInstanceOf(java.io.FileNotFoundException.class);
    for (Path p :
        List.of(
            plain,
            new Path(tmp.toUri().toString(), "link.txt"),
            new Path(tmp.toUri().toString(), "target.txt"))) {
      FileStatus a = ours.getFileLinkStatus(p);
      FileStatus b = hadoops.getFileLinkStatus(p);
      assertThat(a.isSymlink()).as(p.toString()).isEqualTo(b.isSymlink());
      assertThat(a.getPath()).as(p.toString()).isEqualTo(b.getPath());
      assertThat(a.getLen()).as(p.toString()).isEqualTo(b.getLen());
      if (a.isSymlink()) {
        assertThat(a.getSymlink()).isEqualTo(b.getSymlink());
      }
    }
  }

  @Test
  void startsNoProcessWhereHadoopsStartsOnePerFile() throws Exception {
    assertThat(processesStartedWriting(conf(), "nio")).isZero();
    // Hadoop's own, without its native library: a chmod per directory and file, a readlink per
    // rename (the measure is only as good as the machine's lack of that library)
    assertThat(processesStartedWriting(hadoopsConf(), "hadoop")).isGreaterThanOrEqualTo(3);
  }

  /** The processes started while a directory and a file are created and the file is renamed. */
  private long processesStartedWriting(Configuration conf, String name) throws Exception {
    return ProcessStarts.during(
            tmp.resolve(name + ".jfr"),
            () -> {
              FileSystem fs = FileSystem.get(tmp.toUri(), conf);
              Path dir = new Path(tmp.toUri().toString(), name);
              fs.mkdirs(dir);
              FileContext fc = FileContext.getFileContext(tmp.toUri(), conf);
              write(fc, new Path(dir, "0.tmp"), "x");
              fc.rename(new Path(dir, "0.tmp"), new Path(dir, "0.json"), Options.Rename.NONE);
            })
        .size();
  }

  private static void write(FileContext fc, Path p, String text) throws IOException {
    try (var out = fc.create(p, EnumSet.of(CreateFlag.CREATE))) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }
}
