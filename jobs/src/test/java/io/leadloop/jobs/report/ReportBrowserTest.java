package io.leadloop.jobs.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.leadloop.common.SparkTestBase;
import io.leadloop.common.config.ConfigLoader;
import io.leadloop.common.config.LeadloopConfig;
import io.leadloop.jobs.SharedRuns;
import io.leadloop.jobs.TestPaths;
import io.leadloop.jobs.weekly.WeeklyJob;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the weekly job on data-samples, writes report.html, and renders it in headless Chromium as a
 * reader would see it: a screenshot, and the DOM after rendering, checked with jsoup (every section
 * and chart present, nothing fetched from the network, no number below the small-cell threshold
 * visible in a table, tile or chart). The page and its screenshot are kept under {@code
 * target/report-browser/} for a look.
 */
class ReportBrowserTest extends SparkTestBase {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final List<String> SECTIONS =
      List.of(
          "bookings",
          "rates",
          "comparison",
          "speed",
          "stalls",
          "attribution",
          "segments",
          "outcomes",
          "quality");
  static final List<String> CHARTS =
      List.of(
          "chart-bookings",
          "chart-rates",
          "chart-comparison",
          "chart-speed",
          "chart-stalls",
          "chart-attribution",
          "chart-segments");
  private static final Pattern NUMBER = Pattern.compile("[0-9][0-9,]*(\\.[0-9]+)?");

  @TempDir static Path tmp;
  static Path html;
  static long sections;
  static int threshold;

  @BeforeAll
  static void writeReport() {
    Path repo = TestPaths.repoRoot();
    LeadloopConfig config = ConfigLoader.load(repo.resolve("data-samples/config.yaml"));
    threshold = config.smallCellThreshold();
    // The weekly run of data-samples (shared with the crash tests' uninterrupted run).
    WeeklyJob.Result result = SharedRuns.samples(spark()).result();
    // WeeklyJob wrote the report as its "report" step; its run.json lists the step.
    sections =
        (int)
            result.summary().steps().stream()
                .filter(st -> "report".equals(st.name()))
                .mapToLong(st -> st.rows())
                .findFirst()
                .orElseThrow();
    html = Path.of(result.outDir(), ReportStep.FILE);
  }

  @Test
  void screenshotShowsARenderedPage() throws Exception {
    Path png = tmp.resolve("report.png");
    chromium(
        "--screenshot=" + png,
        "--window-size=1280,4000",
        "--hide-scrollbars",
        html.toUri().toString());
    assertThat(png).exists();
    assertThat(Files.size(png)).isGreaterThan(30_000);
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image.getWidth()).isEqualTo(1280);
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < image.getHeight(); y += 7) {
      for (int x = 0; x < image.getWidth(); x += 7) {
        colours.add(image.getRGB(x, y));
      }
    }
    assertThat(colours.size()).as("distinct colours in the screenshot").isGreaterThan(20);
    keep(png, "report.png");
  }

  @Test
  void renderedDomHasEverySectionAndChartAndNoSmallNumber() throws Exception {
    String dom = chromium("--dump-dom", html.toUri().toString());
    Document doc = Jsoup.parse(dom);
    assertThat(sections).isEqualTo(SECTIONS.size());
    for (String id : SECTIONS) {
      assertThat(doc.getElementById(id)).as("section #" + id).isNotNull();
      assertThat(doc.getElementById(id).tagName()).isEqualTo("section");
      assertThat(doc.select("#" + id + " p.how a[href]"))
          .as("how-computed links of #" + id)
          .isNotEmpty();
    }
    for (String id : CHARTS) {
      Element svg = doc.selectFirst("section svg#" + id);
      assertThat(svg).as("chart " + id).isNotNull();
      assertThat(svg.select("text")).as("text of chart " + id).isNotEmpty();
    }
    assertThat(doc.select("script")).as("scripts").isEmpty();
    assertThat(doc.select("link")).as("linked resources").isEmpty();
    assertThat(doc.select("[src]")).as("fetched resources").isEmpty();
    assertThat(html.toFile())
        .content(StandardCharsets.UTF_8)
        .doesNotContain("<script src")
        .doesNotContain("url(http")
        .doesNotContain("@import");
    List<String> shown = new ArrayList<>();
    doc.select("td, th, .tile-value, svg text").forEach(e -> shown.add(e.text().trim()));
    for (String text : shown) {
      if (NUMBER.matcher(text).matches()) {
        double v = Double.parseDouble(text.replace(",", ""));
        assertThat(v > 0 && v < threshold)
            .as("a number below the threshold is visible: " + text)
            .isFalse();
      }
    }
    String mask = "<" + threshold;
    assertThat(shown).contains(mask);
    // data-samples: leads read 42 = accepted 40 + rejected 2. 2 is hidden, and so is 40, which
    // with 42 would reveal it; 37 current leads are shown.
    Element leads = rowStartingWith(doc, "#quality", "leads");
    assertThat(leads.select("td").eachText()).containsExactly("leads", "42", mask, mask, "37");
    // 37 leads in all cohorts of the sample; each source has fewer than 11 (hidden), and the
    // total is shown.
    Element all = rowStartingWith(doc, "#bookings", "All sources");
    assertThat(all.select("td").get(1).text()).isEqualTo("37");
    assertThat(doc.select("#bookings .is-provisional .tag")).as("provisional marks").isNotEmpty();
  }

  private static Element rowStartingWith(Document doc, String section, String label) {
    for (Element tr : doc.select(section + " tr")) {
      Element first = tr.selectFirst("td");
      if (first != null && first.text().equals(label)) {
        return tr;
      }
    }
    return fail("no row " + label + " in " + section);
  }

  /** Runs headless Chromium with a fresh profile; returns its standard output. */
  private static String chromium(String... args) throws IOException, InterruptedException {
    if (!Files.isExecutable(CHROMIUM)) {
      fail(
          CHROMIUM
              + " is missing: install Chromium (apt-get install -y chromium) to run the report"
              + " browser test");
    }
    Path profile = Files.createTempDirectory(tmp, "chromium-profile");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                CHROMIUM.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + profile));
    cmd.addAll(List.of(args));
    Path stderr = tmp.resolve("chromium-" + System.nanoTime() + ".log");
    Process p = new ProcessBuilder(cmd).redirectError(stderr.toFile()).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("Chromium did not finish within 120 s: " + Files.readString(stderr));
    }
    assertThat(p.exitValue())
        .as("Chromium exit status; stderr:\n" + Files.readString(stderr))
        .isZero();
    return new String(out, StandardCharsets.UTF_8);
  }

  private static void keep(Path file, String name) throws IOException {
    Path dir = Path.of("target", "report-browser");
    Files.createDirectories(dir);
    Files.copy(file, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    Files.copy(html, dir.resolve("report.html"), StandardCopyOption.REPLACE_EXISTING);
  }
}
