package dev.floe.sinks.iceberg;

import static dev.floe.sinks.TableSpecs.keyed;
import static dev.floe.sinks.iceberg.Fixtures.GROUP;
import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.core.PartitionOffsets;
import dev.floe.core.SourcePartition;
import dev.floe.core.sink.MaintenanceJob;
import dev.floe.core.sink.MaintenanceJob.Kind;
import dev.floe.core.sink.TableSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Test;

/**
 * Orphan-file removal and manifest rewrites, read back with Iceberg generics: only files nothing
 * reaches and older than the window go, every snapshot stays readable, rows never change.
 */
class IcebergMaintenanceTest extends IcebergSinkPerTest {
  /** Keys the random upserts spread over. */
  private static final int KEYS = 100;

  @Test
  void orphanRemovalDeletesOnlyOldFilesThatNoSnapshotReaches() throws Exception {
    TableSpec spec = keyed("bank.orphans", "id", "bucket[4](id)");
    RandomUpserts upserts = new RandomUpserts(sink, spec, KEYS, new Random(7));
    upserts.commitBatches(6, 50);
    sink.compact(spec); // the replaced files stay reachable from the older snapshots
    Table table = Fixtures.load(warehouse, "bank.orphans");
    Path location = Path.of(java.net.URI.create(table.location()).getPath());
    Path strayData = location.resolve("data/00000-crashed-batch.parquet");
    Path strayMeta = location.resolve("metadata/snap-crashed.avro");
    Files.write(strayData, new byte[] {1});
    Files.write(strayMeta, new byte[] {2});
    ageEverything(location, Duration.ofDays(4));
    Path young = location.resolve("data/00001-batch-in-progress.parquet");
    Files.write(young, new byte[] {3});
    Map<String, Long> oldest = rows(table, firstSnapshot(table));

    MaintenanceJob dryRun = new MaintenanceJob(Kind.ORPHANS, null, 0, true);
    assertThat(sink.maintain(spec, dryRun)).contains("would remove 2 orphan files");
    assertThat(strayData).exists();
    String done = sink.maintain(spec, new MaintenanceJob(Kind.ORPHANS, null, 0, false));

    assertThat(done).contains("removed 2 orphan files").contains("older than 3d");
    assertThat(strayData).doesNotExist();
    assertThat(strayMeta).doesNotExist();
    assertThat(young).as("younger than the window: maybe a commit in progress").exists();
    assertThat(rows(table, table.currentSnapshot().snapshotId())).isEqualTo(upserts.model());
    assertThat(rows(table, firstSnapshot(table))).as("time travel still works").isEqualTo(oldest);
    assertThat(sink.committedOffsets(spec, GROUP).asMap()).isNotEmpty();
  }

  @Test
  void orphanRemovalAfterExpiryDeletesTheFilesOnlyExpiredSnapshotsHeld() throws Exception {
    TableSpec spec = keyed("bank.expired", "id", "bucket[4](id)");
    RandomUpserts upserts = new RandomUpserts(sink, spec, KEYS, new Random(8));
    upserts.commitBatches(5, 50);
    Table table = Fixtures.load(warehouse, "bank.expired");
    Path location = Path.of(java.net.URI.create(table.location()).getPath());
    // files of a snapshot whose expiry crashed before deleting them: unreachable, left behind
    Path lost = location.resolve("data/lost-by-a-crashed-expiry.parquet");
    Files.copy(firstDataFile(location), lost);
    ageEverything(location, Duration.ofDays(4));

    String done =
        sink.maintain(spec, new MaintenanceJob(Kind.VACUUM, Duration.ofDays(3), 0, false));

    assertThat(done).contains("removed 1 orphan files");
    assertThat(lost).doesNotExist();
    assertThat(rows(table, table.currentSnapshot().snapshotId())).isEqualTo(upserts.model());
  }

  @Test
  void orphanRemovalLeavesATableNestedUnderTheTablesLocationAlone() throws Exception {
    TableSpec outer = keyed("bank.outer", "id", "bucket[4](id)");
    TableSpec inner = keyed("bank.outer.inner", "id", "bucket[4](id)");
    new RandomUpserts(sink, outer, KEYS, new Random(1)).commitBatch(20);
    RandomUpserts innerUpserts = new RandomUpserts(sink, inner, KEYS, new Random(2));
    innerUpserts.commitBatch(20);
    Table outerTable = Fixtures.load(warehouse, "bank.outer");
    Table innerTable = Fixtures.load(warehouse, "bank.outer.inner");
    assertThat(innerTable.location()).startsWith(outerTable.location() + "/");
    ageEverything(
        Path.of(java.net.URI.create(outerTable.location()).getPath()), Duration.ofDays(30));

    String done = sink.maintain(outer, new MaintenanceJob(Kind.ORPHANS, null, 0, false));

    assertThat(done).contains("removed 0 orphan files");
    assertThat(rows(innerTable, innerTable.currentSnapshot().snapshotId()))
        .isEqualTo(innerUpserts.model());
  }

  @Test
  void manifestsAreRewrittenIntoFewerOnlyAboveTheThreshold() {
    TableSpec spec = keyed("bank.manifests", "id", "bucket[4](id)");
    RandomUpserts upserts = new RandomUpserts(sink, spec, KEYS, new Random(9));
    upserts.commitBatches(12, 20);
    Table table = Fixtures.load(warehouse, "bank.manifests");
    int before = table.currentSnapshot().dataManifests(table.io()).size();
    assertThat(before).isGreaterThanOrEqualTo(12);

    assertThat(sink.maintain(spec, new MaintenanceJob(Kind.REWRITE_MANIFESTS, null, 50, false)))
        .contains("nothing to rewrite");
    String done = sink.maintain(spec, new MaintenanceJob(Kind.REWRITE_MANIFESTS, null, 5, false));

    table.refresh();
    assertThat(done).contains("rewrote " + before + " data manifests");
    assertThat(table.currentSnapshot().dataManifests(table.io()).size()).isLessThan(5);
    assertThat(rows(table, table.currentSnapshot().snapshotId())).isEqualTo(upserts.model());
    PartitionOffsets offsets = sink.committedOffsets(spec, GROUP);
    assertThat(offsets.next(new SourcePartition("accounts", 0))).isEqualTo(upserts.nextOffset());
  }

  private static Map<String, Long> rows(Table table, long snapshotId) {
    table.refresh();
    Map<String, Long> rows = new HashMap<>();
    try (CloseableIterable<Record> it =
        IcebergGenerics.read(table).useSnapshot(snapshotId).build()) {
      for (Record r : it) {
        assertThat(rows.put(r.getField("id").toString(), (Long) r.getField("balance"))).isNull();
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return rows;
  }

  private static long firstSnapshot(Table table) {
    table.refresh();
    long first = -1;
    long at = Long.MAX_VALUE;
    for (Snapshot s : table.snapshots()) {
      if (s.timestampMillis() < at) {
        at = s.timestampMillis();
        first = s.snapshotId();
      }
    }
    return first;
  }

  private static Path firstDataFile(Path location) throws Exception {
    try (Stream<Path> all = Files.walk(location.resolve("data"))) {
      return all.filter(p -> p.toString().endsWith(".parquet")).findFirst().orElseThrow();
    }
  }

  private static void ageEverything(Path dir, Duration age) throws Exception {
    FileTime then = FileTime.fromMillis(System.currentTimeMillis() - age.toMillis());
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path f : (Iterable<Path>) all.filter(Files::isRegularFile)::iterator) {
        Files.setLastModifiedTime(f, then);
      }
    }
  }
}
