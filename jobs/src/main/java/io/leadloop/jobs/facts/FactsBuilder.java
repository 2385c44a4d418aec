package io.leadloop.jobs.facts;

import io.leadloop.common.config.LeadloopConfig;
import io.leadloop.common.metrics.Cutoff;
import io.leadloop.common.schema.Entity;
import java.util.EnumMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Builds {@link Facts} from staged tables at a cutoff. Pure: staged datasets in, facts out. */
public final class FactsBuilder {
  private FactsBuilder() {}

  public static Facts build(Map<Entity, Dataset<Row>> staged, Cutoff c, LeadloopConfig config) {
    return fromState(states(staged, c), c, config);
  }

  /** Each entity as it stood at {@code c} ({@link AsOf#at}). */
  public static Map<Entity, Dataset<Row>> states(Map<Entity, Dataset<Row>> staged, Cutoff c) {
    Map<Entity, Dataset<Row>> state = new EnumMap<>(Entity.class);
    for (Entity e : Entity.values()) {
      state.put(e, AsOf.at(staged.get(e), e, c));
    }
    return state;
  }

  /**
   * Each entity as it stood at each as-of of {@code asOfs} ({@link AsOf#atEach}): the states of
   * many as-ofs side by side, which {@link #fromState} turns into the facts of each ({@link
   * io.leadloop.common.metrics.AsOfs}).
   */
  public static Map<Entity, Dataset<Row>> states(
      Map<Entity, Dataset<Row>> staged, Dataset<Row> asOfs) {
    Map<Entity, Dataset<Row>> state = new EnumMap<>(Entity.class);
    for (Entity e : Entity.values()) {
      state.put(e, AsOf.atEach(staged.get(e), e, asOfs));
    }
    return state;
  }

  /**
   * The per-lead and per-appointment facts of the entities as they stood at {@code c} (or at each
   * row's as-of, when the states are stacked); reads only the leads, lead events, touches and
   * appointments of {@code state}.
   */
  public static Facts fromState(Map<Entity, Dataset<Row>> state, Cutoff c, LeadloopConfig config) {
    Dataset<Row> leads = state.get(Entity.LEADS);
    Dataset<Row> recycles = LeadFacts.recycles(state.get(Entity.LEAD_EVENTS), leads);
    Dataset<Row> leadRecycles = LeadFacts.leadRecycles(recycles);
    Dataset<Row> linked =
        AppointmentFacts.link(state.get(Entity.APPOINTMENTS), leads, config.linkHorizonDays());
    Dataset<Row> appts =
        AppointmentFacts.build(
            linked, leads, leadRecycles, recycles, c, config.bookingWindowDays());
    Dataset<Row> responses = LeadFacts.firstResponses(leads, state.get(Entity.TOUCHES));
    Dataset<Row> leadFacts =
        LeadFacts.build(
            leads, state.get(Entity.LEAD_EVENTS), leadRecycles, recycles, appts, responses);
    return new Facts(state, leadFacts, appts);
  }
}
