package io.leadloop.jobs.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadloop.jobs.TestPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Compares two output folders of weekly runs on the same inputs (e.g. local vs S3, local mode vs a
 * cluster): the same files; metric, segment and export CSVs byte for byte (a trailing {@code
 * run_id} column aside); manifest.json apart from its run_id; run.json's entity counts.
 */
public final class Outputs {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Outputs() {}

  /** Relative path → content of every file under {@code root}, hidden files excluded. */
  public static Map<String, String> files(Path root) throws IOException {
    Map<String, String> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path f : s.filter(Files::isRegularFile).toList()) {
        String rel = root.relativize(f).toString().replace('\\', '/');
        if (Stream.of(rel.split("/")).noneMatch(p -> p.startsWith("."))) {
          m.put(rel, Files.readString(f, StandardCharsets.UTF_8));
        }
      }
    }
    return m;
  }

  /**
   * Asserts that {@code actual} holds the same outputs as {@code expected}; returns the file count.
   */
  public static int assertSame(Path expected, Path actual) throws IOException {
    Map<String, String> e = files(expected);
    Map<String, String> a = files(actual);
    assertThat(a.keySet()).as("files under " + actual).isEqualTo(e.keySet());
    assertThat(e.keySet())
        .anyMatch(k -> k.contains("/metrics/"))
        .anyMatch(k -> k.startsWith("exports/"));
    for (String k : e.keySet()) {
      String ev = normalize(k, e.get(k));
      String av = normalize(k, a.get(k));
      assertThat(av).as(k).isEqualTo(ev);
    }
    return e.size();
  }

  static String normalize(String name, String content) throws IOException {
    if (name.endsWith("run.json")) {
      return JSON.readTree(content).get("entities").toPrettyString();
    }
    if (name.endsWith("manifest.json")) {
      ObjectNode n = (ObjectNode) JSON.readTree(content);
      n.remove("run_id");
      return n.toPrettyString();
    }
    if (name.endsWith(".csv")) {
      String[] lines = content.split("\n", -1);
      if (lines[0].endsWith(",run_id")) {
        StringBuilder sb = new StringBuilder();
        for (String l : lines) {
          sb.append(l.isEmpty() ? l : l.substring(0, l.lastIndexOf(','))).append('\n');
        }
        return sb.toString();
      }
      return content;
    }
    if (name.endsWith(".html")) {
      return "(report: run-specific)";
    }
    return content;
  }

  /** Runs {@code ../shared/conformance/check.py}; returns its report, asserting all files match. */
  public static String check(Path expected, Path out) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                "python3",
                TestPaths.shared().resolve("conformance/check.py").toString(),
                expected.toString(),
                out.toString())
            .redirectErrorStream(true)
            .start();
    String report = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int status = p.waitFor();
    assertThat(report).contains("13 of 13 files match");
    assertThat(status).as(report).isZero();
    return report;
  }
}
