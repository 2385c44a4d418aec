package io.leadloop.tools.generate;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link Generator#execute()} wrote.
 *
 * @param rows data rows written per entity folder (bad rows included, headers excluded), in the
 *     contract's entity order; what an ingest of the set reports as rows read
 * @param badRows of those, the deliberately bad rows per entity; what an ingest rejects
 * @param files the written files, relative to the landing folder, in writing order of entities
 * @param bytes total size of the written files
 * @param seconds wall time of the run
 */
public record GenerateResult(
    Map<String, Long> rows,
    Map<String, Long> badRows,
    List<String> files,
    long bytes,
    double seconds) {

  public GenerateResult {
    rows = Collections.unmodifiableMap(new LinkedHashMap<>(rows));
    badRows = Collections.unmodifiableMap(new LinkedHashMap<>(badRows));
    files = List.copyOf(files);
  }

  /** Data rows written over all entities. */
  public long totalRows() {
    return rows.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Bad rows written over all entities. */
  public long totalBadRows() {
    return badRows.values().stream().mapToLong(Long::longValue).sum();
  }
}
