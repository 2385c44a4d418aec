package io.leadloop.jobs.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.leadloop.common.config.LeadloopConfig;
import io.leadloop.common.schema.Entity;
import io.leadloop.common.spark.Concurrently;
import io.leadloop.common.spark.ExpressionMode;
import io.leadloop.common.spark.PlanMode;
import io.leadloop.common.spark.Warehouse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Landing files → raw tables (every record read, typed where it parsed; the staged rows are their
 * accepted rows, {@link Tables#staged(Warehouse, Entity)}) and rejects, as one batch. Each entity's
 * files are parsed once, into its raw table ({@code raw_<entity>}); the counts and the rejects are
 * read from there. The batch becomes visible in one commit of the {@link Tables#LEDGER}: until then
 * every row written is invisible to readers ({@link Tables}), so a file that cannot be read, or a
 * file over the reject threshold, stops the run with nothing visible, and the re-run replaces those
 * rows. A file whose content was already ingested for the entity is skipped, so re-ingesting
 * changes nothing.
 *
 * <p>A full refresh ({@code --full-refresh}; e.g. after an upgrade that parses differently) treats
 * every landing file as new and rebuilds the ingest tables from the landing files alone: once all
 * files are parsed and counted, it empties the ledger (one commit: from then on no earlier row is
 * visible), then {@code rejects} and the raw tables' rows of earlier batches, drops any {@code
 * stg_<entity>} table of a release before the raw tables (which every other run refuses, {@link
 * Tables#requireCurrentLayout}), and writes the batch as usual. Rows of files no longer in the
 * landing location are gone; earlier versions stay reachable by Delta time travel. A crash after
 * the ledger is emptied leaves a warehouse the next run (of either kind) rebuilds from all landing
 * files, since none is known.
 */
public final class IngestAction {
  private static final Logger LOG = Logger.getLogger(IngestAction.class.getName());

  /**
   * Data-skipping statistics only on what the ingest's own {@code replaceWhere} and reads of a
   * batch filter on (the file hash): Delta's default, min / max of the first 32 columns, copied
   * every string of every row (each raw line included) and was ~8% of the ingest's CPU; readers
   * scan these tables whole.
   */
  static final String STATS_COLUMNS = "delta.dataSkippingStatsColumns";

  /**
   * Properties of the raw tables: statistics on the file hash only, and no Parquet dictionaries
   * (Delta hands a table's properties to the Parquet writer). Most of a raw row is unique (the
   * text, ids, times): building dictionaries for them cost ~13 s of the 1M ingest.
   */
  static final Map<String, String> RAW_PROPERTIES =
      Map.of(STATS_COLUMNS, "file_sha256", "parquet.enable.dictionary", "false");

  private final Warehouse warehouse;
  private final String landing;
  private final Instant ingestedAt;
  private final LeadloopConfig config;
  private final boolean fullRefresh;

  public IngestAction(
      Warehouse warehouse, String landing, Instant ingestedAt, LeadloopConfig config) {
    this(warehouse, landing, ingestedAt, config, false);
  }

  /**
   * @param fullRefresh rebuild the ingest tables from every landing file instead of adding the new
   *     ones
   */
  public IngestAction(
      Warehouse warehouse,
      String landing,
      Instant ingestedAt,
      LeadloopConfig config,
      boolean fullRefresh) {
    this.warehouse = warehouse;
    this.landing = landing;
    this.ingestedAt = ingestedAt.truncatedTo(ChronoUnit.MICROS);
    this.config = config;
    this.fullRefresh = fullRefresh;
  }

  public IngestResult execute() {
    long t0 = System.nanoTime();
    var spark = warehouse.spark();
    if (!fullRefresh) {
      for (Entity e : Entity.values()) {
        Tables.requireCurrentLayout(warehouse, e);
      }
    }
    LandingScan.Result scan = LandingScan.scan(landing, spark.sparkContext().hadoopConfiguration());
    List<Row> ledgerRows = Tables.ledgerFiles(warehouse);
    Set<String> known = new HashSet<>();
    long batchId = 1;
    for (Row r : ledgerRows) {
      if (!fullRefresh) {
        known.add(r.getString(0) + "/" + r.getString(1));
      }
      batchId = Math.max(batchId, r.getLong(2) + 1);
    }
    Map<Entity, List<LandingFile>> toRead = new EnumMap<>(Entity.class);
    List<String> skipped = new ArrayList<>();
    for (LandingFile f : scan.files()) {
      if (known.add(f.entity().folder() + "/" + f.sha256())) {
        toRead.computeIfAbsent(f.entity(), e -> new ArrayList<>()).add(f);
      } else {
        skipped.add(f.entity().folder() + "/" + f.name());
      }
    }
    // The batch is parsed into its raw table and read back with the committed leads: the rows the
    // ledger has read and the new files' rows, estimated from their size.
    long newBytes =
        toRead.values().stream().flatMap(List::stream).mapToLong(LandingFile::bytes).sum();
    long rows = Tables.rowsRead(ledgerRows) + newBytes / ExpressionMode.LANDING_BYTES_PER_ROW;
    ExpressionMode.apply(spark, rows);
    PlanMode.apply(spark, rows);
    FileParser parser =
        new FileParser(
            new HadoopConf(spark.sparkContext().hadoopConfiguration()),
            config.sourceTimezone(),
            ingestedAt,
            batchId,
            config.fhirServiceLineMap());
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Map<Entity, Dataset<Row>> resolved =
        java.util.Collections.synchronizedMap(new EnumMap<>(Entity.class));
    // One piece per entity, lead events after leads (their known leads include this batch's).
    List<Runnable> parses = new ArrayList<>();
    for (Entity e : Entity.values()) {
      if (e == Entity.LEAD_EVENTS) {
        continue;
      }
      parses.add(
          () -> {
            resolved.put(e, parse(jsc, parser, e, toRead, resolved, ledgerRows));
            if (e == Entity.LEADS) {
              resolved.put(
                  Entity.LEAD_EVENTS,
                  parse(jsc, parser, Entity.LEAD_EVENTS, toRead, resolved, ledgerRows));
            }
          });
    }
    Concurrently.run(parses);
    // Count (an unreadable file has failed above) before any row becomes visible.
    BatchCounts.Counted counted =
        BatchCounts.count(resolved, toRead, batchId, ingestedAt, config.maxRejectShare());
    Map<String, IngestResult.EntityCounts> counts = counted.entities();
    List<Row> ledger = counted.ledger();
    if (fullRefresh) {
      truncateIngestTables(batchId);
    }
    if (!ledger.isEmpty()) {
      writeRejects(resolved, toRead);
      warehouse.append(Tables.LEDGER, spark.createDataFrame(ledger, Tables.LEDGER_SCHEMA));
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    IngestResult result = new IngestResult(batchId, counts, scan.ignored(), skipped, seconds);
    LOG.info(
        String.format(
            "ingest: batch %d, %d files, %d rows read, ledger v%d, %.1f s",
            batchId, ledger.size(), result.rowsRead(), warehouse.version(Tables.LEDGER), seconds));
    return result;
  }

  /** An entity's batch, resolved (own checks, then {@link Rejections}), in its raw table. */
  private Dataset<Row> parse(
      JavaSparkContext jsc,
      FileParser parser,
      Entity e,
      Map<Entity, List<LandingFile>> toRead,
      Map<Entity, Dataset<Row>> resolved,
      List<Row> ledgerRows) {
    List<LandingFile> files = toRead.getOrDefault(e, List.of());
    JavaRDD<Row> rows =
        files.isEmpty()
            ? jsc.emptyRDD()
            : jsc.parallelize(files, files.size()).flatMap(parser::parse);
    Dataset<Row> parsed = warehouse.spark().createDataFrame(rows, ParsedSchema.of(e));
    Dataset<Row> r;
    if (e == Entity.LEAD_EVENTS) {
      // A full refresh rebuilds from the landing files alone: committed leads do not count.
      Dataset<Row> committed =
          fullRefresh
              ? warehouse.spark().createDataFrame(List.of(), ParsedSchema.staged(Entity.LEADS))
              : Tables.staged(warehouse, Entity.LEADS, ledgerRows);
      Dataset<Row> knownLeads =
          committed
              .select("lead_id")
              .union(
                  resolved
                      .get(Entity.LEADS)
                      .where(col(ParsedSchema.REJECT_REASON).isNull())
                      .select("lead_id"));
      r = Rejections.resolveEvents(parsed, knownLeads);
    } else {
      r = Rejections.resolve(parsed);
    }
    return files.isEmpty() ? r : parsedOnce(r, e, files, parser.batchId());
  }

  /**
   * Parses once: the resolved batch of an entity (typed columns, raw text and fields, reject reason
   * and message) is written to the entity's raw table and read back from there, as the batch's
   * rows, by the counts and the rejects; its accepted rows are the staged rows. So every record is
   * written once: no scratch copy, and no staged table of its own.
   */
  private Dataset<Row> parsedOnce(
      Dataset<Row> resolved, Entity e, List<LandingFile> files, long batchId) {
    Dataset<Row> rows = resolved.drop(ParsedSchema.IS_FUTURE);
    // Replaces only this batch's earlier rows of these files (a re-run after a crash has the same
    // batch id): a full refresh writes files whose committed rows of an earlier batch must stay
    // visible until its ledger commit (readers match raw rows to the ledger on file and batch).
    String batchFiles = ParsedSchema.BATCH_ID + " = " + batchId + " AND " + ofFiles(null, files);
    warehouse.replaceWhere(Tables.raw(e), batchFiles, rows, RAW_PROPERTIES);
    io.leadloop.common.Faults.point("ingest.raw-" + e.folder());
    return warehouse.read(Tables.raw(e)).where(batchFiles);
  }

  /**
   * Empties the ledger first (hiding every row at once), then the tables it makes visible; of the
   * raw tables, every row but those this batch has just written.
   */
  private void truncateIngestTables(long batchId) {
    warehouse.deleteAll(Tables.LEDGER);
    warehouse.deleteAll(Tables.REJECTS);
    for (Entity e : Entity.values()) {
      warehouse.deleteWhere(Tables.raw(e), ParsedSchema.BATCH_ID + " <> " + batchId);
      warehouse.drop(Tables.staged(e)); // the layout before the raw tables: no longer read
    }
  }

  /** The batch's rejects, read from the raw tables, in one replace of their files' rows. */
  private void writeRejects(
      Map<Entity, Dataset<Row>> resolved, Map<Entity, List<LandingFile>> batchFiles) {
    Set<Entity> withFiles = batchFiles.keySet();
    Dataset<Row> rejects = null;
    for (Entity e : withFiles) {
      Dataset<Row> entityRejects =
          resolved
              .get(e)
              .where(col(ParsedSchema.REJECT_REASON).isNotNull())
              .select(
                  lit(e.folder()).as("entity"),
                  col(ParsedSchema.BATCH_ID),
                  col(ParsedSchema.SOURCE_FILE),
                  col(ParsedSchema.FILE_SHA256),
                  col(ParsedSchema.LINE),
                  col(ParsedSchema.RAW_TEXT),
                  col(ParsedSchema.REJECT_REASON).as("reason"),
                  col(ParsedSchema.REJECT_MESSAGE).as("message"));
      rejects = rejects == null ? entityRejects : rejects.unionByName(entityRejects);
    }
    String all =
        withFiles.stream()
            .map(e -> "(" + ofFiles(e, batchFiles.get(e)) + ")")
            .reduce((a, b) -> a + " OR " + b)
            .orElseThrow();
    warehouse.replaceWhere(Tables.REJECTS, all, rejects);
  }

  /** The predicate selecting the rows of {@code files} (of entity {@code e} unless null). */
  static String ofFiles(Entity e, List<LandingFile> files) {
    String shas =
        files.stream()
            .map(f -> "'" + f.sha256() + "'")
            .distinct()
            .reduce((a, b) -> a + ", " + b)
            .orElseThrow();
    String in = ParsedSchema.FILE_SHA256 + " IN (" + shas + ")";
    return e == null ? in : "entity = '" + e.folder() + "' AND " + in;
  }
}
