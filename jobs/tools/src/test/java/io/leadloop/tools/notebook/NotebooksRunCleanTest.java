package io.leadloop.tools.notebook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadloop.common.SparkTestBase;
import io.leadloop.common.config.ConfigLoader;
import io.leadloop.jobs.TestPaths;
import io.leadloop.jobs.weekly.WeeklyJob;
import io.leadloop.jobs.weekly.WeeklyOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every notebook of {@code notebooks/} (a copy) against the warehouse of a weekly run on the
 * bundled sample: every code cell must succeed and produce its outputs. The committed notebooks
 * must carry outputs too, so the repository shows results; {@code -Dleadloop.notebooks.update=true}
 * writes the fresh run back over them.
 */
class NotebooksRunCleanTest extends SparkTestBase {
  static final List<String> NOTEBOOKS =
      List.of(
          "weekly_funnel.ipynb",
          "recycled_vs_new.ipynb",
          "attribution_models.ipynb",
          "segment_audit.ipynb");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final LocalDate AS_OF = LocalDate.parse("2026-09-27");

  @TempDir static Path tmp;
  private static Path warehouse;

  @BeforeAll
  static void sampleWarehouse() {
    Path samples = TestPaths.repoRoot().resolve("data-samples");
    warehouse = tmp.resolve("wh");
    WeeklyOptions o =
        new WeeklyOptions(
            samples.toString(),
            warehouse.toString(),
            tmp.resolve("out").toString(),
            AS_OF,
            ConfigLoader.load(samples.resolve("config.yaml")),
            Instant.parse("2026-10-01T00:00:00Z"),
            false);
    new WeeklyJob(spark(), o).execute();
  }

  static Stream<Path> notebooks() {
    return NOTEBOOKS.stream().map(n -> TestPaths.repoRoot().resolve("notebooks").resolve(n));
  }

  @ParameterizedTest
  @MethodSource("notebooks")
  void everyCellRunsAndHasOutputs(Path committed) throws Exception {
    assertThat(committed).exists();
    Path copy = Files.createDirectories(tmp.resolve("run")).resolve(committed.getFileName());
    Files.copy(committed, copy, StandardCopyOption.REPLACE_EXISTING);

    NotebookRunner.Result r = new NotebookRunner(spark(), warehouse.toString(), null).run(copy);

    JsonNode nb = JSON.readTree(copy.toFile());
    assertThat(codeCells(nb)).hasSize(r.cellsRun()).hasSizeGreaterThanOrEqualTo(5);
    assertThat(r.tables())
        .contains("mart_cohort_funnel", "segment_members", "rejects", "stg_touches");
    assertRan(nb, committed.getFileName().toString());
    if (Boolean.getBoolean("leadloop.notebooks.update")) {
      Files.copy(copy, committed, StandardCopyOption.REPLACE_EXISTING);
    }
    assertRan(JSON.readTree(committed.toFile()), "committed " + committed.getFileName());
  }

  @Test
  void asOfFillsTheParameterAndLeavesTheSourceAlone() throws Exception {
    Path copy = Files.createDirectories(tmp.resolve("as-of")).resolve("recycled_vs_new.ipynb");
    Files.copy(notebooks().toList().get(1), copy, StandardCopyOption.REPLACE_EXISTING);
    new NotebookRunner(spark(), warehouse.toString(), AS_OF).run(copy);
    JsonNode params = codeCells(JSON.readTree(copy.toFile())).get(0);
    assertThat(NotebookFile.text(params.get("source"))).contains("'${as_of}'");
    JsonNode result = params.get("outputs").get(0);
    assertThat(NotebookFile.text(result.get("data").get("text/plain")))
        .contains("|2026-09-27|2026-09-28 00:00:00|");
  }

  private static void assertRan(JsonNode nb, String name) {
    assertThat(nb.get("nbformat").asInt()).isEqualTo(4);
    assertThat(nb.get("nbformat_minor").asInt()).isGreaterThanOrEqualTo(5);
    int expected = 1;
    for (JsonNode cell : nb.get("cells")) {
      assertThat(cell.path("id").asText()).as(name).matches("[a-zA-Z0-9_-]{1,64}");
      if (!cell.get("cell_type").asText().equals("code")) {
        continue;
      }
      String id = name + " cell " + cell.get("id").asText();
      assertThat(NotebookFile.text(cell.get("source"))).as(id).startsWith("%%sql\n");
      assertThat(cell.get("execution_count").asInt()).as(id).isEqualTo(expected++);
      List<String> types = new ArrayList<>();
      cell.get("outputs").forEach(o -> types.add(o.get("output_type").asText()));
      boolean chart = cell.path("metadata").path("leadloop").has("chart");
      assertThat(types)
          .as(id)
          .isEqualTo(chart ? List.of("display_data", "execute_result") : List.of("execute_result"));
      JsonNode result = cell.get("outputs").get(types.size() - 1);
      assertThat(NotebookFile.text(result.get("data").get("text/html")))
          .as(id)
          .startsWith("<table");
      assertThat(NotebookFile.text(result.get("data").get("text/plain"))).as(id).isNotBlank();
      if (chart) {
        assertThat(NotebookFile.text(cell.get("outputs").get(0).get("data").get("image/svg+xml")))
            .as(id)
            .startsWith("<svg")
            .endsWith("</svg>\n");
      }
    }
  }

  private static List<JsonNode> codeCells(JsonNode nb) {
    List<JsonNode> code = new ArrayList<>();
    nb.get("cells")
        .forEach(
            c -> {
              if (c.get("cell_type").asText().equals("code")) {
                code.add(c);
              }
            });
    return code;
  }
}
