package io.leadloop.jobs.report;

import static io.leadloop.jobs.report.MartReader.count;
import static io.leadloop.jobs.report.MartReader.text;

import io.leadloop.jobs.report.Charts.Series;
import io.leadloop.jobs.report.ReportView.Block;
import io.leadloop.jobs.report.ReportView.Cell;
import io.leadloop.jobs.report.ReportView.Chart;
import io.leadloop.jobs.report.ReportView.Section;
import io.leadloop.jobs.report.ReportView.Table;
import io.leadloop.jobs.report.ReportView.TableRow;
import io.leadloop.jobs.run.RunSummary;
import io.leadloop.jobs.segments.SegmentsStep;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;

/**
 * Segment sizes (run summary, key {@code segments}), exclusions by rule ({@code
 * mart_segment_exclusions}) and export diffs. One set of masked values covers the three tables, so
 * a cell shown in one cannot reveal a hidden cell of another: excluded = the sum over rules (per
 * segment and per rule), and the members by segment and by channel add up to all members. (No
 * "candidates" column: members + excluded would tie the two totals together and hide one of them
 * whenever the other is small, while the exports still show the members.)
 */
final class SegmentSection {
  static final List<String> SEGMENTS = List.of("missed_appointment", "stalled_lead", "lapsed_care");
  static final List<String> RULES =
      List.of(
          "suppressed",
          "open_appointment",
          "no_permitted_channel",
          "frequency_cap",
          "cooldown",
          "max_cycles",
          "clinical_route",
          "referral_partner_track");

  private SegmentSection() {}

  static Section build(ReportContext ctx) {
    RunSummary.Segments seg = ctx.summary().segments();
    Map<String, Long> members = seg.membersBySegment();
    Map<String, Long> byChannel = seg.membersByChannel();
    List<Row> excl =
        ctx.marts().rows(SegmentsStep.EXCLUSIONS.table(), SegmentsStep.EXCLUSIONS.orderColumns());
    Set<String> segments = new LinkedHashSet<>(SEGMENTS);
    Set<String> rules = new LinkedHashSet<>(RULES);
    excl.forEach(
        r -> {
          segments.add(text(r, "segment"));
          rules.add(text(r, "rule"));
        });
    segments.addAll(members.keySet());
    List<String> segs = new ArrayList<>(segments);
    List<String> ruleList =
        rules.stream()
            .filter(rule -> excl.stream().anyMatch(r -> text(r, "rule").equals(rule)))
            .toList();
    MaskedValues v = ctx.values();
    int[][] grid = new int[ruleList.size()][segs.size()];
    for (int i = 0; i < ruleList.size(); i++) {
      for (int s = 0; s < segs.size(); s++) {
        String rule = ruleList.get(i);
        String segment = segs.get(s);
        grid[i][s] =
            v.add(
                excl.stream()
                    .filter(r -> text(r, "rule").equals(rule) && text(r, "segment").equals(segment))
                    .mapToLong(r -> count(r, "persons"))
                    .sum());
      }
    }
    int[] ruleTotals = new int[ruleList.size()];
    for (int i = 0; i < ruleList.size(); i++) {
      ruleTotals[i] = v.total(java.util.Arrays.stream(grid[i]).boxed().toList());
    }
    int[] excluded = new int[segs.size()];
    int[] kept = new int[segs.size()];
    for (int s = 0; s < segs.size(); s++) {
      List<Integer> column = new ArrayList<>();
      for (int[] row : grid) {
        column.add(row[s]);
      }
      excluded[s] = v.total(column);
      kept[s] = v.add(members.getOrDefault(segs.get(s), 0L));
    }
    int allExcluded = v.total(java.util.Arrays.stream(excluded).boxed().toList());
    v.sum(allExcluded, java.util.Arrays.stream(ruleTotals).boxed().toList());
    int allKept = v.total(java.util.Arrays.stream(kept).boxed().toList());
    List<String> channels = new ArrayList<>(byChannel.keySet());
    List<Integer> channelIds = new ArrayList<>();
    channels.forEach(c -> channelIds.add(v.add(byChannel.get(c))));
    if (!channelIds.isEmpty()) {
      v.sum(allKept, channelIds);
    }
    Map<String, RunSummary.Export> exports = seg.exports();
    List<String> destinations = new ArrayList<>(exports.keySet());
    List<int[]> exportIds = new ArrayList<>();
    for (String d : destinations) {
      RunSummary.Export e = exports.get(d);
      exportIds.add(new int[] {v.add(e.members()), v.add(e.added()), v.add(e.removed())});
    }
    v.solve();
    List<TableRow> sizes = new ArrayList<>();
    List<Double> keptBars = new ArrayList<>();
    List<Double> exclBars = new ArrayList<>();
    int hidden = 0;
    for (int s = 0; s < segs.size(); s++) {
      sizes.add(
          new TableRow(
              List.of(Cell.label(segs.get(s)), v.count(kept[s]), v.count(excluded[s])),
              false,
              false));
      keptBars.add(v.chartCount(kept[s]));
      exclBars.add(v.chartCount(excluded[s]));
      hidden += (v.hidden(kept[s]) ? 1 : 0) + (v.hidden(excluded[s]) ? 1 : 0);
    }
    sizes.add(
        new TableRow(
            List.of(Cell.label("All segments"), v.count(allKept), v.count(allExcluded)),
            true,
            false));
    List<TableRow> byRule = new ArrayList<>();
    for (int i = 0; i < ruleList.size(); i++) {
      List<Cell> cells = new ArrayList<>(List.of(Cell.label(ruleList.get(i))));
      for (int s = 0; s < segs.size(); s++) {
        cells.add(v.count(grid[i][s]));
      }
      cells.add(v.count(ruleTotals[i]));
      byRule.add(new TableRow(cells, false, false));
    }
    List<Cell> ruleTotalRow = new ArrayList<>(List.of(Cell.label("All rules")));
    for (int s = 0; s < segs.size(); s++) {
      ruleTotalRow.add(v.count(excluded[s]));
    }
    ruleTotalRow.add(v.count(allExcluded));
    byRule.add(new TableRow(ruleTotalRow, true, false));
    List<TableRow> channelRows = new ArrayList<>();
    for (int i = 0; i < channels.size(); i++) {
      channelRows.add(
          new TableRow(
              List.of(Cell.label(channels.get(i)), v.count(channelIds.get(i))), false, false));
    }
    channelRows.add(
        new TableRow(List.of(Cell.label("All members"), v.count(allKept)), true, false));
    List<TableRow> exportRows = new ArrayList<>();
    for (int i = 0; i < destinations.size(); i++) {
      int[] e = exportIds.get(i);
      exportRows.add(
          new TableRow(
              List.of(Cell.label(destinations.get(i)), v.count(e[0]), v.count(e[1]), v.count(e[2])),
              false,
              false));
    }
    List<String> ruleHeaders = new ArrayList<>(List.of("Exclusion rule"));
    ruleHeaders.addAll(segs);
    ruleHeaders.add("All segments");
    String svg =
        Charts.bars(
            "chart-segments",
            "People kept and excluded per segment",
            segs,
            List.of(new Series("Members (to contact)", keptBars), new Series("Excluded", exclBars)),
            false);
    boolean dryRun = seg.dryRun();
    List<Block> blocks = new ArrayList<>();
    blocks.add(
        Block.chart(
            new Chart(
                "chart-segments",
                svg,
                "Reactivation candidates of this run, per segment."
                    + ctx.hiddenNote(hidden, "bar(s)"),
                "Segment sizes"),
            SpecLinks.segments(
                "A person is a candidate of at most one segment; each exclusion rule, in order,"
                    + " removes the people it matches.",
                SpecLinks.EXCLUSIONS)));
    blocks.add(
        Block.table(
            new Table(
                "Members and exclusions by segment",
                List.of("Segment", "Members", "Excluded"),
                sizes),
            SpecLinks.segments(
                "Members from the run summary (members_by_segment); excluded"
                    + " from mart_segment_exclusions, summed over the rules.",
                SpecLinks.EXCLUSIONS)));
    blocks.add(
        Block.table(
            new Table("People excluded, by rule and segment", ruleHeaders, byRule),
            SpecLinks.segments(
                "The first matching rule removes the person and is counted.",
                SpecLinks.EXCLUSIONS)));
    blocks.add(
        Block.table(
            new Table("Members by recommended channel", List.of("Channel", "Members"), channelRows),
            SpecLinks.segments(
                "The first permitted channel in the segment's preference order.", "Channels")));
    blocks.add(
        Block.table(
            new Table(
                "Exports and their differences from the previous export"
                    + (dryRun ? " (dry run: nothing was written)" : ""),
                List.of("Destination", "Members", "Added", "Removed"),
                exportRows),
            SpecLinks.segments(
                "added / removed: against the destination's previous successful export.",
                SpecLinks.EXPORTS)));
    return new Section(
        "segments",
        "Who to contact next",
        "How many people are in each reactivation segment, who"
            + " was excluded and why, and what changed in the exports?",
        blocks);
  }
}
