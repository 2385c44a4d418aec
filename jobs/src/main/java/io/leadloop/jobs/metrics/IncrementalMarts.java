package io.leadloop.jobs.metrics;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.leadloop.common.metrics.Cutoff;
import io.leadloop.jobs.attribution.Markov;
import io.leadloop.jobs.facts.Facts;
import io.leadloop.jobs.facts.IncrementalFacts;
import io.leadloop.jobs.facts.LeadFacts;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The marts at {@code c1} from the marts of an earlier cutoff {@code c0}, when the facts at {@code
 * c1} were started from those of {@code c0} ({@code facts/IncrementalFacts}): the rows of grain
 * keys no change reaches are kept from {@code c0}, the others are recomputed from the facts at
 * {@code c1}. The result is the full computation's rows (proven in {@code IncrementalMartsTest} and
 * {@code IncrementalWeeksTest}). Pure transforms.
 *
 * <p>Why that is exact. The facts of a person outside {@code persons} (the persons the facts
 * recomputed) are the same rows at both cutoffs, copied. A grain key is <em>dirty</em> when a lead
 * of those persons, or a lead one of their appointments links, has it at either cutoff ({@link
 * #changedLeads}). A key that is not dirty counts the same leads and the same linked appointments,
 * with the same facts, at both cutoffs. What else a mart compares with the cutoff is added to the
 * dirty keys: the {@code matured} flags (by cohort week, by cohort month) and a lead's SLA becoming
 * due. A dirty key's row is recomputed from the leads (and their appointments) of that key alone; a
 * key with no leads left has no row, as in the full computation.
 *
 * <p>{@code stall_reasons} is not here: it counts recycle events at the cutoff, which are not part
 * of the stored facts, so its earlier rows cannot be traced to keys; it is recomputed in full.
 *
 * <p>Equality holds row for row for the counts, flags and rates. Attribution's credits are sums of
 * doubles: a week is summed over the same conversions either way, possibly in another order.
 */
public final class IncrementalMarts {
  /** The lead columns the marts group by. */
  static final String[] LEAD_KEYS = {
    "cohort_week", "cohort_month", "source", "service_line", "inquiry_channel"
  };

  /** The lead columns {@link #changedLeads} reads: the ids and {@link #LEAD_KEYS}. */
  private static final String[] LEAD_COLUMNS = {
    "lead_id",
    "person_id",
    "cohort_week",
    "cohort_month",
    "source",
    "service_line",
    "inquiry_channel"
  };

  /**
   * What the marts at {@code c1} start from.
   *
   * @param c0 the earlier cutoff
   * @param persons the persons whose facts were recomputed (one column, {@code person_id})
   * @param leads0 the lead facts at {@code c0}
   * @param appointments0 the appointment facts at {@code c0}
   * @param marts0 the marts at {@code c0} by table name (without {@code as_of})
   */
  public record Since(
      Cutoff c0,
      Dataset<Row> persons,
      Dataset<Row> leads0,
      Dataset<Row> appointments0,
      Map<String, Dataset<Row>> marts0) {}

  private IncrementalMarts() {}

  /**
   * The appointments of {@code persons} at {@code c0} and at {@code c1} (columns {@code
   * linked_lead_id}, {@code booked_at}): what {@link #changedLeads} and {@link #dirtyWeeks} read of
   * them.
   */
  public static Dataset<Row> theirAppointments(Since s, Facts f) {
    return IncrementalFacts.ofPersons(s.appointments0(), s.persons())
        .select("linked_lead_id", "booked_at")
        .union(
            IncrementalFacts.ofPersons(f.appointments(), s.persons())
                .select("linked_lead_id", "booked_at"));
  }

  /**
   * The leads whose facts may differ (at {@code c0} and at {@code c1}, columns {@link #LEAD_KEYS}):
   * the leads of {@code persons}, and the leads their appointments ({@link #theirAppointments})
   * link.
   */
  public static Dataset<Row> changedLeads(Since s, Facts f, Dataset<Row> theirAppointments) {
    Dataset<Row> linked =
        theirAppointments
            .where(col("linked_lead_id").isNotNull())
            .select(col("linked_lead_id").as("_cl"));
    Dataset<Row> both =
        s.leads0().selectExpr(LEAD_COLUMNS).union(f.leads().selectExpr(LEAD_COLUMNS));
    Dataset<Row> byPerson = IncrementalFacts.ofPersons(both, s.persons());
    Dataset<Row> byLink = both.join(linked, col("lead_id").equalTo(col("_cl")), "left_semi");
    return byPerson.union(byLink).selectExpr(LEAD_KEYS);
  }

  /** cohort_funnel at {@code c1}; {@code changed}: {@link #changedLeads}. */
  public static Dataset<Row> funnel(
      Facts f, Since s, Dataset<Row> changed, Cutoff c1, int windowDays) {
    Column flips = between(CohortFunnel.maturesAt(windowDays), s.c0(), c1);
    String[] grain = CohortFunnel.GRAIN;
    Dataset<Row> dirty = changed.selectExpr(grain).union(f.leads().where(flips).selectExpr(grain));
    Dataset<Row> part =
        CohortFunnel.compute(
            keyed(f.leads(), dirty, grain, false), f.appointments(), c1, windowDays);
    return keep(s.marts0().get(Marts.COHORT_FUNNEL.table()), dirty, grain, flips).unionByName(part);
  }

  /** speed_to_lead at {@code c1}; {@code changed}: {@link #changedLeads}. */
  public static Dataset<Row> speed(
      Facts f, Since s, Dataset<Row> changed, Cutoff c1, Map<String, Integer> slaMinutes) {
    Column due = SpeedToLead.dueAt(slaMinutes);
    String[] grain = Marts.SPEED_TO_LEAD.grain();
    Dataset<Row> dirty =
        changed
            .selectExpr(grain)
            .union(f.leads().where(between(due, s.c0(), c1)).selectExpr(grain));
    Dataset<Row> part = SpeedToLead.compute(keyed(f.leads(), dirty, grain, false), c1, slaMinutes);
    return keep(s.marts0().get(Marts.SPEED_TO_LEAD.table()), dirty, grain, lit(false))
        .unionByName(part);
  }

  /**
   * cohort_comparison's strata at {@code c1} ({@link CohortComparison#strata}'s columns; the
   * summary is computed from them, as in full); {@code changed}: {@link #changedLeads}.
   */
  public static Dataset<Row> strata(
      Facts f, Since s, Dataset<Row> changed, Cutoff c1, int windowDays, int minStratumN) {
    Column flips = between(CohortComparison.maturesAt(windowDays), s.c0(), c1);
    String[] grain = Marts.COHORT_COMPARISON.grain();
    Dataset<Row> dirty = changed.selectExpr(grain).union(f.leads().where(flips).selectExpr(grain));
    Dataset<Row> part =
        CohortComparison.strata(keyed(f.leads(), dirty, grain, false), c1, windowDays, minStratumN);
    Dataset<Row> kept =
        CohortComparison.ratios(
            keep(s.marts0().get(Marts.COHORT_COMPARISON.table()), dirty, grain, flips));
    return kept.unionByName(part.selectExpr(kept.columns()));
  }

  /**
   * The dirty booking weeks: the weeks of the bookings of {@code persons} at either cutoff ({@link
   * #theirAppointments}). Attribution recomputes every conversion of such a week, so the week's
   * credits are summed over the same conversions as in full.
   */
  public static Dataset<Row> dirtyWeeks(Dataset<Row> theirAppointments) {
    return theirAppointments.select(LeadFacts.week(col("booked_at")).as("booking_week")).distinct();
  }

  /** {@code appointments} (at {@code c1}) booked in one of {@code weeks}. */
  public static Dataset<Row> bookedIn(Dataset<Row> appointments, Dataset<Row> weeks) {
    Dataset<Row> w = appointments.withColumn("booking_week", LeadFacts.week(col("booked_at")));
    return keyed(w, weeks, new String[] {"booking_week"}, false).drop("booking_week");
  }

  /**
   * An attribution mart at {@code c1}: {@code part} (its dirty weeks) and {@code c0}'s others,
   * without {@code c0}'s {@code markov} rows (the chain is re-estimated at every cutoff: the caller
   * recomputes every week's).
   */
  public static Dataset<Row> attribution(
      Marts.Mart mart, Since s, Dataset<Row> weeks, Dataset<Row> part) {
    Dataset<Row> rules = s.marts0().get(mart.table()).where(col("model").notEqual(Markov.MODEL));
    return keep(rules, weeks, new String[] {"booking_week"}, lit(false)).unionByName(part);
  }

  /** The rows of {@code rows} whose grain is (anti: is not) one of {@code keys}; nulls match. */
  static Dataset<Row> keyed(Dataset<Row> rows, Dataset<Row> keys, String[] grain, boolean anti) {
    Column[] renamed = new Column[grain.length];
    for (int i = 0; i < grain.length; i++) {
      renamed[i] = col(grain[i]).as("_k" + i);
    }
    Dataset<Row> k = keys.select(renamed).distinct();
    Column on = null;
    for (int i = 0; i < grain.length; i++) {
      Column eq = rows.col(grain[i]).eqNullSafe(k.col("_k" + i));
      on = on == null ? eq : on.and(eq);
    }
    return rows.join(k, on, anti ? "left_anti" : "left_semi");
  }

  /** {@code c0}'s rows of the keys that are neither dirty nor flipping. */
  private static Dataset<Row> keep(
      Dataset<Row> rows0, Dataset<Row> dirty, String[] grain, Column flips) {
    return keyed(rows0, dirty, grain, true).where(flips.unary_$bang());
  }

  /** {@code true} where an instant (micros) is in {@code (c0, c1]}: a {@code <= c} flag flips. */
  private static Column between(Column micros, Cutoff c0, Cutoff c1) {
    return micros.gt(lit(c0.micros())).and(micros.leq(lit(c1.micros())));
  }
}
