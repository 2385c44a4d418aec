package io.leadloop.jobs.weekly;

import io.leadloop.common.LeadloopException;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One run at a time per warehouse: {@code <warehouse>/_leadloop.lock}, created atomically (O_EXCL)
 * and holding the owner's pid, host and start time. A second run is refused with a message naming
 * the owner. A stale lock (its process is gone on this host, or it is older than {@link
 * #STALE_AFTER}) is taken over. Local warehouses only: on object stores, where there is no atomic
 * create, the lock is skipped and one writer at a time is the operator's rule (see
 * docs/reliability.md).
 */
public final class WarehouseLock implements AutoCloseable {
  public static final String FILE = "_leadloop.lock";
  public static final Duration STALE_AFTER = Duration.ofHours(12);
  private final Path path;

  private WarehouseLock(Path path) {
    this.path = path;
  }

  public static WarehouseLock acquire(String warehouse) {
    if (warehouse.contains("://") && !warehouse.startsWith("file:")) {
      return new WarehouseLock(null);
    }
    Path dir = Path.of(warehouse.replaceFirst("^file:(//)?", ""));
    Path lock = dir.resolve(FILE);
    String me = ProcessHandle.current().pid() + " " + host() + " " + Instant.now();
    try {
      Files.createDirectories(dir);
      for (int attempt = 0; attempt < 2; attempt++) {
        try {
          Files.writeString(Files.createFile(lock), me, StandardCharsets.UTF_8);
          return new WarehouseLock(lock);
        } catch (FileAlreadyExistsException e) {
          String owner = readOwner(lock);
          if (attempt == 0 && stale(owner)) {
            Files.deleteIfExists(lock);
            continue;
          }
          throw new LeadloopException(
              "Cannot run: another leadloop run holds the warehouse lock "
                  + lock
                  + " (pid, host, start: "
                  + owner
                  + "); wait for it, or delete the file if that run is gone");
        }
      }
    } catch (IOException e) {
      throw new LeadloopException("Cannot lock warehouse " + warehouse + ": " + e.getMessage(), e);
    }
    throw new LeadloopException("Cannot lock warehouse " + warehouse);
  }

  static boolean stale(String owner) {
    String[] p = owner.split(" ");
    if (p.length < 3) {
      return true;
    }
    try {
      if (Instant.parse(p[2]).plus(STALE_AFTER).isBefore(Instant.now())) {
        return true;
      }
      Optional<ProcessHandle> h = ProcessHandle.of(Long.parseLong(p[0]));
      return p[1].equals(host()) && (h.isEmpty() || !h.get().isAlive());
    } catch (RuntimeException e) {
      return true;
    }
  }

  private static String readOwner(Path lock) {
    try {
      return Files.readString(lock).strip();
    } catch (IOException e) {
      return "";
    }
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown";
    }
  }

  @Override
  public void close() {
    if (path != null) {
      try {
        Files.deleteIfExists(path);
      } catch (IOException e) {
        // a leftover lock is recovered as stale by the next run
      }
    }
  }
}
