package io.leadloop.jobs.facts;

import io.leadloop.common.schema.Entity;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The intermediate layer at one cutoff: each entity as it stood ({@link AsOf}), per-lead facts and
 * per-appointment facts. Marts and segments read only this.
 *
 * @param state each entity at the cutoff
 * @param leads per-lead facts ({@link LeadFacts})
 * @param appointments per-appointment facts ({@link AppointmentFacts})
 */
public record Facts(
    Map<Entity, Dataset<Row>> state, Dataset<Row> leads, Dataset<Row> appointments) {
  /** The table of the per-lead facts at each as-of ({@link LeadFacts} columns + {@code as_of}). */
  public static final String INT_LEADS = "int_leads";

  /**
   * The table of the per-appointment facts at each as-of ({@link AppointmentFacts} columns + {@code
   * as_of}).
   */
  public static final String INT_APPOINTMENTS = "int_appointments";

  public Dataset<Row> get(Entity e) {
    return state.get(e);
  }
}
