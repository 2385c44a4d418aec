package io.leadloop.jobs.report;

import io.leadloop.jobs.report.ReportView.How;
import java.util.Locale;

/**
 * "How this is computed" lines: a sentence plus a link to the section of the spec that defines the
 * figure. Links are relative ({@code docs/metrics.md#anchor}, GitHub-style anchors of the headings
 * of metrics.md / segments.md / the spec README) and the link text names the spec section, so the
 * definition can be found even where the link does not resolve.
 */
final class SpecLinks {
  static final String FUNNEL = "cohort_funnel — grain: cohort_week × source × service_line";
  static final String COMPARISON =
      "cohort_comparison — recycled leads against new leads from the same source";
  static final String ATTRIBUTION = "attribution — grain: booking_week × model × channel";
  static final String MARKOV = "markov — a first-order Markov chain with removal effects";
  static final String SPEED = "speed_to_lead — grain: cohort_week × source × inquiry_channel";
  static final String STALLS = "stall_reasons — grain: week × source × reason";
  static final String LIFT = "segment_lift — grain: segment × offer_code × holdout_share";
  static final String RUN_SUMMARY = "Run summary (run.json)";
  static final String BUILDING_BLOCKS = "Building blocks";
  static final String EXCLUSIONS = "Exclusions";
  static final String EXPORTS = "Exports to outreach systems";
  static final String CONFIGURATION =
      "Configuration (YAML; every key optional, defaults in the other pages)";

  private SpecLinks() {}

  static How metrics(String text, String heading) {
    return link(text, "metrics.md", heading);
  }

  static How segments(String text, String heading) {
    return link(text, "segments.md", heading);
  }

  static How outcomes(String text, String heading) {
    return link(text, "outcomes.md", heading);
  }

  private static How link(String text, String page, String heading) {
    String shortName = heading.split(" — ")[0];
    return new How(text, "docs/" + page + "#" + slug(heading), page + " § " + shortName);
  }

  /** The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens. */
  static String slug(String heading) {
    StringBuilder b = new StringBuilder();
    for (char ch : heading.toLowerCase(Locale.ROOT).toCharArray()) {
      if (Character.isLetterOrDigit(ch) && ch < 128 || ch == '_' || ch == '-') {
        b.append(ch);
      } else if (ch == ' ') {
        b.append('-');
      }
    }
    return b.toString();
  }
}
