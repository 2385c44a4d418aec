package io.leadloop.jobs.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadloop.common.SparkTestBase;
import io.leadloop.common.config.ConfigLoader;
import io.leadloop.common.config.LeadloopConfig;
import io.leadloop.common.metrics.Cutoff;
import io.leadloop.common.schema.Entity;
import io.leadloop.common.spark.Warehouse;
import io.leadloop.jobs.facts.AsOf;
import io.leadloop.jobs.generate.GenerateOptions;
import io.leadloop.jobs.generate.Generator;
import io.leadloop.jobs.ingest.IngestAction;
import io.leadloop.jobs.ingest.Tables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state tables follow the ledger batch by batch: a full build, an incremental batch that
 * rewrites keys of the first (new versions of leads and appointments, rewritten events and
 * touches), a run with nothing new, and a {@code --full-refresh} ingest. After each, the state read
 * from the tables equals {@link AsOf} over every staged row, entity by entity, at cutoffs across
 * the simulated period.
 */
class StateRefreshTest extends SparkTestBase {
  private static final LeadloopConfig CONFIG = ConfigLoader.defaults();
  private static final Instant INGESTED = Instant.parse("2030-01-01T00:00:00Z");
  private static final LocalDate START = LocalDate.of(2026, 1, 5);
  private static final List<String> AS_OF = List.of("2026-01-20", "2026-02-15", "2026-06-30");

  @TempDir Path tmp;

  private void generate(long seed, Path landing, String prefix) throws IOException {
    Path out = tmp.resolve("gen-" + seed);
    new Generator(new GenerateOptions(120, seed, out, 0.02, START, 10)).execute();
    try (Stream<Path> files = Files.walk(out)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Path rel = out.relativize(f);
        if (rel.getNameCount() < 2) {
          continue; // the generator's own summary, not a landing file
        }
        Path to = landing.resolve(rel.getParent()).resolve(prefix + rel.getFileName());
        Files.createDirectories(to.getParent());
        Files.copy(f, to);
      }
    }
  }

  private static void ingest(Warehouse wh, Path landing, boolean full) {
    new IngestAction(wh, landing.toString(), INGESTED, CONFIG, full).execute();
  }

  private static Map<String, String> modes(StateRefresh.Result r) {
    Map<String, String> m = new TreeMap<>();
    r.entities().forEach(e -> m.put(e.entity().folder(), e.mode()));
    return m;
  }

  private static void assertStateEqualsAsOf(Warehouse wh, String when) {
    for (Entity e : Entity.values()) {
      Dataset<Row> staged = Tables.staged(wh, e);
      for (String d : AS_OF) {
        Cutoff c = new Cutoff(LocalDate.parse(d), CONFIG.timezone());
        Dataset<Row> fromTable = StateStore.at(wh, e, c);
        Dataset<Row> reference = AsOf.at(staged, e, c);
        String what = when + ", " + e.folder() + " as of " + d;
        assertThat(fromTable.columns()).as(what).containsExactly(reference.columns());
        // exceptAll keeps duplicates: both directions empty means the same rows, as often
        Dataset<Row> diff = fromTable.exceptAll(reference).unionAll(reference.exceptAll(fromTable));
        assertThat(diff.count()).as(what).isZero();
      }
    }
  }

  private static Map<String, String> all(String mode) {
    Map<String, String> m = new TreeMap<>();
    for (Entity e : Entity.values()) {
      m.put(e.folder(), mode);
    }
    return m;
  }

  @Test
  void stateTablesFollowTheLedgerBatchByBatch() throws IOException {
    Path landing = tmp.resolve("landing");
    Warehouse wh = new Warehouse(spark(), tmp.resolve("wh").toString());
    generate(1, landing, "a-");
    ingest(wh, landing, false);
    assertThat(modes(new StateRefresh(wh, false).execute())).isEqualTo(all("full"));
    assertStateEqualsAsOf(wh, "batch 1 (full build)");

    // The second set reuses the first's ids (the generator numbers them): every key it writes
    // is a new version or a rewrite of a batch-1 key.
    generate(2, landing, "b-");
    ingest(wh, landing, false);
    long rewritten =
        Tables.staged(wh, Entity.LEADS)
            .groupBy("lead_id")
            .agg(org.apache.spark.sql.functions.countDistinct("batch_id").as("batches"))
            .where("batches = 2")
            .count();
    assertThat(rewritten).as("leads with versions in both batches").isGreaterThan(50);
    StateRefresh.Result second = new StateRefresh(wh, false).execute();
    assertThat(modes(second)).isEqualTo(all("incremental"));
    assertStateEqualsAsOf(wh, "batch 2 (incremental)");

    long version = wh.version(StateStore.table(Entity.TOUCHES));
    StateRefresh.Result third = new StateRefresh(wh, false).execute();
    assertThat(modes(third)).isEqualTo(all("unchanged"));
    assertThat(third.rowsWritten()).isZero();
    assertThat(wh.version(StateStore.table(Entity.TOUCHES))).isEqualTo(version);

    // A full-refresh ingest rebuilds the ledger from the landing files (batch 3): the marks no
    // longer match it, so every table is rebuilt.
    Files.delete(Files.list(landing.resolve("leads")).sorted().findFirst().orElseThrow());
    ingest(wh, landing, true);
    assertThat(modes(new StateRefresh(wh, false).execute())).isEqualTo(all("full"));
    assertStateEqualsAsOf(wh, "after a full-refresh ingest");
    assertThat(modes(new StateRefresh(wh, true).execute())).isEqualTo(all("full"));
  }
}
