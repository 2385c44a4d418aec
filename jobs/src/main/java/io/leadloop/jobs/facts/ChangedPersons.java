package io.leadloop.jobs.facts;

import static org.apache.spark.sql.functions.col;

import io.leadloop.common.metrics.Cutoff;
import io.leadloop.common.schema.Entity;
import io.leadloop.jobs.ingest.ParsedSchema;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The persons whose facts may differ between two cutoffs {@code c0 < c1} of one warehouse (one
 * column, {@code person_id}). Pure transforms.
 *
 * <p>A fact compares a row's own instants with the cutoff and nothing else with it ({@link AsOf},
 * {@link AppointmentFacts}), so a key's rows can only count differently at {@code c1} than at
 * {@code c0} when one of its rows arrived in a later batch or has such an instant in {@code [c0,
 * c1)}. Such a key is <em>changed</em>, and so is every person any of its rows names: its own
 * {@code person_id}, and the persons of the lead its {@code lead_id} names (any version of that
 * lead). Consent and suppression are read by segments, never by facts.
 *
 * <p>A person's facts also read other persons' rows where a row names another person's lead (an
 * appointment's or a touch's {@code lead_id}). {@link #withNeighbours} adds the persons on the
 * other side of such references; see {@link IncrementalFacts} for how many times it is applied.
 */
public final class ChangedPersons {
  private ChangedPersons() {}

  /** The instants of an entity that the facts compare with the cutoff. */
  static List<String> instants(Entity e) {
    return switch (e) {
      case LEADS -> List.of("created_at", "updated_at");
      case APPOINTMENTS -> List.of("booked_at", "updated_at", "scheduled_start");
      case LEAD_EVENTS, TOUCHES -> List.of("occurred_at");
      case CONSENT, SUPPRESSION -> List.of();
    };
  }

  /**
   * Persons with a changed key: a key with a staged row (every version, lineage included) of a
   * batch after {@code lastBatch}, or with an instant in {@code [c0, c1)}.
   *
   * <p>Read so that the scans stay cheap: the rows of later batches are selected alone, so that the
   * Parquet row groups of earlier batches are skipped on their {@code batch_id} statistics. An
   * instant of a lead or appointment (versioned) is looked for in every staged version. A lead
   * event or touch without a later row is the same row at both cutoffs (the latest row of a key
   * wins at every as-of), so its instant is looked for in its row at {@code c1} ({@code state}).
   */
  public static Dataset<Row> touched(
      Map<Entity, Dataset<Row>> staged,
      Map<Entity, Dataset<Row>> state,
      long lastBatch,
      Cutoff c0,
      Cutoff c1) {
    Dataset<Row> leadPersons =
        staged.get(Entity.LEADS).select(col("lead_id").as("_ll"), col("person_id"));
    Dataset<Row> persons = null;
    for (Entity e :
        List.of(Entity.LEADS, Entity.APPOINTMENTS, Entity.LEAD_EVENTS, Entity.TOUCHES)) {
      Dataset<Row> rows = staged.get(e);
      String key = e.key().get(0);
      Dataset<Row> later = rows.where(col(ParsedSchema.BATCH_ID).gt(lastBatch)).select(col(key));
      Dataset<Row> changed; // rows naming the persons of the changed keys
      if (e.versionColumn() != null) {
        Column inWindow = null;
        for (String t : instants(e)) {
          Column in = col(t).geq(c0.column()).and(col(t).lt(c1.column()));
          inWindow = inWindow == null ? in : inWindow.or(in);
        }
        Dataset<Row> keys = later.union(rows.where(inWindow).select(col(key))).distinct();
        changed = versionsOf(rows, keys, key);
      } else {
        // Own time in [c0, c1): at c1 the row exists, at c0 it did not.
        Dataset<Row> window = state.get(e).where(col(AsOf.ownTime(e)).geq(c0.column()));
        changed =
            versionsOf(rows, later.distinct(), key).select(names(e)).union(window.select(names(e)));
      }
      Dataset<Row> named = null;
      if (e != Entity.LEAD_EVENTS) {
        named = changed.select("person_id");
      }
      if (e != Entity.LEADS) {
        Dataset<Row> refs = changed.where(col("lead_id").isNotNull()).select("lead_id");
        Dataset<Row> ofLeads =
            leadPersons
                .join(refs, leadPersons.col("_ll").equalTo(refs.col("lead_id")), "left_semi")
                .select("person_id");
        named = named == null ? ofLeads : named.union(ofLeads);
      }
      persons = persons == null ? named : persons.union(named);
    }
    return persons.where(col("person_id").isNotNull()).distinct();
  }

  /** Every staged version of {@code keys} (one column named {@code key}). */
  private static Dataset<Row> versionsOf(Dataset<Row> rows, Dataset<Row> keys, String key) {
    Dataset<Row> k = keys.select(col(key).as("_k"));
    return rows.join(k, rows.col(key).equalTo(k.col("_k")), "left_semi");
  }

  /**
   * The columns that name persons: {@code person_id} and {@code lead_id} where the entity has them.
   */
  private static Column[] names(Entity e) {
    return e == Entity.LEAD_EVENTS
        ? new Column[] {col("lead_id")}
        : new Column[] {col("person_id"), col("lead_id")};
  }

  /**
   * {@code persons} and every person on the other side of a reference at the cutoff: a person whose
   * appointment or touch names a lead of {@code persons}, and the person of a lead that an
   * appointment or touch of {@code persons} names. {@code state}: the entities at the cutoff.
   */
  public static Dataset<Row> withNeighbours(Dataset<Row> persons, Map<Entity, Dataset<Row>> state) {
    Dataset<Row> leads =
        state.get(Entity.LEADS).select(col("lead_id").as("_rl"), col("person_id").as("_lp"));
    Dataset<Row> refs =
        references(state.get(Entity.APPOINTMENTS)).union(references(state.get(Entity.TOUCHES)));
    Dataset<Row> s = persons.select(col("person_id").as("_sp"));
    Dataset<Row> theirLeads =
        leads.join(s, col("_lp").equalTo(col("_sp")), "left_semi").select(col("_rl").as("_sl"));
    Dataset<Row> outward =
        refs.join(s, col("_rp").equalTo(col("_sp")), "left_semi")
            .join(leads, "_rl")
            .select(col("_lp").as("person_id"));
    Dataset<Row> inward =
        refs.join(theirLeads, col("_rl").equalTo(col("_sl")), "left_semi")
            .select(col("_rp").as("person_id"));
    return persons.select("person_id").union(outward).union(inward).distinct();
  }

  /** The (person, named lead) pairs of an entity's rows: {@code _rp, _rl}. */
  private static Dataset<Row> references(Dataset<Row> rows) {
    return rows.where(col("lead_id").isNotNull())
        .select(col("person_id").as("_rp"), col("lead_id").as("_rl"));
  }
}
