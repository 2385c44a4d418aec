package io.leadloop.jobs.segments;

import io.leadloop.jobs.outcomes.Assignment;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The member counts of run.json's {@code segments} ({@code members_by_segment}, {@code
 * members_by_tier}, {@code members_by_channel}: treatment members; {@code members_by_group}: every
 * member kept by the rules, by segment and group), from one grouping of the assigned members
 * instead of one query per count.
 */
final class MemberCounts {
  static final String[] KEYS = {"segment", "group", "tier", "recommended_channel"};

  private MemberCounts() {}

  /**
   * The counts, each keyed in sorted order.
   *
   * @param byGroup every member kept by the rules, by {@code segment/group}
   */
  record Counts(
      Map<String, Long> bySegment,
      Map<String, Long> byTier,
      Map<String, Long> byChannel,
      Map<String, Long> byGroup) {}

  /** The four counts of {@code assigned} (columns {@link #KEYS}), keys sorted, nulls as "". */
  static Counts of(Dataset<Row> assigned) {
    return of(assigned.groupBy(KEYS[0], KEYS[1], KEYS[2], KEYS[3]).count().collectAsList());
  }

  /** The counts from rows of ({@link #KEYS}..., count). */
  static Counts of(List<Row> grouped) {
    Map<String, Long> bySegment = new TreeMap<>();
    Map<String, Long> byTier = new TreeMap<>();
    Map<String, Long> byChannel = new TreeMap<>();
    Map<String, Long> byGroup = new TreeMap<>();
    for (Row r : grouped) {
      long n = r.getLong(4);
      byGroup.merge(text(r, 0) + "/" + text(r, 1), n, Long::sum);
      if (Assignment.TREATMENT.equals(r.getString(1))) {
        bySegment.merge(text(r, 0), n, Long::sum);
        byTier.merge(text(r, 2), n, Long::sum);
        byChannel.merge(text(r, 3), n, Long::sum);
      }
    }
    return new Counts(bySegment, byTier, byChannel, byGroup);
  }

  private static String text(Row r, int i) {
    return r.isNullAt(i) ? "" : String.valueOf(r.get(i));
  }
}
