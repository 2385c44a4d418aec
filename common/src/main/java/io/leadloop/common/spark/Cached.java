package io.leadloop.common.spark;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.execution.LogicalRDD;
import org.apache.spark.storage.StorageLevel;

/**
 * A dataset computed once and kept for the rest of the run, as a dataset whose plan is its stored
 * rows alone ({@code localCheckpoint}), not the plan that computed them.
 *
 * <p>Why not {@code persist}: a persisted dataset keeps its whole logical plan, and Spark analyzes,
 * checks and describes that plan again for every dataset built on it (each {@code select}, join and
 * write), and describes it once more each time an adaptive stage completes, although the cache
 * replaces it at execution. The facts' plans are deep and every mart and segment is built on them:
 * on conformance case-2 (a profile of the driver thread, 20 ms samples) a weekly run's driver
 * thread took 3,164 samples with {@code persist}, 1,036 with this, for the same rows. The rows are
 * kept at the storage level given, spilled to local disk past the storage memory; in a cluster they
 * live on the executors that computed them (a lost executor fails the run, which a re-run repeats
 * whole, as after any failure). The large inputs of a run (the states at the cutoff) are kept in
 * Spark's columnar cache instead ({@link #persisted}), read through the cached relation alone.
 */
public final class Cached {
  private Cached() {}

  /**
   * Computes {@code ds} now, keeps its rows at {@code level}, registers the result in {@code
   * release} (see {@link #release}) and returns it.
   */
  public static Dataset<Row> of(Dataset<Row> ds, StorageLevel level, List<Dataset<Row>> release) {
    Dataset<Row> kept = ds.localCheckpoint(true, level);
    release.add(kept);
    return kept;
  }

  /**
   * {@link #of} at {@code MEMORY_AND_DISK_SER}: the rows kept as bytes, a few large objects for the
   * garbage collector instead of one per row (kept deserialized, the facts of a 1M-person run spent
   * 129 s of their 245 s in GC with a 4 GiB heap).
   */
  public static Dataset<Row> of(Dataset<Row> ds, List<Dataset<Row>> release) {
    return of(ds, StorageLevel.MEMORY_AND_DISK_SER(), release);
  }

  /** A dataset kept by {@link #counted}, and its number of rows. */
  public record Counted(Dataset<Row> rows, long count) {}

  /**
   * {@link #of} at {@code MEMORY_AND_DISK_SER}, counting the rows as they are kept: the count
   * computes the checkpoint, one Spark job as for {@link #of}, where a count afterwards is one or
   * two jobs more.
   */
  public static Counted counted(Dataset<Row> ds, List<Dataset<Row>> release) {
    Dataset<Row> kept = ds.localCheckpoint(false, StorageLevel.MEMORY_AND_DISK_SER());
    release.add(kept);
    // Counted on the kept RDD itself: its first computation stores it, and the count of an RDD is
    // one job with no shuffle (a Dataset's count aggregates: two jobs under adaptive execution).
    return new Counted(kept, ((LogicalRDD) kept.queryExecution().logical()).rdd().count());
  }

  /**
   * Persists {@code ds} in Spark's columnar cache (compressed; for the large inputs of a run, such
   * as the states of the entities at the cutoff, which every fact reads) and returns a dataset
   * whose plan is the cached relation alone, so that what is built on it is not analyzed down to
   * the tables it was read from. Registers the persisted dataset in {@code release}.
   */
  public static Dataset<Row> persisted(Dataset<Row> ds, List<Dataset<Row>> release) {
    Dataset<Row> persisted = ds.persist(StorageLevel.MEMORY_AND_DISK());
    release.add(persisted);
    var classic = (org.apache.spark.sql.classic.Dataset<Row>) persisted;
    var session = classic.sparkSession();
    scala.Option<org.apache.spark.sql.execution.CachedData> cached =
        session.sharedState().cacheManager().lookupCachedData(classic);
    if (cached.isEmpty()) {
      return persisted;
    }
    return org.apache.spark.sql.classic.Dataset$.MODULE$.ofRows(
        session, cached.get().cachedRepresentation());
  }

  /**
   * Drops the kept rows of each dataset of {@code datasets} (made by {@link #of}, or persisted) and
   * empties the list: a backfill runs many weeks in one driver.
   */
  public static void release(List<Dataset<Row>> datasets) {
    for (Dataset<Row> ds : datasets) {
      if (ds.queryExecution().logical() instanceof LogicalRDD kept) {
        kept.rdd().unpersist(false);
      } else {
        ds.unpersist();
      }
    }
    datasets.clear();
  }
}
