package io.leadloop.jobs.report;

import static io.leadloop.jobs.report.MartReader.count;
import static io.leadloop.jobs.report.MartReader.decimal;
import static io.leadloop.jobs.report.MartReader.flag;
import static io.leadloop.jobs.report.MartReader.text;

import io.leadloop.jobs.metrics.Marts;
import io.leadloop.jobs.outcomes.SegmentLift;
import io.leadloop.jobs.publish.CsvFiles;
import io.leadloop.jobs.report.ReportView.Block;
import io.leadloop.jobs.report.ReportView.Cell;
import io.leadloop.jobs.report.ReportView.Section;
import io.leadloop.jobs.report.ReportView.Table;
import io.leadloop.jobs.report.ReportView.TableRow;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;

/**
 * "Does outreach work?": the rows of {@code mart_segment_lift} that have held-out episodes, with
 * both arms' booking rates and intervals, the share of each arm contacted and the lift with
 * Newcombe's interval. Counts under the small-cell threshold are masked, and so is every rate and
 * lift built on one; rows that are not eligible are marked as too small to read.
 */
final class LiftSection {
  private LiftSection() {}

  static Section build(ReportContext ctx) {
    List<Row> rows =
        ctx.marts().rows(Marts.SEGMENT_LIFT.table(), SegmentLift.GRAIN).stream()
            .filter(r -> count(r, "holdout_episodes") > 0)
            .toList();
    List<Block> blocks = new ArrayList<>();
    if (rows.isEmpty()) {
      blocks.add(Block.note(noRowsNote(ctx), how()));
    } else {
      blocks.add(Block.table(table(ctx, rows), how()));
    }
    return new Section(
        "outcomes",
        "Does outreach work?",
        "Did contacting people cause bookings, or would they have booked anyway?",
        blocks);
  }

  private static String noRowsNote(ReportContext ctx) {
    boolean configured =
        ctx.config().holdoutShare().values().stream().anyMatch(s -> s.signum() > 0);
    if (configured) {
      return "No held-out episode has matured yet: an episode is measured "
          + ctx.config().outcomeWindowDays()
          + " days (outcome_window_days) after the published run that first sent it.";
    }
    return "No holdout is configured, so there is nothing to compare outreach with: set"
        + " holdout_share (e.g. stalled_lead: 0.1) in the configuration to hold back a random"
        + " share of each list and measure the lift of contacting the rest.";
  }

  private static Table table(ReportContext ctx, List<Row> shown) {
    MaskedValues v = ctx.values();
    int[][] ids = new int[shown.size()][];
    for (int i = 0; i < shown.size(); i++) {
      Row r = shown.get(i);
      ids[i] =
          new int[] {
            v.add(count(r, "treatment_episodes")),
            v.add(count(r, "treatment_booked")),
            v.add(count(r, "treatment_contacted")),
            v.add(count(r, "holdout_episodes")),
            v.add(count(r, "holdout_booked")),
            v.add(count(r, "holdout_contacted"))
          };
    }
    v.solve();
    List<TableRow> rows = new ArrayList<>();
    for (int i = 0; i < shown.size(); i++) {
      Row r = shown.get(i);
      int[] id = ids[i];
      boolean all = SegmentLift.ALL_OFFERS.equals(text(r, "offer_code"));
      String label =
          text(r, "segment")
              + " · "
              + (all ? "all offers" : text(r, "offer_code"))
              + " · share "
              + CsvFiles.share(decimal(r, "holdout_share"));
      rows.add(
          new TableRow(
              List.of(
                  Cell.label(label),
                  v.count(id[0]),
                  ComparisonSection.withCi(v, r, "treatment", id[1], id[0]),
                  v.rate(contacted(r, "treatment"), id[2], id[0]),
                  v.count(id[3]),
                  ComparisonSection.withCi(v, r, "holdout", id[4], id[3]),
                  v.rate(contacted(r, "holdout"), id[5], id[3]),
                  v.derived(lift(r), id[0], id[1], id[3], id[4]),
                  Cell.label(flag(r, "eligible") ? "eligible" : "too small to read")),
              all,
              !flag(r, "eligible")));
    }
    return new Table(
        "Booking within "
            + ctx.config().outcomeWindowDays()
            + " days of entry: treated (sent to outreach) against held-out episodes",
        List.of(
            "Segment · next step · holdout share",
            "Treated episodes",
            "Treated booked (95% CI)",
            "Treated contacted",
            "Held-out episodes",
            "Held-out booked (95% CI)",
            "Held-out contacted",
            "Lift (95% CI)",
            "Status"),
        rows);
  }

  private static BigDecimal contacted(Row r, String arm) {
    return RateRule.rate(count(r, arm + "_contacted"), count(r, arm + "_episodes"));
  }

  private static String lift(Row r) {
    BigDecimal lift = decimal(r, "lift");
    if (lift == null) {
      return Fmt.EMPTY;
    }
    return Fmt.points(lift)
        + " ("
        + Fmt.points(decimal(r, "lift_ci_low"))
        + " to "
        + Fmt.points(decimal(r, "lift_ci_high"))
        + ")";
  }

  private static ReportView.How how() {
    return SpecLinks.outcomes(
        "The lift is the treated booking rate minus the held-out one, with Newcombe's 95% interval:"
            + " what outreach adds against no outreach within a next step, not one next step"
            + " against another (next steps are not randomized). Held-out people were never sent"
            + " to an outreach system; their contacted share shows the holdout was respected.",
        SpecLinks.LIFT);
  }
}
