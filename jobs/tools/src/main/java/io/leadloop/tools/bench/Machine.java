package io.leadloop.tools.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** The machine, JVM and engine settings a benchmark ran with. */
final class Machine {
  private Machine() {}

  static Map<String, Object> describe(SparkSession spark) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    m.put(
        "os",
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " "
            + System.getProperty("os.arch"));
    m.put("cpu", cpuModel());
    m.put("cores", Runtime.getRuntime().availableProcessors());
    m.put("memory_bytes", totalMemory());
    m.put("load_average", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    m.put(
        "java",
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    m.put("jvm_flags", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
    m.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
    m.put("spark", spark.version());
    m.put("spark.master", spark.sparkContext().master());
    for (String k :
        new String[] {
          "spark.sql.shuffle.partitions",
          "spark.sql.adaptive.enabled",
          "spark.sql.adaptive.coalescePartitions.enabled",
          "spark.sql.autoBroadcastJoinThreshold",
          "spark.sql.codegen.wholeStage",
          "spark.default.parallelism",
          "spark.driver.memory"
        }) {
      m.put(k, spark.conf().getOption(k).getOrElse(() -> "(default)"));
    }
    try (DuckBaseline db = new DuckBaseline(0, null, null)) {
      m.put("duckdb", db.version());
      m.put("duckdb.threads", db.scalar("SELECT current_setting('threads')"));
    }
    return m;
  }

  /** Physical memory in bytes, or -1. */
  static long totalMemory() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getTotalMemorySize();
    }
    return -1;
  }

  private static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return System.getProperty("os.arch");
  }
}
