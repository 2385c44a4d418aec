package io.leadloop.tools.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Memory of one benchmark phase, sampled by a daemon thread every {@link #PERIOD_MS} ms: the JVM
 * heap in use (live and not yet collected objects), the heap left after the latest collection of
 * each pool (about the live set), the sum of the heap pools' own peaks (reset at the start; an
 * upper bound, the pools peak at different times), the process's resident set size (Linux; the JVM
 * plus native memory such as DuckDB's), and GC count and time.
 */
final class ResourceSampler implements AutoCloseable {
  static final long PERIOD_MS = 50;
  private static final Path STATUS = Path.of("/proc/self/status");

  /** What one phase used; sizes in bytes, -1 when not known. */
  record Usage(
      long peakHeapUsed,
      long peakHeapAfterGc,
      long sumOfPoolPeaks,
      long maxHeap,
      long peakRss,
      long gcCount,
      long gcMillis) {}

  private final List<MemoryPoolMXBean> pools;
  private final long gcCount0;
  private final long gcMillis0;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile long peakHeap;
  private volatile long peakAfterGc;
  private volatile long peakRss = -1;

  ResourceSampler() {
    pools =
        ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP && p.isValid())
            .toList();
    pools.forEach(MemoryPoolMXBean::resetPeakUsage);
    gcCount0 = gcCount();
    gcMillis0 = gcMillis();
    sample();
    thread = new Thread(this::loop, "bench-resource-sampler");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    while (running) {
      sample();
      try {
        Thread.sleep(PERIOD_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void sample() {
    long used = 0;
    long afterGc = 0;
    for (MemoryPoolMXBean p : pools) {
      used += p.getUsage().getUsed();
      MemoryUsage c = p.getCollectionUsage();
      afterGc += c == null ? 0 : c.getUsed();
    }
    peakHeap = Math.max(peakHeap, used);
    peakAfterGc = Math.max(peakAfterGc, afterGc);
    long rss = rss();
    if (rss >= 0) {
      peakRss = Math.max(peakRss, rss);
    }
  }

  Usage stop() {
    running = false;
    thread.interrupt();
    try {
      thread.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    sample();
    long poolPeaks = pools.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    return new Usage(
        peakHeap,
        peakAfterGc,
        poolPeaks,
        Runtime.getRuntime().maxMemory(),
        peakRss,
        gcCount() - gcCount0,
        gcMillis() - gcMillis0);
  }

  @Override
  public void close() {
    running = false;
  }

  private static long gcCount() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream()
        .mapToLong(GarbageCollectorMXBean::getCollectionCount)
        .filter(x -> x > 0)
        .sum();
  }

  private static long gcMillis() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream()
        .mapToLong(GarbageCollectorMXBean::getCollectionTime)
        .filter(x -> x > 0)
        .sum();
  }

  /** VmRSS of this process in bytes, or -1 off Linux. */
  static long rss() {
    return statusKb("VmRSS:");
  }

  private static long statusKb(String key) {
    try {
      for (String line : Files.readAllLines(STATUS)) {
        if (line.startsWith(key)) {
          String v = line.substring(key.length()).trim();
          return Long.parseLong(v.substring(0, v.indexOf(' '))) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
