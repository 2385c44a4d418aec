package io.leadloop.jobs.report;

import io.leadloop.jobs.metrics.Marts;
import io.leadloop.jobs.report.ReportView.Block;
import io.leadloop.jobs.report.ReportView.Cell;
import io.leadloop.jobs.report.ReportView.Section;
import io.leadloop.jobs.report.ReportView.Table;
import io.leadloop.jobs.report.ReportView.TableRow;
import io.leadloop.jobs.report.ReportView.Tile;
import io.leadloop.jobs.run.RunSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;

/**
 * Data quality: rows read, accepted and rejected per entity and the rejects by reason (run summary,
 * key {@code entities}), appointments linked to no lead ({@code appointments_unlinked}) and
 * unresolved appointments (this run's {@code mart_cohort_funnel.appointments_unresolved}, summed).
 */
final class QualitySection {
  private QualitySection() {}

  static Section build(ReportContext ctx) {
    Map<String, RunSummary.EntityCounts> entities = ctx.summary().entities();
    MaskedValues v = ctx.values();
    List<String> names = new ArrayList<>(entities.keySet());
    int[][] ids = new int[names.size()][4];
    List<String> reasonLabels = new ArrayList<>();
    List<Integer> reasonIds = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      RunSummary.EntityCounts e = entities.get(names.get(i));
      ids[i] =
          new int[] {
            v.add(e.rowsRead()),
            v.add(e.rowsAccepted()),
            v.add(e.rowsRejected()),
            v.add(e.currentRows())
          };
      v.sum(ids[i][0], List.of(ids[i][1], ids[i][2]));
      List<Integer> parts = new ArrayList<>();
      for (var reason : e.rejectsByReason().entrySet()) {
        reasonLabels.add(names.get(i) + " · " + reason.getKey());
        parts.add(v.add(reason.getValue()));
      }
      reasonIds.addAll(parts);
      if (!parts.isEmpty()) {
        v.sum(ids[i][2], parts);
      }
    }
    int unlinked = v.add(ctx.summary().appointmentsUnlinked());
    List<Row> unresolvedRows =
        ctx.marts()
            .aggregate(
                Marts.COHORT_FUNNEL.table(),
                r -> true,
                List.of(),
                List.of(MartReader.Agg.sum("appointments_unresolved")));
    int unresolved =
        v.add(
            unresolvedRows.isEmpty()
                ? 0
                : MartReader.count(unresolvedRows.get(0), "appointments_unresolved"));
    v.solve();
    List<TableRow> rows = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      rows.add(
          new TableRow(
              List.of(
                  Cell.label(names.get(i)),
                  v.count(ids[i][0]),
                  v.count(ids[i][1]),
                  v.count(ids[i][2]),
                  v.count(ids[i][3])),
              false,
              false));
    }
    List<TableRow> reasons = new ArrayList<>();
    for (int i = 0; i < reasonLabels.size(); i++) {
      reasons.add(
          new TableRow(
              List.of(Cell.label(reasonLabels.get(i)), v.count(reasonIds.get(i))), false, false));
    }
    Cell u = v.count(unlinked);
    Cell r = v.count(unresolved);
    return new Section(
        "quality",
        "Data quality",
        "Did this week's files load cleanly, and which bookings could" + " not be counted?",
        List.of(
            Block.tiles(
                List.of(
                    new Tile("Appointments linked to no lead", u.text(), u.masked(), false),
                    new Tile(
                        "Unresolved appointments (booked, start passed)",
                        r.text(),
                        r.masked(),
                        false)),
                SpecLinks.metrics(
                    "appointments_unlinked: qualifying bookings linked to no lead (run summary);"
                        + " appointments_unresolved: summed over this run's cohort_funnel.",
                    SpecLinks.BUILDING_BLOCKS)),
            Block.table(
                new Table(
                    "Rows per entity (rows_* count the files this run ingested; current rows exist"
                        + " at the cutoff)",
                    List.of("Entity", "Rows read", "Accepted", "Rejected", "Current rows"),
                    rows),
                SpecLinks.metrics(
                    "From run.json: entities.<entity>.rows_read / rows_accepted / rows_rejected /"
                        + " current_rows.",
                    SpecLinks.RUN_SUMMARY)),
            Block.table(
                new Table(
                    "Rejected rows by reason (every bad row is kept in the rejects table)",
                    List.of("Entity · reason", "Rows"),
                    reasons),
                SpecLinks.metrics(
                    "From run.json: entities.<entity>.rejects_by_reason.",
                    SpecLinks.RUN_SUMMARY))));
  }
}
