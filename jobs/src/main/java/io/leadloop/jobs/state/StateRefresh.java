package io.leadloop.jobs.state;

import static org.apache.spark.sql.functions.col;

import io.leadloop.common.schema.Entity;
import io.leadloop.common.spark.Warehouse;
import io.leadloop.jobs.ingest.ParsedSchema;
import io.leadloop.jobs.ingest.Tables;
import io.leadloop.jobs.state.StateMarks.LedgerFile;
import io.leadloop.jobs.state.StateMarks.Mark;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Brings every state table ({@link StateStore}) up to the ingest ledger. Per entity:
 *
 * <ul>
 *   <li><b>unchanged</b> when its mark equals the ledger's files: no work, no commit;
 *   <li><b>incremental</b> when the ledger only gained batches after the mark: the keys that appear
 *       in those batches are rebuilt from all their staged rows (any batch), and the rebuilt rows
 *       that differ from the table's are upserted in one Delta MERGE; every other key's rows stay
 *       where they are. Re-running it is harmless (a key's rows are a function of its staged
 *       rows);
 *   <li><b>full</b> otherwise (first run, {@code --full-refresh}, a ledger rebuilt by a full
 *       refresh ingest, a table of an older layout): rebuilt from every staged row.
 * </ul>
 *
 * Marks are written after the tables, in one commit: a run cut off in between redoes the
 * incremental step, which gives the same rows.
 */
public final class StateRefresh {
  private static final Logger LOG = Logger.getLogger(StateRefresh.class.getName());

  /** What happened to one entity's table. */
  public record EntityResult(Entity entity, String mode, long throughBatchId, long rowsWritten) {}

  /** What a refresh did: one result per entity, and its wall time. */
  public record Result(List<EntityResult> entities, double seconds) {
    public long rowsWritten() {
      return entities.stream().mapToLong(r -> Math.max(0, r.rowsWritten())).sum();
    }
  }

  static final String STATS_COLUMNS = "delta.dataSkippingStatsColumns";

  private final Warehouse wh;
  private final boolean fullRefresh;

  /**
   * @param wh the warehouse whose staged tables and ledger are read and whose state tables written
   * @param fullRefresh rebuild every state table from every staged row
   */
  public StateRefresh(Warehouse wh, boolean fullRefresh) {
    this.wh = wh;
    this.fullRefresh = fullRefresh;
  }

  public Result execute() {
    long t0 = System.nanoTime();
    Map<Entity, List<LedgerFile>> ledger = ledgerFiles();
    Map<String, Mark> marks = fullRefresh ? Map.of() : StateMarks.read(wh);
    List<EntityResult> results = new ArrayList<>();
    List<Mark> next = new ArrayList<>();
    for (Entity e : Entity.values()) {
      List<LedgerFile> files = ledger.get(e);
      long through = files.stream().mapToLong(LedgerFile::batchId).max().orElse(0);
      Mark want = Mark.of(e.folder(), files, through);
      Mark have = usable(e) ? marks.get(e.folder()) : null;
      String mode;
      if (have != null && have.equals(want)) {
        mode = "unchanged";
      } else if (have != null
          && have.files() > 0
          && have.equals(Mark.of(e.folder(), files, have.throughBatchId()))) {
        mode = "incremental";
        incremental(e, have.throughBatchId());
      } else {
        mode = "full";
        Dataset<Row> rows = StateStore.versions(Tables.staged(wh, e), e);
        // Delta statistics only on the entity's own time: min / max of every string column of
        // every row cost CPU and skip no file (rows are not clustered by any of them).
        wh.ensureProperty(
            StateStore.table(e),
            rows.schema(),
            STATS_COLUMNS,
            io.leadloop.jobs.facts.AsOf.ownTime(e));
        // Files cover ranges of the entity's own time: new keys and new versions are mostly
        // recent, so an incremental batch rewrites the recent files only.
        wh.overwrite(
            StateStore.table(e),
            rows.repartitionByRange(col(io.leadloop.jobs.facts.AsOf.ownTime(e))));
      }
      long rows = mode.equals("unchanged") ? 0 : wh.lastCommitOutputRows(StateStore.table(e));
      results.add(new EntityResult(e, mode, through, rows));
      next.add(want);
    }
    if (results.stream().anyMatch(r -> !r.mode().equals("unchanged"))) {
      StateMarks.write(wh, next);
    }
    Result result = new Result(List.copyOf(results), (System.nanoTime() - t0) / 1e9);
    LOG.info(
        String.format(
            "state: %s, %d rows written, %.1f s",
            results.stream().map(r -> r.entity().folder() + " " + r.mode()).toList(),
            result.rowsWritten(),
            result.seconds()));
    return result;
  }

  /**
   * Rebuilds the keys of batches after {@code through} from all their staged rows and upserts the
   * rows that differ from the table's (new versions, a previous version's new {@code valid_to}, a
   * rewritten row): Delta rewrites only the files holding those, every other key's rows stay.
   * Versions are never removed by an ordinary batch (staged rows only accumulate), so an upsert is
   * exact; a full-refresh ingest changes the marks and takes the full path.
   */
  private void incremental(Entity e, long through) {
    String[] keys = e.key().toArray(String[]::new);
    Dataset<Row> staged = Tables.staged(wh, e);
    Dataset<Row> changedKeys =
        staged
            .where(col(ParsedSchema.BATCH_ID).gt(through))
            .select(StateStore.keyColumns(e))
            .distinct();
    Dataset<Row> table = wh.read(StateStore.table(e));
    // Joins on named columns put the keys first: select each side's own column order again.
    Dataset<Row> rebuilt =
        StateStore.versions(
                staged.join(changedKeys, seq(keys), "left_semi").select(columns(staged)), e)
            .select(Arrays.stream(table.columns()).map(c -> col(c)).toArray(Column[]::new));
    Dataset<Row> before = table.join(changedKeys, seq(keys), "left_semi").select(columns(table));
    wh.upsert(StateStore.table(e), rebuilt.exceptAll(before), StateStore.rowKey(e));
  }

  /** The table exists with the columns this code writes (else it is rebuilt). */
  private boolean usable(Entity e) {
    if (!wh.exists(StateStore.table(e))) {
      return false;
    }
    var empty = wh.spark().createDataFrame(List.of(), ParsedSchema.staged(e));
    return Arrays.equals(
        StateStore.versions(empty, e).schema().fieldNames(),
        wh.read(StateStore.table(e)).schema().fieldNames());
  }

  private Map<Entity, List<LedgerFile>> ledgerFiles() {
    Map<Entity, List<LedgerFile>> byEntity = new EnumMap<>(Entity.class);
    for (Entity e : Entity.values()) {
      byEntity.put(e, new ArrayList<>());
    }
    for (Row r : Tables.ledger(wh).select("entity", "file_sha256", "batch_id").collectAsList()) {
      Entity e = Entity.byFolder(r.getString(0));
      byEntity.get(e).add(new LedgerFile(r.getString(1), r.getLong(2)));
    }
    return byEntity;
  }

  private static Column[] columns(Dataset<Row> ds) {
    return Arrays.stream(ds.columns()).map(col -> ds.col(col)).toArray(Column[]::new);
  }

  private static scala.collection.immutable.Seq<String> seq(String[] cols) {
    return scala.jdk.javaapi.CollectionConverters.asScala(Arrays.asList(cols)).toList();
  }
}
