package io.leadloop.jobs.weekly;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.to_date;

import io.leadloop.common.metrics.AsOfs;
import io.leadloop.common.schema.Entity;
import io.leadloop.common.spark.Warehouse;
import io.leadloop.jobs.ingest.Tables;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.apache.spark.sql.Row;

/**
 * A backfill's as-ofs in plans, in order, each holding at most {@value #LEAD_WEEKS_KEY} lead-weeks
 * per GiB of driver heap: the sum over its as-ofs of the staged lead rows created by each, for a
 * plan's states hold each lead once per as-of. With a 4 GiB driver, 52 Sundays in one plan at 100k
 * persons (about 5M lead-weeks) and 2 Sundays at 1M (2.8M) ran out of memory (Spark reading a
 * cached block back from disk into the heap); 17–18 Sundays at 100k (about 2M) did not, nor does a
 * weekly run at 1M (1.4M). A plan after another reads what it stored (the entries), as a later
 * as-of of one plan does.
 */
public final class Plans {
  /**
   * The lead-weeks (staged lead rows × as-ofs) one plan holds per GiB of driver heap (a system
   * property; {@value #LEAD_WEEKS_DEFAULT} unless set).
   */
  public static final String LEAD_WEEKS_KEY = "leadloop.backfill.leadWeeksPerGiB";

  public static final long LEAD_WEEKS_DEFAULT = 500_000;

  private Plans() {}

  /** The lead-weeks one plan may hold in this JVM: the property times the heap's GiB. */
  static long budget() {
    double heapGiB = Runtime.getRuntime().maxMemory() / (double) (1L << 30);
    return (long) (Long.getLong(LEAD_WEEKS_KEY, LEAD_WEEKS_DEFAULT) * heapGiB);
  }

  /**
   * {@code items} (in order) cut into consecutive plans: a plan takes the next item while the sum
   * of its {@code weights} stays within {@code budget}; an item heavier than the budget is a plan
   * of its own.
   */
  static <T> List<List<T>> pack(List<T> items, long[] weights, long budget) {
    List<List<T>> out = new ArrayList<>();
    int from = 0;
    long held = 0;
    for (int i = 0; i < items.size(); i++) {
      if (i > from && held + weights[i] > budget) {
        out.add(items.subList(from, i));
        from = i;
        held = 0;
      }
      held += weights[i];
    }
    out.add(items.subList(from, items.size()));
    return out;
  }

  /** The staged lead rows created by each as-of's day (inclusive), from one aggregation by day. */
  static long[] leadsAt(Warehouse wh, List<LocalDate> asOfs) {
    TreeMap<LocalDate, Long> byDay = new TreeMap<>();
    for (Row r :
        Tables.staged(wh, Entity.LEADS)
            .groupBy(to_date(col("created_at")))
            .count()
            .collectAsList()) {
      if (!r.isNullAt(0)) {
        byDay.put(AsOfs.localDate(r.get(0)), r.getLong(1));
      }
    }
    long[] out = new long[asOfs.size()];
    for (int i = 0; i < asOfs.size(); i++) {
      out[i] = byDay.headMap(asOfs.get(i), true).values().stream().mapToLong(Long::longValue).sum();
    }
    return out;
  }
}
