package io.leadloop.jobs.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.leadloop.common.config.LeadloopConfig;
import io.leadloop.common.schema.Entity;
import io.leadloop.common.spark.Warehouse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.logging.Logger;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;

/**
 * Landing files → raw records, typed staged tables (every version) and rejects, as one batch. Every
 * file is parsed (and a file that cannot be read stops the run) before anything is written; the
 * batch becomes visible in one commit of the {@link Tables#LEDGER}. A file whose content was
 * already ingested for the entity is skipped, so re-ingesting changes nothing.
 *
 * <p>A full refresh ({@code --full-refresh}; e.g. after an upgrade that parses differently) treats
 * every landing file as new and rebuilds the ingest tables from the landing files alone: once all
 * files are parsed and counted, it empties the ledger (one commit: from then on no earlier row is
 * visible), then {@code raw_records}, {@code rejects} and the staged tables, and writes the batch
 * as usual. Rows of files no longer in the landing location are gone; earlier versions stay
 * reachable by Delta time travel. A crash after the ledger is emptied leaves a warehouse the next
 * run (of either kind) rebuilds from all landing files, since none is known.
 */
public final class IngestAction {
  private static final Logger LOG = Logger.getLogger(IngestAction.class.getName());

  /**
   * The warehouse folder (not a table) holding a batch's parsed rows while it is ingested; emptied
   * when the batch ends, however it ends.
   */
  public static final String SCRATCH = "_ingest_scratch";

  /**
   * Data-skipping statistics only on what the ingest's own {@code replaceWhere} filters on (the
   * file hash): Delta's default, min / max of the first 32 columns, copied every string of every
   * row (each raw line included) and was ~8% of the ingest's CPU; readers scan these tables whole.
   */
  static final String STATS_COLUMNS = "delta.dataSkippingStatsColumns";

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
    FileParser parser =
        new FileParser(
            new HadoopConf(spark.sparkContext().hadoopConfiguration()),
            config.sourceTimezone(),
            ingestedAt,
            batchId,
            config.fhirServiceLineMap());
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Map<Entity, Dataset<Row>> resolved = new EnumMap<>(Entity.class);
    Map<String, IngestResult.EntityCounts> counts = new LinkedHashMap<>();
    List<Row> ledger = new ArrayList<>();
    String scratch = warehouse.path(SCRATCH) + "/batch-" + batchId;
    deleteScratch(scratch); // left by a run cut off before its cleanup
    try { // a failed batch (unreadable file, reject share) must not leave its scratch files
      for (Entity e : Entity.values()) {
        List<LandingFile> files = toRead.getOrDefault(e, List.of());
        JavaRDD<Row> rows =
            files.isEmpty()
                ? jsc.emptyRDD()
                : jsc.parallelize(files, files.size()).flatMap(parser::parse);
        Dataset<Row> parsed = spark.createDataFrame(rows, ParsedSchema.of(e));
        Dataset<Row> r;
        if (e == Entity.LEAD_EVENTS) {
          // A full refresh rebuilds from the landing files alone: committed leads do not count.
          Dataset<Row> committed = Tables.staged(warehouse, Entity.LEADS).select("lead_id");
          Dataset<Row> knownLeads =
              (fullRefresh ? committed.limit(0) : committed)
                  .union(
                      resolved
                          .get(Entity.LEADS)
                          .where(col(ParsedSchema.REJECT_REASON).isNull())
                          .select("lead_id"));
          r = Rejections.resolveEvents(parsed, knownLeads);
        } else {
          r = Rejections.resolve(parsed);
        }
        resolved.put(e, files.isEmpty() ? r : parsedOnce(r, e, scratch));
      }
      // Parse everything (an unreadable file fails here) and count, before any write.
      for (Entity e : Entity.values()) {
        Map<String, Map<String, Long>> perFile = new HashMap<>();
        for (Row r :
            resolved
                .get(e)
                .groupBy(ParsedSchema.SOURCE_FILE, ParsedSchema.REJECT_REASON)
                .count()
                .collectAsList()) {
          perFile
              .computeIfAbsent(r.getString(0), k -> new TreeMap<>())
              .merge(r.isNullAt(1) ? "" : r.getString(1), r.getLong(2), Long::sum);
        }
        long read = 0;
        long rejected = 0;
        Map<String, Long> byReason = new TreeMap<>();
        for (LandingFile f : toRead.getOrDefault(e, List.of())) {
          Map<String, Long> m = perFile.getOrDefault(f.name(), Map.of());
          long fRead = m.values().stream().mapToLong(Long::longValue).sum();
          long fAccepted = m.getOrDefault("", 0L);
          Map<String, Long> fReasons = new TreeMap<>(m);
          fReasons.remove("");
          fReasons.forEach((k, v) -> byReason.merge(k, v, Long::sum));
          checkRejectShare(e, f, fRead, fRead - fAccepted, fReasons);
          read += fRead;
          rejected += fRead - fAccepted;
          ledger.add(
              RowFactory.create(
                  e.folder(),
                  f.sha256(),
                  f.name(),
                  batchId,
                  ingestedAt,
                  fRead,
                  fAccepted,
                  fRead - fAccepted,
                  scala.jdk.javaapi.CollectionConverters.asScala(fReasons)));
        }
        counts.put(
            e.folder(), new IngestResult.EntityCounts(read, read - rejected, rejected, byReason));
      }
      if (fullRefresh) {
        truncateIngestTables();
      }
      if (!ledger.isEmpty()) {
        write(resolved, toRead);
        warehouse.append(Tables.LEDGER, spark.createDataFrame(ledger, Tables.LEDGER_SCHEMA));
      }
    } finally {
      deleteScratch(scratch);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    IngestResult result = new IngestResult(batchId, counts, scan.ignored(), skipped, seconds);
    LOG.info(
        String.format(
            "ingest: batch %d, %d files, %d rows read, ledger v%d, %.1f s",
            batchId, ledger.size(), result.rowsRead(), warehouse.version(Tables.LEDGER), seconds));
    return result;
  }

  /**
   * Parses once: the resolved batch of an entity (typed columns, raw text and fields, reject
   * reason) is written to a scratch Parquet folder and read back from there by the counts and the
   * five table writes. Parquet is columnar and compressed, so each later read takes only its
   * columns (the staged write never reads the raw text); Spark's cache, which this replaces, read a
   * ~6 GiB serialized copy of every column five times at 1M persons and would not have fit on this
   * machine's disk at 10M.
   */
  private Dataset<Row> parsedOnce(Dataset<Row> resolved, Entity e, String scratch) {
    String path = scratch + "/" + e.folder();
    // No dictionary encoding: the scratch is read back once per table and deleted, and building
    // dictionaries of unique values (raw text, ids) was the top of the ingest's CPU profile.
    resolved
        .write()
        .mode(SaveMode.Overwrite)
        .option("parquet.enable.dictionary", "false")
        .parquet(path);
    return warehouse.spark().read().schema(resolved.schema()).parquet(path);
  }

  private void deleteScratch(String scratch) {
    try {
      org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(scratch);
      p.getFileSystem(warehouse.spark().sparkContext().hadoopConfiguration()).delete(p, true);
    } catch (java.io.IOException ex) {
      throw new java.io.UncheckedIOException(
          "Cannot delete the ingest scratch folder " + scratch, ex);
    }
  }

  /** Empties the ledger first (hiding every row at once), then the tables it makes visible. */
  private void truncateIngestTables() {
    List<String> tables = new ArrayList<>(List.of(Tables.LEDGER, Tables.RAW, Tables.REJECTS));
    for (Entity e : Entity.values()) {
      tables.add(Tables.staged(e));
    }
    tables.forEach(warehouse::deleteAll);
  }

  /** Stops the run (before any write) when a file's rejected share exceeds max_reject_share. */
  private void checkRejectShare(
      Entity e, LandingFile f, long read, long rejected, Map<String, Long> reasons) {
    Double max = config.maxRejectShare();
    if (max == null || read == 0 || (double) rejected / read <= max) {
      return;
    }
    String top =
        reasons.entrySet().stream()
            .sorted(
                Map.Entry.<String, Long>comparingByValue()
                    .reversed()
                    .thenComparing(Map.Entry.comparingByKey()))
            .limit(3)
            .map(x -> x.getKey() + " " + x.getValue())
            .reduce((a, b) -> a + ", " + b)
            .orElse("");
    throw new io.leadloop.common.LeadloopException(
        String.format(
            "Cannot ingest %s/%s: %d of %d rows rejected (%.1f%% > max_reject_share %.1f%%); top reasons: %s",
            e.folder(), f.name(), rejected, read, 100.0 * rejected / read, 100 * max, top));
  }

  private void write(
      Map<Entity, Dataset<Row>> resolved, Map<Entity, List<LandingFile>> batchFiles) {
    Set<Entity> withFiles = batchFiles.keySet();
    Dataset<Row> raw = null;
    Dataset<Row> rejects = null;
    for (Entity e : withFiles) {
      Dataset<Row> r = resolved.get(e);
      Dataset<Row> entityRaw =
          r.select(
              lit(e.folder()).as("entity"),
              col(ParsedSchema.BATCH_ID),
              col(ParsedSchema.SOURCE_FILE),
              col(ParsedSchema.FILE_SHA256),
              col(ParsedSchema.LINE),
              col(ParsedSchema.INGESTED_AT),
              col(ParsedSchema.RAW_TEXT),
              col(ParsedSchema.RAW_FIELDS),
              col(ParsedSchema.REJECT_REASON));
      Dataset<Row> entityRejects =
          r.where(col(ParsedSchema.REJECT_REASON).isNotNull())
              .select(
                  lit(e.folder()).as("entity"),
                  col(ParsedSchema.BATCH_ID),
                  col(ParsedSchema.SOURCE_FILE),
                  col(ParsedSchema.FILE_SHA256),
                  col(ParsedSchema.LINE),
                  col(ParsedSchema.RAW_TEXT),
                  col(ParsedSchema.REJECT_REASON).as("reason"),
                  col(ParsedSchema.REJECT_MESSAGE).as("message"));
      raw = raw == null ? entityRaw : raw.unionByName(entityRaw);
      rejects = rejects == null ? entityRejects : rejects.unionByName(entityRejects);
      List<String> stagedCols = new ArrayList<>();
      e.fields().forEach(f -> stagedCols.add(f.name()));
      stagedCols.addAll(ParsedSchema.LINEAGE);
      Dataset<Row> staged =
          r.where(col(ParsedSchema.REJECT_REASON).isNull())
              .selectExpr(stagedCols.stream().map(c -> "`" + c + "`").toArray(String[]::new));
      // A batch's files have rows in no table unless an earlier run of this batch was cut off
      // before its ledger commit: replacing the rows of these files (one Delta commit, no join
      // with the table as a MERGE on file and line would need) keeps a re-run free of duplicates.
      warehouse.ensureProperty(Tables.staged(e), staged.schema(), STATS_COLUMNS, "file_sha256");
      warehouse.replaceWhere(Tables.staged(e), ofFiles(null, batchFiles.get(e)), staged);
      io.leadloop.common.Faults.point("ingest.staged-" + e.folder());
    }
    String all =
        withFiles.stream()
            .map(e -> "(" + ofFiles(e, batchFiles.get(e)) + ")")
            .reduce((a, b) -> a + " OR " + b)
            .orElseThrow();
    warehouse.ensureProperty(Tables.RAW, raw.schema(), STATS_COLUMNS, "entity,file_sha256");
    warehouse.replaceWhere(Tables.RAW, all, raw);
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
