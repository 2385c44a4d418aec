package io.leadloop.jobs.storage;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * What a Hadoop file system guarantees when a folder is published, and the object-store way to
 * publish one.
 *
 * <p>On a local folder or HDFS a folder written under a temporary name and renamed into place
 * appears whole or not at all. On S3A a folder rename copies each object and then deletes the
 * originals, so readers can see part of the folder (and, in copy order, {@code manifest.json}
 * before the files it lists). There, {@link #publishManifestLast} writes each file in place (an S3
 * object becomes visible only when its upload completes, whole) and the manifest last: a folder is
 * complete exactly when its manifest is there and its files match the manifest's checksums.
 */
public final class ObjectStores {
  /** Schemes whose directory rename is atomic (local folders, HDFS and HDFS federation). */
  static final Set<String> ATOMIC_RENAME_SCHEMES = Set.of("file", "hdfs", "viewfs");

  private ObjectStores() {}

  /** Whether renaming a folder on {@code fs} is atomic (otherwise: an object store). */
  public static boolean atomicDirectoryRename(FileSystem fs) {
    // getUri(), not getScheme(): the raw local file system does not implement the latter
    return ATOMIC_RENAME_SCHEMES.contains(fs.getUri().getScheme());
  }

  /**
   * Publishes {@code content} (file name → text) as the folder {@code target}, the file named
   * {@code manifest} last. An earlier publication of the same folder is first made incomplete (its
   * manifest removed), its files are overwritten, and files it had that {@code content} does not
   * are deleted before the new manifest is written. {@code afterEachFile} runs after each file
   * (fault-injection point). A run that fails part way leaves a folder without manifest, which
   * readers treat as not published; re-running the same as-of completes it.
   */
  public static void publishManifestLast(
      FileSystem fs,
      Path target,
      Map<String, String> content,
      String manifest,
      Runnable afterEachFile)
      throws IOException {
    if (!content.containsKey(manifest)) {
      throw new IllegalArgumentException("no " + manifest + " in " + content.keySet());
    }
    unpublish(fs, target, manifest);
    for (var e : content.entrySet()) {
      if (!e.getKey().equals(manifest)) {
        write(fs, new Path(target, e.getKey()), e.getValue());
        afterEachFile.run();
      }
    }
    publish(fs, target, content.keySet(), manifest, content.get(manifest));
    afterEachFile.run();
  }

  /**
   * The first half of {@link #publishManifestLast} for files written by the caller: makes an
   * earlier publication of {@code target} incomplete (its manifest removed) before its files are
   * overwritten.
   */
  public static void unpublish(FileSystem fs, Path target, String manifest) throws IOException {
    fs.delete(new Path(target, manifest), false);
  }

  /**
   * The second half: deletes files of {@code target} not in {@code names} (left by an earlier
   * publication), then writes the manifest, which completes the folder.
   */
  public static void publish(
      FileSystem fs, Path target, java.util.Collection<String> names, String manifest, String text)
      throws IOException {
    if (fs.exists(target)) {
      for (FileStatus st : fs.listStatus(target)) {
        String name = st.getPath().getName();
        if (!names.contains(name) && !name.equals(manifest)) {
          fs.delete(st.getPath(), true);
        }
      }
    }
    write(fs, new Path(target, manifest), text);
  }

  /**
   * Writes one object in place: on S3A the object appears (or is replaced) only when {@code close}
   * completes the upload, so no temporary name and copy are needed.
   */
  static void write(FileSystem fs, Path p, String text) throws IOException {
    try (OutputStream out = fs.create(p, true)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }
}
