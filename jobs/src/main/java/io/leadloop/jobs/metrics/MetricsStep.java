package io.leadloop.jobs.metrics;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.leadloop.common.config.LeadloopConfig;
import io.leadloop.common.metrics.Cutoff;
import io.leadloop.common.schema.Entity;
import io.leadloop.common.spark.Warehouse;
import io.leadloop.jobs.attribution.Attribution;
import io.leadloop.jobs.facts.Facts;
import io.leadloop.jobs.facts.LeadFacts;
import io.leadloop.jobs.publish.CsvFiles;
import io.leadloop.jobs.publish.OutputFiles;
import io.leadloop.jobs.weekly.StepTimer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * Computes every metric mart of metrics.md for one as-of date, stores each as a Delta table with an
 * {@code as_of} column (replaced per as-of, so a backfill is one table per figure), and publishes
 * the CSV files from the same datasets.
 */
public final class MetricsStep {
  /** Mart name → CSV file name and grain. */
  public record Mart(String table, String file, String[] grain) {}

  public static final Mart COHORT_FUNNEL =
      new Mart("mart_cohort_funnel", "cohort_funnel.csv", CohortFunnel.GRAIN);
  public static final Mart COHORT_COMPARISON =
      new Mart(
          "mart_cohort_comparison",
          "cohort_comparison.csv",
          new String[] {"cohort_month", "source", "service_line"});
  public static final Mart COMPARISON_SUMMARY =
      new Mart(
          "mart_cohort_comparison_summary",
          "cohort_comparison_summary.csv",
          new String[] {"source"});
  public static final Mart SPEED_TO_LEAD =
      new Mart(
          "mart_speed_to_lead",
          "speed_to_lead.csv",
          new String[] {"cohort_week", "source", "inquiry_channel"});
  public static final Mart STALL_REASONS =
      new Mart(
          "mart_stall_reasons", "stall_reasons.csv", new String[] {"week", "source", "reason"});
  public static final Mart ATTRIBUTION =
      new Mart(
          "mart_attribution", "attribution.csv", new String[] {"booking_week", "model", "channel"});
  public static final Mart ATTRIBUTION_BY_CAMPAIGN =
      new Mart(
          "mart_attribution_by_campaign",
          "attribution_by_campaign.csv",
          new String[] {"booking_week", "model", "channel", "campaign"});

  private final Warehouse warehouse;
  private final OutputFiles files;
  private final LeadloopConfig config;
  private final Cutoff cutoff;
  private final String outDir;
  private final List<Dataset<Row>> cached = new ArrayList<>();

  public MetricsStep(
      Warehouse warehouse, OutputFiles files, LeadloopConfig config, Cutoff cutoff, String outDir) {
    this.warehouse = warehouse;
    this.files = files;
    this.config = config;
    this.cutoff = cutoff;
    this.outDir = outDir;
  }

  /** Computes the marts (pure) for the given facts. */
  public Map<Mart, Dataset<Row>> compute(Facts facts) {
    int w = config.bookingWindowDays();
    Map<Mart, Dataset<Row>> marts = new LinkedHashMap<>();
    marts.put(COHORT_FUNNEL, CohortFunnel.compute(facts.leads(), facts.appointments(), cutoff, w));
    Dataset<Row> strata = CohortComparison.strata(facts.leads(), cutoff, w, config.minStratumN());
    marts.put(COHORT_COMPARISON, CohortComparison.compute(strata));
    marts.put(COMPARISON_SUMMARY, CohortComparison.summary(strata));
    marts.put(SPEED_TO_LEAD, SpeedToLead.compute(facts.leads(), cutoff, config.slaMinutes()));
    Dataset<Row> recycles =
        LeadFacts.recycles(facts.get(Entity.LEAD_EVENTS), facts.get(Entity.LEADS));
    marts.put(STALL_REASONS, StallReasons.compute(recycles, facts.get(Entity.LEADS)));
    Dataset<Row> credits =
        Attribution.credits(
                facts.appointments(),
                facts.get(Entity.TOUCHES),
                config.attributionLookbackDays(),
                config.timeDecayHalfLifeDays())
            .persist(StorageLevel.MEMORY_AND_DISK());
    cached.add(credits);
    marts.put(ATTRIBUTION, Attribution.byChannel(credits));
    marts.put(ATTRIBUTION_BY_CAMPAIGN, Attribution.byCampaign(credits));
    return marts;
  }

  /** Drops what {@link #compute} cached (call when the marts are published, or on failure). */
  public void release() {
    cached.forEach(Dataset::unpersist);
    cached.clear();
  }

  /** Stores each mart in Delta (replacing this as-of) and writes its CSV; returns rows per mart. */
  public Map<String, Long> publish(Map<Mart, Dataset<Row>> marts, StepTimer timer) {
    Map<String, Long> rows = new LinkedHashMap<>();
    String day = cutoff.asOf().toString();
    for (var e : marts.entrySet()) {
      Mart m = e.getKey();
      long n =
          timer.step(
              m.table(),
              () -> {
                Dataset<Row> withAsOf =
                    e.getValue().withColumn("as_of", lit(java.sql.Date.valueOf(cutoff.asOf())));
                warehouse.replaceWhere(m.table(), "as_of = '" + day + "'", withAsOf);
                io.leadloop.common.Faults.point("marts." + m.table());
                Dataset<Row> stored =
                    warehouse.read(m.table()).where(col("as_of").equalTo(lit(day))).drop("as_of");
                return CsvFiles.write(files, outDir + "/" + m.file(), stored, m.grain());
              });
      rows.put(m.file(), n);
    }
    return rows;
  }
}
