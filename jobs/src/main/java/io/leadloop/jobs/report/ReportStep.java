package io.leadloop.jobs.report;

import io.leadloop.jobs.metrics.MartRows;
import io.leadloop.jobs.report.ReportView.Report;
import io.leadloop.jobs.report.ReportView.Section;
import io.leadloop.jobs.run.RunContext;
import io.leadloop.jobs.run.RunSummary;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * Writes {@code <dayDir>/report.html}: the weekly report for practice managers, one self-contained
 * page (inline CSS, inline SVG charts, no script, nothing fetched). Every number is read from the
 * metric marts of this run's as-of (and, for trends, of the last runs) or from the run summary; the
 * small-cell rule of the configuration masks counts and rates in tables, tiles and charts. Run it
 * after the metrics and segments steps, with the run summary they produced, and best with the marts
 * the metrics step published: what it is not given it reads from the warehouse.
 */
public final class ReportStep {
  public static final String FILE = "report.html";

  private final RunContext run;
  private final Map<String, MartRows> published;

  /**
   * What the step wrote.
   *
   * @param path the report's path
   * @param sections the number of its sections
   */
  public record Result(String path, int sections) {}

  /**
   * @param published this run's rows of the marts by table ({@code MartPublisher.publish}): those
   *     are not read back; only earlier as-ofs (trends) and the other tables are read
   */
  public ReportStep(RunContext run, Map<String, MartRows> published) {
    this.run = run;
    this.published = published;
  }

  /**
   * Builds and writes the report.
   *
   * @param runSummary the run summary (its run id, entities, unlinked appointments and segments are
   *     used)
   * @return where the report was written, and its sections
   */
  public Result execute(RunSummary runSummary) {
    ReportContext ctx =
        new ReportContext(
            new MartReader(run.warehouse(), run.cutoff().asOf(), published),
            new SmallCells(run.config().smallCellThreshold()),
            run.config(),
            runSummary);
    List<Section> sections =
        List.of(
            FunnelSections.bookings(ctx),
            FunnelSections.rates(ctx),
            ComparisonSection.build(ctx),
            SpeedSection.build(ctx),
            StallSection.build(ctx),
            AttributionSection.build(ctx),
            SegmentSection.build(ctx),
            LiftSection.build(ctx),
            QualitySection.build(ctx));
    Report report =
        new Report(
            "Lead recycling — weekly report",
            run.cutoff().asOf().toString(),
            OffsetDateTime.ofInstant(run.cutoff().instant(), ZoneOffset.UTC).toString(),
            runSummary.runId(),
            ctx.rule().mask(),
            ctx.rule().threshold(),
            ctx.rule().threshold() - 1,
            ReportRenderer.css(),
            sections);
    String path = run.dayDir() + "/" + FILE;
    run.files().writeString(path, ReportRenderer.render(report));
    return new Result(path, sections.size());
  }
}
