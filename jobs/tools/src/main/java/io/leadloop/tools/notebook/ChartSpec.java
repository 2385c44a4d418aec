package io.leadloop.tools.notebook;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadloop.common.LeadloopException;
import java.util.Optional;

/**
 * A chart asked for by a cell's metadata: {@code "leadloop": {"chart": "bar"|"line", "x": column,
 * "y": column}}, optionally {@code "series": column} (one bar group member or line per value) and
 * {@code "title"}.
 *
 * @param kind {@code bar} or {@code line}
 * @param x the category column (its values in result order)
 * @param y the numeric column
 * @param series the series column, or null for one series
 * @param title the chart's title
 */
record ChartSpec(String kind, String x, String y, String series, String title) {
  static final String METADATA_KEY = "leadloop";

  /** The chart of a cell's metadata, if it asks for one. */
  static Optional<ChartSpec> of(JsonNode cellMetadata) {
    JsonNode m = cellMetadata == null ? null : cellMetadata.get(METADATA_KEY);
    if (m == null || !m.isObject() || !m.has("chart")) {
      return Optional.empty();
    }
    String kind = m.path("chart").asText();
    if (!kind.equals("bar") && !kind.equals("line")) {
      throw new LeadloopException(
          "Cannot draw chart: \"chart\" is '" + kind + "', not bar or line");
    }
    String x = required(m, "x");
    String y = required(m, "y");
    String series = m.hasNonNull("series") ? m.get("series").asText() : null;
    String title = m.hasNonNull("title") ? m.get("title").asText() : y + " by " + x;
    return Optional.of(new ChartSpec(kind, x, y, series, title));
  }

  private static String required(JsonNode m, String key) {
    if (!m.hasNonNull(key) || m.get(key).asText().isBlank()) {
      throw new LeadloopException("Cannot draw chart: metadata leadloop." + key + " is missing");
    }
    return m.get(key).asText();
  }

  /** The index of {@code column} in the result, or a "Cannot draw chart" failure. */
  int column(ResultTable table, String column) {
    int i = table.columns().indexOf(column);
    if (i < 0) {
      throw new LeadloopException(
          "Cannot draw chart: the result has no column '"
              + column
              + "' (it has "
              + table.columns()
              + ")");
    }
    return i;
  }
}
