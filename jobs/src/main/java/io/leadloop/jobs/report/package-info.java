/**
 * The weekly report ({@code <out>/<as-of>/report.html}): one self-contained HTML page for practice
 * managers, with inline CSS and inline SVG charts, built only from the metric marts (the rows the
 * run published; earlier as-ofs read from Delta for the trends) and the run summary.
 *
 * <ul>
 *   <li>{@link io.leadloop.jobs.report.ReportStep} reads, builds the sections and writes the file.
 *   <li>{@link io.leadloop.jobs.report.SmallCells} is the small-cell rule (primary and
 *       complementary suppression); {@link io.leadloop.jobs.report.MaskedValues} applies it to the
 *       numbers of one section.
 *   <li>{@link io.leadloop.jobs.report.RateRule} recomputes a rate from summed counts with the
 *       marts' rule (k/n rounded half-up to 4 decimals), the only arithmetic the report does on
 *       rates.
 *   <li>{@link io.leadloop.jobs.report.Charts} builds JFreeChart charts and {@link
 *       io.leadloop.jobs.report.ChartSvg} renders them to SVG with JFreeSVG.
 *   <li>{@link io.leadloop.jobs.report.ReportView} is the view model rendered by the Mustache
 *       template {@code report/report.mustache}.
 * </ul>
 */
package io.leadloop.jobs.report;
