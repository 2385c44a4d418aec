package io.leadloop.tools.notebook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadloop.common.LeadloopException;
import io.leadloop.common.SparkTestBase;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/** The runner on a two-row warehouse built here: outputs, charts, parameters, a failing cell. */
class NotebookRunnerTest extends SparkTestBase {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SVG = "http://www.w3.org/2000/svg";

  @TempDir Path tmp;
  private Path warehouse;
  private int ids;

  @BeforeEach
  void tinyWarehouse() throws Exception {
    warehouse = tmp.resolve("wh");
    StructType schema =
        new StructType()
            .add("cohort_week", DataTypes.DateType)
            .add("source", DataTypes.StringType)
            .add("leads", DataTypes.LongType)
            .add("as_of", DataTypes.DateType);
    spark()
        .createDataFrame(
            List.of(
                RowFactory.create(
                    Date.valueOf("2026-09-14"), "paid_search", 3L, Date.valueOf("2026-09-27")),
                RowFactory.create(
                    Date.valueOf("2026-09-21"), "<b>&\"x\"", 5L, Date.valueOf("2026-09-27"))),
            schema)
        .write()
        .format("delta")
        .save(warehouse.resolve("mart_cohort_funnel").toString());
    Files.createDirectories(warehouse.resolve("not_a_table"));
  }

  @Test
  void writesOutputsAndTheErrorAndNamesTheFailingCell() throws Exception {
    Path nb =
        notebook(
            markdown("# Title"),
            code(
                "{\"leadloop\": {\"chart\": \"bar\", \"x\": \"cohort_week\", \"y\": \"leads\","
                    + " \"series\": \"source\"}}",
                "%%sql\\n",
                "CREATE OR REPLACE TEMP VIEW w AS SELECT * FROM mart_cohort_funnel;\\n",
                "SELECT cohort_week, source, leads FROM w ORDER BY cohort_week"),
            code("{}", "%%sql\\n", "SELECT * FROM no_such_table"),
            code("{}", "SELECT 1 AS never_run"));

    assertThatThrownBy(() -> new NotebookRunner(spark(), warehouse.toString(), null).run(nb))
        .isInstanceOf(NotebookCellException.class)
        .isInstanceOf(LeadloopException.class)
        .hasMessageStartingWith("Cannot run notebook " + nb + ": cell 2 (In [2]) failed: ")
        .hasMessageContaining("no_such_table")
        .satisfies(e -> assertThat(((NotebookCellException) e).cellIndex()).isEqualTo(2));

    JsonNode cells = JSON.readTree(nb.toFile()).get("cells");
    assertThat(cells.get(0).has("outputs")).isFalse();
    JsonNode ok = cells.get(1);
    assertThat(ok.get("execution_count").asInt()).isEqualTo(1);
    assertThat(ok.get("outputs")).hasSize(2);
    JsonNode chart = ok.get("outputs").get(0);
    assertThat(chart.get("output_type").asText()).isEqualTo("display_data");
    String svg = text(chart.get("data").get("image/svg+xml"));
    assertThat(svg).startsWith("<svg").endsWith("</svg>\n").doesNotContain("<b>&");
    // a standalone image: title, both cohort weeks, both sources in the legend (escaped), one bar
    // each in the first two colours of the report's palette
    assertThat(texts(svg))
        .contains("leads by cohort_week", "2026-09-14", "2026-09-21", "paid_search", "<b>&\"x\"");
    assertThat(bars(svg, "rgb(0,114,178)")).isEqualTo(1);
    assertThat(bars(svg, "rgb(230,159,0)")).isEqualTo(1);
    JsonNode result = ok.get("outputs").get(1);
    assertThat(result.get("output_type").asText()).isEqualTo("execute_result");
    assertThat(result.get("execution_count").asInt()).isEqualTo(1);
    assertThat(text(result.get("data").get("text/html")))
        .contains("<th>cohort_week</th><th>source</th><th>leads</th>")
        .contains("<td>2026-09-14</td><td>paid_search</td><td style=\"text-align: right\">3</td>")
        .contains("<td>&lt;b&gt;&amp;&quot;x&quot;</td>")
        .doesNotContain("<b>&")
        .contains("<p>2 rows</p>");
    assertThat(text(result.get("data").get("text/plain")))
        .contains("|cohort_week|source     |leads|")
        .contains("|2026-09-14 |paid_search|    3|");

    JsonNode failed = cells.get(2);
    assertThat(failed.get("execution_count").asInt()).isEqualTo(2);
    assertThat(failed.get("outputs")).hasSize(1);
    JsonNode error = failed.get("outputs").get(0);
    assertThat(error.get("output_type").asText()).isEqualTo("error");
    assertThat(error.get("ename").asText()).isNotBlank();
    assertThat(error.get("evalue").asText()).contains("TABLE_OR_VIEW_NOT_FOUND");
    assertThat(error.get("traceback").isArray()).isTrue();

    JsonNode notRun = cells.get(3);
    assertThat(notRun.get("execution_count").isNull()).isTrue();
    assertThat(notRun.get("outputs")).isEmpty();
  }

  @Test
  void substitutesAsOfCapsTablesAndWritesTheSameFileTwice() throws Exception {
    Path nb =
        notebook(
            code(
                "{\"leadloop\": {\"chart\": \"line\", \"x\": \"id\", \"y\": \"twice\"}}",
                "%%sql\\n",
                "SELECT id, id * 2 AS twice FROM range(120) ORDER BY id"),
            code(
                "{\"leadloop\": {\"chart\": \"bar\", \"x\": \"k\", \"y\": \"rate\", \"title\": \"r\"}}",
                "%%sql\\n",
                "SELECT 'a' AS k, 0.4 AS rate"),
            code(
                "{}",
                "%%sql\\n",
                "-- parameter\\n",
                "SELECT count(*) AS n FROM mart_cohort_funnel WHERE as_of = '${as_of}'"));
    NotebookRunner runner =
        new NotebookRunner(spark(), warehouse.toString(), LocalDate.parse("2026-09-27"));
    NotebookRunner.Result r = runner.run(nb);
    assertThat(r.cellsRun()).isEqualTo(3);
    assertThat(r.tables()).containsExactly("mart_cohort_funnel");
    String first = Files.readString(nb);
    runner.run(nb);
    assertThat(Files.readString(nb)).isEqualTo(first);

    JsonNode cells = JSON.readTree(first).get("cells");
    String html = text(cells.get(0).get("outputs").get(1).get("data").get("text/html"));
    assertThat(html.split("<tr>", -1)).hasSize(1 + 1 + NotebookRunner.MAX_TABLE_ROWS);
    assertThat(html).contains("showing the first 50 of 120 rows");
    // a line over the 120 ids, named in the legend, on a plain axis (up to twice 119 = 238); 40
    // labels at most along x: every third id
    List<String> line =
        texts(text(cells.get(0).get("outputs").get(0).get("data").get("image/svg+xml")));
    assertThat(line)
        .contains("twice by id", "twice", "0", "3", "117", "200")
        .doesNotContain("1", "119", "100%");
    // a column named rate is drawn as percentages: ticks every 25% and the bar labelled 40.00%
    List<String> rate =
        texts(text(cells.get(1).get("outputs").get(0).get("data").get("image/svg+xml")));
    assertThat(rate).contains("r", "a", "0%", "25%", "100%", "40.00%");
    assertThat(text(cells.get(2).get("outputs").get(0).get("data").get("text/plain")))
        .contains("|2|");
    // nbformat layout: one-space indent, sorted keys, a final newline
    assertThat(first)
        .startsWith("{\n \"cells\": [\n  {\n   \"cell_type\": \"code\",")
        .endsWith("}\n");
  }

  @Test
  void refusesAMissingWarehouseAndABadChart() throws Exception {
    Path nb =
        notebook(
            code(
                "{\"leadloop\": {\"chart\": \"pie\", \"x\": \"a\", \"y\": \"b\"}}",
                "SELECT 1 AS a"));
    assertThatThrownBy(
            () -> new NotebookRunner(spark(), tmp.resolve("nowhere").toString(), null).run(nb))
        .hasMessageStartingWith("Cannot register warehouse tables: ")
        .hasMessageContaining("does not exist");
    assertThatThrownBy(() -> new NotebookRunner(spark(), warehouse.toString(), null).run(nb))
        .hasMessageContaining(
            "cell 0 (In [1]) failed: Cannot draw chart: \"chart\" is 'pie', not bar or line");
  }

  @Test
  void splitsCellsIntoStatements() {
    assertThat(
            SqlCell.parse(
                "%%sql -o df\nSELECT 1;\n\n-- only a comment;\nSELECT ${as_of}\n",
                LocalDate.parse("2026-09-27")))
        .hasValueSatisfying(
            c -> assertThat(c.statements()).containsExactly("SELECT 1", "SELECT 2026-09-27"));
    assertThat(SqlCell.parse("%sql\nSELECT '${as_of}'", null))
        .hasValueSatisfying(c -> assertThat(c.statements()).containsExactly("SELECT '${as_of}'"));
    assertThat(SqlCell.parse("SELECT a,\n  b\nFROM t;", null))
        .hasValueSatisfying(
            c -> assertThat(c.statements()).containsExactly("SELECT a,\n  b\nFROM t"));
    assertThat(SqlCell.parse("%%pyspark\nspark.range(1)", null)).isEmpty();
    assertThat(SqlCell.parse("%%sql\n\n", null)).isEmpty();
  }

  private Path notebook(String... cells) throws Exception {
    String json =
        "{\"cells\": ["
            + String.join(",", cells)
            + "], \"metadata\": {}, \"nbformat\": 4, \"nbformat_minor\": 5}";
    Path p = tmp.resolve("test.ipynb");
    Files.writeString(p, json, StandardCharsets.UTF_8);
    return p;
  }

  private String markdown(String source) {
    return "{\"cell_type\": \"markdown\", \"id\": \"c"
        + ids++
        + "\", \"metadata\": {}, \"source\": \""
        + source
        + "\"}";
  }

  private String code(String metadata, String... lines) {
    return "{\"cell_type\": \"code\", \"execution_count\": 7, \"id\": \"c"
        + ids++
        + "\", \"metadata\": "
        + metadata
        + ", \"outputs\": [{\"output_type\": \"stream\", \"name\": \"stdout\", \"text\":"
        + " \"stale\"}], \"source\": [\""
        + String.join("\", \"", lines)
        + "\"]}";
  }

  private static String text(JsonNode multiline) {
    return NotebookFile.text(multiline);
  }

  /** The texts an SVG chart shows (parsed as XML: it must be a well-formed, standalone SVG). */
  private static List<String> texts(String svg) throws Exception {
    Element root = svgDocument(svg);
    assertThat(root.getLocalName()).isEqualTo("svg");
    assertThat(root.getAttribute("width")).isEqualTo("760");
    NodeList nodes = root.getElementsByTagNameNS(SVG, "text");
    List<String> out = new ArrayList<>();
    for (int i = 0; i < nodes.getLength(); i++) {
      out.add(nodes.item(i).getTextContent());
    }
    return out;
  }

  /** How many rectangles the chart fills with {@code color} (its bars of one series). */
  private static int bars(String svg, String color) throws Exception {
    NodeList nodes = svgDocument(svg).getElementsByTagNameNS(SVG, "rect");
    int n = 0;
    for (int i = 0; i < nodes.getLength(); i++) {
      String style = ((Element) nodes.item(i)).getAttribute("style");
      n += style.contains("fill:" + color) ? 1 : 0;
    }
    return n;
  }

  private static Element svgDocument(String svg) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    return f.newDocumentBuilder()
        .parse(new InputSource(new StringReader(svg)))
        .getDocumentElement();
  }
}
