package io.leadloop.tools.notebook;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Runs a Jupyter notebook of Spark SQL cells against a warehouse and writes it back in place with
 * its outputs, as papermill does for a Jupyter kernel.
 *
 * <p>Every Delta table under the warehouse becomes a temporary view named by its folder, and every
 * mart of its {@code marts} table a view named by the mart. All outputs are cleared; then each code
 * cell (see {@link SqlCell}: an optional {@code %%sql} first line, statements separated by lines
 * ending in {@code ;}, {@code ${as_of}} replaced when an as-of date is given) runs in order and
 * gets an execution count and, as its value, the last statement's result as an HTML table (at most
 * {@value #MAX_TABLE_ROWS} rows, values escaped) and a text table; a cell whose metadata holds
 * {@code "leadloop": {"chart": "bar"|"line", "x": .., "y": ..}} also gets an SVG chart of up to
 * {@value ResultTable#MAX_COLLECTED} rows. The first failing cell gets an {@code error} output, the
 * notebook is written back and {@link NotebookCellException} is thrown; later cells stay without
 * outputs. Markdown and non-SQL cells are left as they are.
 */
public final class NotebookRunner {
  /** Rows shown in a cell's table. */
  public static final int MAX_TABLE_ROWS = 50;

  private static final String METADATA_ONLY_QUERIES =
      "spark.databricks.delta.optimizeMetadataQuery.enabled";

  private final SparkSession spark;
  private final String warehouse;
  private final LocalDate asOf;

  /**
   * What a run did.
   *
   * @param notebook the notebook, written back with its outputs
   * @param cellsRun code cells executed
   * @param tables the warehouse tables registered as views, sorted
   */
  public record Result(Path notebook, int cellsRun, List<String> tables) {}

  /**
   * @param spark the session (Delta enabled, as {@code Sessions} builds it)
   * @param warehouse the warehouse location (a folder or {@code s3a://} prefix of Delta tables)
   * @param asOfOrNull the value of {@code ${as_of}}; null leaves the parameter to Spark's own
   *     variable substitution (empty unless the session sets {@code as_of})
   */
  public NotebookRunner(SparkSession spark, String warehouse, LocalDate asOfOrNull) {
    this.spark = spark;
    this.warehouse = warehouse;
    this.asOf = asOfOrNull;
  }

  /** Runs {@code notebook} and writes it back in place; a failing cell throws after the write. */
  public Result run(Path notebook) {
    // Delta answers an ungrouped min/max from file statistics as java.sql.Date, which fails under
    // the session's java.time API (ClassCastException): off for the notebook's queries.
    scala.Option<String> before = spark.conf().getOption(METADATA_ONLY_QUERIES);
    spark.conf().set(METADATA_ONLY_QUERIES, "false");
    try {
      return runCells(notebook);
    } finally {
      if (before.isDefined()) {
        spark.conf().set(METADATA_ONLY_QUERIES, before.get());
      } else {
        spark.conf().unset(METADATA_ONLY_QUERIES);
      }
    }
  }

  private Result runCells(Path notebook) {
    NotebookFile nb = NotebookFile.read(notebook);
    List<String> tables = WarehouseViews.register(spark, warehouse);
    nb.clearOutputs();
    List<ObjectNode> cells = nb.cells();
    int count = 0;
    for (int i = 0; i < cells.size(); i++) {
      ObjectNode cell = cells.get(i);
      if (!"code".equals(cell.path("cell_type").asText())) {
        continue;
      }
      Optional<SqlCell> sql = SqlCell.parse(NotebookFile.text(cell.get("source")), asOf);
      if (sql.isEmpty()) {
        continue;
      }
      count++;
      cell.put("execution_count", count);
      ArrayNode outputs = cell.putArray("outputs");
      try {
        outputs.addAll(execute(sql.get(), cell, count));
      } catch (Exception e) {
        outputs.add(CellOutputs.error(e));
        nb.write();
        throw new NotebookCellException(notebook, i, count, CellOutputs.firstLine(e), e);
      }
    }
    nb.write();
    return new Result(notebook, count, tables);
  }

  private List<ObjectNode> execute(SqlCell sql, ObjectNode cell, int count) {
    Dataset<Row> last = null;
    for (String statement : sql.statements()) {
      last = spark.sql(statement);
    }
    ResultTable table = ResultTable.collect(last);
    List<ObjectNode> outputs = new ArrayList<>();
    Optional<ChartSpec> chart = ChartSpec.of(cell.get("metadata"));
    if (chart.isPresent()) {
      String svg = ResultChart.render(chart.get(), table, "chart-" + count);
      outputs.add(CellOutputs.chart(chart.get(), svg));
    }
    outputs.add(CellOutputs.result(table, MAX_TABLE_ROWS, count));
    return outputs;
  }
}
