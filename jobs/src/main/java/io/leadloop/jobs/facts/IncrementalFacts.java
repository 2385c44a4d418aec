package io.leadloop.jobs.facts;

import static org.apache.spark.sql.functions.col;

import io.leadloop.common.config.LeadloopConfig;
import io.leadloop.common.metrics.Cutoff;
import io.leadloop.common.schema.Entity;
import java.util.EnumMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The facts at {@code c1} from those of an earlier cutoff {@code c0} of the same warehouse: the
 * rows of unchanged persons are kept, those of changed persons are recomputed. Equal to {@link
 * FactsBuilder#build} at {@code c1} (proven in {@code IncrementalFactsTest}). Pure transforms.
 *
 * <p>Why two rounds of {@link ChangedPersons#withNeighbours}, and why that is exact:
 *
 * <ul>
 *   <li>{@code touched} ({@link ChangedPersons#touched}): persons with a changed key.
 *   <li>{@code recomputed} = touched and their neighbours. A person outside it has no changed key
 *       and no reference to or from a touched person's lead, and every row its facts read (its
 *       leads and their events, appointments naming or falling back to its leads, touches naming
 *       them or it, the leads its appointments name) counts the same at both cutoffs: its facts at
 *       {@code c1} are its facts at {@code c0}.
 *   <li>{@code inputs} = recomputed and their neighbours. A recomputed person's facts read rows of
 *       its own and of persons one reference away (an appointment of another person naming its
 *       lead, and that person's leads for the appointment's fallback link), so the facts computed
 *       from the inputs' rows alone are exact for recomputed persons. They are kept for those only;
 *       the neighbours' own facts may lack rows further away.
 * </ul>
 */
public final class IncrementalFacts {
  private IncrementalFacts() {}

  /**
   * The entities at the cutoff, cut to the rows of {@code persons}: their leads, appointments and
   * touches, and the events of those leads. Consent and suppression are kept whole.
   */
  public static Map<Entity, Dataset<Row>> restrict(
      Map<Entity, Dataset<Row>> state, Dataset<Row> persons) {
    Map<Entity, Dataset<Row>> part = new EnumMap<>(state);
    for (Entity e : new Entity[] {Entity.LEADS, Entity.APPOINTMENTS, Entity.TOUCHES}) {
      part.put(e, ofPersons(state.get(e), persons));
    }
    Dataset<Row> leadIds = part.get(Entity.LEADS).select(col("lead_id").as("_il"));
    Dataset<Row> events = state.get(Entity.LEAD_EVENTS);
    part.put(
        Entity.LEAD_EVENTS,
        events.join(leadIds, events.col("lead_id").equalTo(leadIds.col("_il")), "left_semi"));
    return part;
  }

  /**
   * The facts of the persons in {@code recomputed} at {@code c}, computed from the rows of {@code
   * inputs} alone (exact for those persons; see the class comment). Every row of the result is one
   * of {@link #merge}'s.
   */
  public static Facts recompute(
      Map<Entity, Dataset<Row>> state,
      Dataset<Row> recomputed,
      Dataset<Row> inputs,
      Cutoff c,
      LeadloopConfig config) {
    Facts part = FactsBuilder.fromState(restrict(state, inputs), c, config);
    return new Facts(
        Map.of(), ofPersons(part.leads(), recomputed), ofPersons(part.appointments(), recomputed));
  }

  /**
   * The facts at {@code c}: {@code previous} (the facts at an earlier cutoff) for every person not
   * in {@code recomputed}, and {@code part} ({@link #recompute}) for the persons in {@code
   * recomputed}. A lead or appointment belongs to the person of its version in force.
   *
   * @param state every entity at {@code c} (kept whole in the result)
   * @param previous the facts at the earlier cutoff (only its leads and appointments are read)
   */
  public static Facts merge(
      Map<Entity, Dataset<Row>> state, Facts previous, Dataset<Row> recomputed, Facts part) {
    Dataset<Row> leads = without(previous.leads(), recomputed).unionByName(part.leads());
    Dataset<Row> appointments =
        without(previous.appointments(), recomputed).unionByName(part.appointments());
    return new Facts(state, leads, appointments);
  }

  /** The rows of {@code rows} whose {@code person_id} is one of {@code persons}. */
  public static Dataset<Row> ofPersons(Dataset<Row> rows, Dataset<Row> persons) {
    Dataset<Row> p = persons.select(col("person_id").as("_pp"));
    return rows.join(p, rows.col("person_id").equalTo(p.col("_pp")), "left_semi");
  }

  private static Dataset<Row> without(Dataset<Row> rows, Dataset<Row> persons) {
    Dataset<Row> p = persons.select(col("person_id").as("_pp"));
    return rows.join(p, rows.col("person_id").equalTo(p.col("_pp")), "left_anti");
  }
}
