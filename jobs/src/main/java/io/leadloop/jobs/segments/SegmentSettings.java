package io.leadloop.jobs.segments;

import io.leadloop.common.config.LeadloopConfig;
import io.leadloop.common.schema.Vocabularies;
import io.leadloop.jobs.metrics.MartRows;
import io.leadloop.jobs.metrics.MartStore;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The {@value #TABLE} table (grain: as-of): the settings and lists the segment rules of a run read,
 * as that run applied them, so that a notebook looking into a person's exclusion reads the windows,
 * caps and channels from here rather than writing them again. The lists and windows the rules fix
 * are defined here once and read by {@link Segments}.
 */
public final class SegmentSettings {
  public static final String TABLE = "segment_settings";

  /** frequency_cap's windows: {@code cap_7d} contacts in 7 days, {@code cap_30d} in 30. */
  static final int CAP_7D_DAYS = 7;

  static final int CAP_30D_DAYS = 30;

  /** The channels of consent records and of contacts (an outbound touch on one of them). */
  static final List<String> CONTACT_CHANNELS = Vocabularies.CONSENT_CHANNELS;

  /** Statuses of an appointment that is not open, whatever its start. */
  static final List<String> NOT_OPEN_STATUSES = List.of("cancelled", "entered-in-error");

  private static final ArrayType STRINGS = DataTypes.createArrayType(DataTypes.StringType, false);

  static final StructType RULE =
      new StructType()
          .add("step", DataTypes.IntegerType, false)
          .add("rule", DataTypes.StringType, false)
          .add("segments", STRINGS, false)
          .add("meaning", DataTypes.StringType, false);

  static final StructType SCHEMA =
      new StructType()
          .add("contact_channels", STRINGS, false)
          .add("failed_outcomes", STRINGS, false)
          .add("cap_7d", DataTypes.IntegerType, false)
          .add("cap_7d_days", DataTypes.IntegerType, false)
          .add("cap_30d", DataTypes.IntegerType, false)
          .add("cap_30d_days", DataTypes.IntegerType, false)
          .add("cooldown_days", DataTypes.IntegerType, false)
          .add("max_cycles", DataTypes.IntegerType, false)
          .add("not_open_statuses", STRINGS, false)
          .add(
              "consent_default",
              DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType, false),
              false)
          .add(
              "channel_preference",
              DataTypes.createMapType(DataTypes.StringType, STRINGS, false),
              false)
          .add("exclusion_rules", DataTypes.createArrayType(RULE, false), false);

  private SegmentSettings() {}

  /** An as-of's row under {@code config} (its {@code as_of} is the store's: {@link MartStore}). */
  static MartRows rows(LeadloopConfig config) {
    List<Row> rules = new ArrayList<>();
    for (ExclusionRule r : ExclusionRule.values()) {
      rules.add(RowFactory.create(r.ordinal() + 1, r.code, r.segments(), r.meaning(config)));
    }
    return new MartRows(SCHEMA, List.of(row(config, rules)));
  }

  private static Row row(LeadloopConfig config, List<Row> rules) {
    return RowFactory.create(
        CONTACT_CHANNELS,
        Vocabularies.FAILED_OUTCOMES,
        config.cap7d(),
        CAP_7D_DAYS,
        config.cap30d(),
        CAP_30D_DAYS,
        config.cooldownDays(),
        config.maxCycles(),
        NOT_OPEN_STATUSES,
        new TreeMap<>(config.consentDefault()),
        new TreeMap<>(config.channelPreference()),
        rules);
  }
}
