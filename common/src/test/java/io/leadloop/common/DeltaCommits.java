package io.leadloop.common;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** Reads a Delta table's commit files directly, for tests of what a commit holds. */
public final class DeltaCommits {
  private DeltaCommits() {}

  /** The table properties the metaData action of commit {@code version} of {@code table} sets. */
  public static Map<String, String> configuration(Path table, long version) throws IOException {
    Path commit = table.resolve("_delta_log").resolve(String.format("%020d.json", version));
    ObjectMapper mapper = new ObjectMapper();
    for (String line : Files.readAllLines(commit)) {
      var metaData = mapper.readTree(line).get("metaData");
      if (metaData != null) {
        Map<String, String> conf = new TreeMap<>();
        metaData
            .get("configuration")
            .properties()
            .forEach(f -> conf.put(f.getKey(), f.getValue().asText()));
        return conf;
      }
    }
    throw new AssertionError("no metaData in " + commit);
  }
}
