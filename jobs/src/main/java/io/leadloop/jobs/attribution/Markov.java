package io.leadloop.jobs.attribution;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.leadloop.common.metrics.AsOfs;
import io.leadloop.common.metrics.Rates;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code markov} model of metrics.md: removal effects of the chain of {@link Journeys}, each
 * conversion's booking split among the distinct channels of its own touches in proportion to them,
 * and {@code channel_removal_effects} (grain: channel). Pure: Datasets in, Datasets out.
 */
public final class Markov {
  public static final String MODEL = "markov";
  public static final String[] EFFECT_COLUMNS = {
    "channel", "paths", "conversions", "removal_effect", "re_share", "bookings_credited"
  };
  private static final StructType EFFECTS =
      new StructType()
          .add("channel", DataTypes.StringType, false)
          .add("removal_effect", DataTypes.DoubleType, false);

  private Markov() {}

  /**
   * {@code RE_k} per channel of the chain ({@code channel}, {@code removal_effect}) from {@link
   * Journeys#transitions}. The chain has one state per channel: its counts are a small aggregate,
   * solved in one task ({@link RemovalEffects}) rather than collected by the caller, so the marts
   * stay lazy until they are published.
   */
  public static Dataset<Row> removalEffects(Dataset<Row> transitions) {
    if (!AsOfs.stacked(transitions)) {
      MapPartitionsFunction<Row, Row> solve = Markov::solve;
      return transitions.coalesce(1).mapPartitions(solve, Encoders.row(EFFECTS));
    }
    // One chain per as-of, each solved when its transitions have all been read (they are sorted).
    MapPartitionsFunction<Row, Row> solveEach = Markov::solveEach;
    return transitions
        .coalesce(1)
        .sortWithinPartitions(AsOfs.AS_OF)
        .mapPartitions(
            solveEach, Encoders.row(EFFECTS.add(AsOfs.AS_OF, DataTypes.DateType, false)));
  }

  private static Iterator<Row> solve(Iterator<Row> transitions) {
    Map<String, Map<String, Long>> counts = new HashMap<>();
    transitions.forEachRemaining(r -> add(counts, r));
    List<Row> out = new ArrayList<>();
    RemovalEffects.of(counts).effects().forEach((k, re) -> out.add(RowFactory.create(k, re)));
    return out.iterator();
  }

  /** {@link #solve} of each as-of of transitions sorted by as-of (its column 3). */
  private static Iterator<Row> solveEach(Iterator<Row> transitions) {
    List<Row> out = new ArrayList<>();
    Map<String, Map<String, Long>> counts = new HashMap<>();
    Object asOf = null;
    while (transitions.hasNext()) {
      Row r = transitions.next();
      if (asOf != null && !asOf.equals(r.get(3))) {
        effects(counts, asOf, out);
        counts = new HashMap<>();
      }
      asOf = r.get(3);
      add(counts, r);
    }
    if (asOf != null) {
      effects(counts, asOf, out);
    }
    return out.iterator();
  }

  private static void effects(Map<String, Map<String, Long>> counts, Object asOf, List<Row> out) {
    RemovalEffects.of(counts).effects().forEach((k, re) -> out.add(RowFactory.create(k, re, asOf)));
  }

  private static void add(Map<String, Map<String, Long>> counts, Row r) {
    counts
        .computeIfAbsent(r.getString(0), k -> new HashMap<>())
        .merge(r.getString(1), r.getLong(2), Long::sum);
  }

  /**
   * Each conversion of {@code credits} ({@link Attribution#credits}: one row per conversion, model
   * and touch, or one {@code none} row) split among the distinct channels of its touches in
   * proportion to their {@code removal_effect} (0 outside the chain), equally when those sum to 0;
   * {@code none} keeps its 1. Rows in {@code credits}' columns, model {@value #MODEL}.
   */
  public static Dataset<Row> credits(Dataset<Row> credits, Dataset<Row> effects) {
    Dataset<Row> channels =
        AsOfs.select(
                credits.where(col("model").equalTo(Attribution.MODELS[0])),
                "appointment_id",
                "booking_week",
                "channel")
            .distinct();
    Dataset<Row> re =
        AsOfs.select(effects, col("channel").as("_rc"), col("removal_effect").as("_re"));
    var conversion = AsOfs.window(channels, "appointment_id");
    Column weight = col("_w");
    Column total = sum(weight).over(conversion);
    Column credit =
        when(total.gt(0), weight.divide(total))
            .otherwise(lit(1.0).divide(count(lit(1)).over(conversion)));
    return AsOfs.select(
        AsOfs.join(channels, broadcast(re), col("channel").equalTo(col("_rc")), "left")
            .withColumn("_w", coalesce(col("_re"), lit(0.0))),
        col("appointment_id"),
        col("booking_week"),
        lit(MODEL).as("model"),
        col("channel"),
        lit(null).cast("string").as("campaign"),
        lit(null).cast("string").as("touch_id"),
        credit.as("credit"));
  }

  /**
   * channel_removal_effects: a row per channel of the chain ({@link Journeys#channels}, {@code
   * effects}) or with {@code markov} credit ({@code markovCredits}, from {@link #credits}), never
   * {@code none}.
   */
  public static Dataset<Row> channelRemovalEffects(
      Dataset<Row> channels, Dataset<Row> effects, Dataset<Row> markovCredits) {
    Dataset<Row> credited =
        AsOfs.groupBy(markovCredits.where(col("channel").notEqual("none")), "channel")
            .agg(sum("credit").as("_credit"))
            .where(col("_credit").gt(0));
    Dataset<Row> total =
        AsOfs.groupBy(effects, new String[0]).agg(sum("removal_effect").as("_total"));
    Column re = coalesce(col("removal_effect"), lit(0.0));
    Dataset<Row> joined =
        AsOfs.joinUsing(
            AsOfs.joinUsing(channels, effects, "inner", "channel"),
            credited,
            "full_outer",
            "channel");
    return AsOfs.select(
        AsOfs.stacked(joined) ? AsOfs.joinUsing(joined, total, "left") : joined.crossJoin(total),
        col("channel"),
        coalesce(col("paths"), lit(0L)).as("paths"),
        coalesce(col("conversions"), lit(0L)).as("conversions"),
        Rates.round4(re).as("removal_effect"),
        Rates.round4(when(col("_total").gt(0), re.divide(col("_total")))).as("re_share"),
        Rates.round4(coalesce(col("_credit"), lit(0.0))).as("bookings_credited"));
  }
}
