package io.leadloop.tools.notebook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadloop.common.LeadloopException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One {@code .ipynb} file (nbformat 4) as a Jackson tree. It is written back the way Jupyter's
 * {@code nbformat} writes notebooks (keys sorted, one-space indent, multi-line strings as arrays of
 * lines, a final newline), so a notebook saved by Jupyter and re-run here differs only in its
 * outputs.
 */
final class NotebookFile {
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Path path;
  private final ObjectNode root;

  private NotebookFile(Path path, ObjectNode root) {
    this.path = path;
    this.root = root;
  }

  static NotebookFile read(Path path) {
    JsonNode tree;
    try {
      tree = MAPPER.readTree(Files.readString(path, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new LeadloopException("Cannot read notebook " + path + ": " + e.getMessage(), e);
    }
    if (tree == null || !tree.isObject()) {
      throw new LeadloopException("Cannot read notebook " + path + ": not a JSON object");
    }
    if (tree.path("nbformat").asInt(-1) != 4) {
      throw new LeadloopException(
          "Cannot read notebook " + path + ": nbformat is " + tree.path("nbformat") + ", not 4");
    }
    if (!tree.path("cells").isArray()) {
      throw new LeadloopException("Cannot read notebook " + path + ": no cells array");
    }
    return new NotebookFile(path, (ObjectNode) tree);
  }

  Path path() {
    return path;
  }

  /** The cells, in order (each an object with {@code cell_type}). */
  List<ObjectNode> cells() {
    List<ObjectNode> cells = new ArrayList<>();
    for (JsonNode c : root.path("cells")) {
      if (!c.isObject()) {
        throw new LeadloopException("Cannot read notebook " + path + ": a cell is not an object");
      }
      cells.add((ObjectNode) c);
    }
    return cells;
  }

  /** Forgets every code cell's outputs and execution count (a fresh run starts clean). */
  void clearOutputs() {
    for (ObjectNode c : cells()) {
      if ("code".equals(c.path("cell_type").asText())) {
        c.set("outputs", NODES.arrayNode());
        c.putNull("execution_count");
      }
    }
  }

  void write() {
    try {
      Files.writeString(path, toJson(root), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new LeadloopException("Cannot write notebook " + path + ": " + e.getMessage(), e);
    }
  }

  /** The text of a multi-line string field (a string or an array of lines). */
  static String text(JsonNode multiline) {
    if (multiline == null || multiline.isNull() || multiline.isMissingNode()) {
      return "";
    }
    if (multiline.isTextual()) {
      return multiline.asText();
    }
    StringBuilder b = new StringBuilder();
    for (JsonNode line : multiline) {
      b.append(line.asText());
    }
    return b.toString();
  }

  /** {@code text} as nbformat stores it: lines, each but the last keeping its {@code \n}. */
  static ArrayNode lines(String text) {
    ArrayNode a = NODES.arrayNode();
    int start = 0;
    while (start < text.length()) {
      int nl = text.indexOf('\n', start);
      int end = nl < 0 ? text.length() : nl + 1;
      a.add(text.substring(start, end));
      start = end;
    }
    return a;
  }

  /** JSON as nbformat writes it: sorted keys, indent 1, {@code ": "}, trailing newline. */
  static String toJson(JsonNode node) {
    Separators separators =
        Separators.createDefaultInstance()
            .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
            .withObjectEmptySeparator("")
            .withArrayEmptySeparator("");
    DefaultIndenter indent = new DefaultIndenter(" ", "\n");
    DefaultPrettyPrinter printer =
        new DefaultPrettyPrinter(separators).withObjectIndenter(indent).withArrayIndenter(indent);
    try {
      return MAPPER.writer(printer).writeValueAsString(sorted(node)) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode sorted(JsonNode node) {
    if (node.isObject()) {
      Map<String, JsonNode> fields = new TreeMap<>();
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        fields.put(e.getKey(), sorted(e.getValue()));
      }
      ObjectNode o = NODES.objectNode();
      fields.forEach(o::set);
      return o;
    }
    if (node.isArray()) {
      ArrayNode a = NODES.arrayNode();
      node.forEach(n -> a.add(sorted(n)));
      return a;
    }
    return node;
  }
}
