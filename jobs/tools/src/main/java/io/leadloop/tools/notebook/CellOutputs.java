package io.leadloop.tools.notebook;

import static io.leadloop.tools.notebook.NotebookFile.NODES;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The nbformat 4 output objects the runner writes into code cells. */
final class CellOutputs {
  private CellOutputs() {}

  /** The cell's value: its result as an HTML table and a text table. */
  static ObjectNode result(ResultTable table, int maxRows, int executionCount) {
    ObjectNode data = NODES.objectNode();
    data.set("text/html", NotebookFile.lines(table.html(maxRows)));
    data.set("text/plain", NotebookFile.lines(table.plain(maxRows)));
    ObjectNode o = NODES.objectNode();
    o.put("output_type", "execute_result");
    o.put("execution_count", executionCount);
    o.set("data", data);
    o.set("metadata", NODES.objectNode());
    return o;
  }

  /** A chart, displayed before the cell's value. */
  static ObjectNode chart(ChartSpec spec, String svg) {
    ObjectNode data = NODES.objectNode();
    data.set("image/svg+xml", NotebookFile.lines(svg));
    data.set("text/plain", NotebookFile.lines("<" + spec.kind() + " chart: " + spec.title() + ">"));
    ObjectNode o = NODES.objectNode();
    o.put("output_type", "display_data");
    o.set("data", data);
    o.set("metadata", NODES.objectNode());
    return o;
  }

  /** A failure: its class, first message line and the whole message as the traceback. */
  static ObjectNode error(Throwable e) {
    String message = message(e);
    ArrayNode traceback = NODES.arrayNode();
    for (String line : message.split("\n")) {
      traceback.add(line);
    }
    ObjectNode o = NODES.objectNode();
    o.put("output_type", "error");
    o.put("ename", e.getClass().getSimpleName());
    o.put("evalue", firstLine(e));
    o.set("traceback", traceback);
    return o;
  }

  static String firstLine(Throwable e) {
    String m = message(e).strip();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl).strip();
  }

  private static String message(Throwable e) {
    return e.getMessage() == null ? e.getClass().getName() : e.getMessage();
  }
}
