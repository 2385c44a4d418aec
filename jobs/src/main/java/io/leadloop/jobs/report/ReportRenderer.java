package io.leadloop.jobs.report;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import io.leadloop.jobs.report.ReportView.Report;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Renders the view model with the Mustache template {@code report/report.mustache} (HTML-escaped
 * values; the charts' SVG and the stylesheet {@code report/report.css} are inlined unescaped).
 */
final class ReportRenderer {
  static final String ROOT = "report";

  private ReportRenderer() {}

  static String render(Report report) {
    Mustache template = new DefaultMustacheFactory(ROOT).compile("report.mustache");
    StringWriter out = new StringWriter();
    template.execute(out, report);
    return out.toString();
  }

  /** The stylesheet inlined into the page. */
  static String css() {
    try (InputStream in =
        ReportRenderer.class.getClassLoader().getResourceAsStream(ROOT + "/report.css")) {
      if (in == null) {
        throw new IllegalStateException("Missing resource " + ROOT + "/report.css");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
