package io.leadloop.jobs.weekly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leadloop.common.LeadloopException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WarehouseLockTest {
  @TempDir Path tmp;

  @Test
  void secondRunIsRefusedAndStaleLocksAreRecovered() throws Exception {
    String wh = tmp.resolve("wh").toString();
    try (WarehouseLock first = WarehouseLock.acquire(wh)) {
      assertThatThrownBy(() -> WarehouseLock.acquire(wh))
          .isInstanceOf(LeadloopException.class)
          .hasMessageContaining("another leadloop run holds the warehouse lock")
          .hasMessageContaining(String.valueOf(ProcessHandle.current().pid()));
    }
    // released on close
    WarehouseLock.acquire(wh).close();
    // a lock left by a process that no longer exists on this host is taken over
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Files.writeString(
        tmp.resolve("wh").resolve(WarehouseLock.FILE),
        gone.pid() + " " + InetAddress.getLocalHost().getHostName() + " " + Instant.now());
    try (WarehouseLock taken = WarehouseLock.acquire(wh)) {
      assertThat(Files.readString(tmp.resolve("wh").resolve(WarehouseLock.FILE)))
          .startsWith(ProcessHandle.current().pid() + " ");
    }
    // a lock older than 12 hours is stale even if its pid is alive
    Files.writeString(
        tmp.resolve("wh").resolve(WarehouseLock.FILE),
        ProcessHandle.current().pid() + " otherhost " + Instant.now().minusSeconds(13 * 3600));
    WarehouseLock.acquire(wh).close();
  }
}
