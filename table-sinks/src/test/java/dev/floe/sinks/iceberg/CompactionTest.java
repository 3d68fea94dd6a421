package dev.floe.sinks.iceberg;

import static dev.floe.sinks.TableSpecs.keyed;
import static dev.floe.sinks.iceberg.Fixtures.GROUP;
import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.core.PartitionOffsets;
import dev.floe.core.TransientException;
import dev.floe.core.sink.TableSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.StreamSupport;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Test;

/**
 * Compaction of upsert tables, read back with Iceberg's generic reader: the same rows before and
 * after, no delete files left, Floe's offsets intact, and no row undone or resurrected when
 * ingestion commits upserts and deletes while compaction runs.
 */
class CompactionTest extends IcebergSinkPerTest {
  /** Keys the random upserts spread over. */
  private static final int KEYS = 300;

  @Test
  void compactionKeepsTheRowsDropsTheDeletesAndKeepsTheOffsets() {
    TableSpec spec = keyed("bank.compacted", "id", "bucket[4](id)");
    RandomUpserts upserts = new RandomUpserts(sink, spec, KEYS, new Random(1));
    upserts.commitBatches(15, 100);
    Table table = Fixtures.load(warehouse, "bank.compacted");
    int filesBefore = dataFiles(table);
    PartitionOffsets offsets = sink.committedOffsets(spec, GROUP);
    long snapshotBefore = table.currentSnapshot().snapshotId();

    CompactionReport plan = sink.compact(spec, true);
    table.refresh();
    assertThat(plan.partitions()).isEqualTo(4);
    assertThat(plan.dataFilesBefore()).isEqualTo(filesBefore);
    assertThat(table.currentSnapshot().snapshotId())
        .as("a dry run changes nothing")
        .isEqualTo(snapshotBefore);

    CompactionReport done = sink.compact(spec, false);

    table.refresh();
    assertThat(done.describe()).contains("compacted 4 partition(s)");
    assertThat(done.rowsWritten()).isEqualTo(upserts.model().size());
    assertThat(dataFiles(table)).isEqualTo(4);
    assertThat(deleteFiles(table)).isZero();
    assertThat(UpsertTest.balancesOf(table)).isEqualTo(upserts.model());
    assertThat(sink.committedOffsets(spec, GROUP)).as("offsets survive").isEqualTo(offsets);

    // ingestion goes on: new deletes apply to the rewritten files
    upserts.commitBatch(200);
    assertThat(UpsertTest.balancesOf(table)).isEqualTo(upserts.model());
  }

  @Test
  void expiringSnapshotsKeepsTheNewestFloeCommitAndItsOffsets() {
    TableSpec spec = keyed("bank.expiring", "id", "bucket[4](id)");
    RandomUpserts upserts = new RandomUpserts(sink, spec, KEYS, new Random(3));
    upserts.commitBatches(6, 100);
    sink.compact(spec, false); // the current snapshot is now a compaction, without offsets
    PartitionOffsets offsets = sink.committedOffsets(spec, GROUP);

    String expired = sink.expireSnapshots(spec, java.time.Duration.ZERO);

    Table table = Fixtures.load(warehouse, "bank.expiring");
    assertThat(expired).contains("expired 5 snapshot(s)");
    assertThat(table.snapshots()).hasSize(2); // the newest Floe commit and the compaction
    assertThat(sink.committedOffsets(spec, GROUP)).isEqualTo(offsets);
    assertThat(UpsertTest.balancesOf(table)).isEqualTo(upserts.model());
  }

  @Test
  void compactionBesideRunningUpsertsNeverUndoesOrResurrectsARow() throws Exception {
    TableSpec spec = keyed("bank.busy", "id", "bucket[4](id)");
    RandomUpserts upserts = new RandomUpserts(sink, spec, KEYS, new Random(2));
    upserts.commitBatch(100);
    AtomicBoolean ingesting = new AtomicBoolean(true);
    AtomicInteger compactions = new AtomicInteger();
    AtomicInteger conflicts = new AtomicInteger();
    Thread compactor =
        new Thread(
            () -> {
              while (ingesting.get()) {
                try {
                  if (sink.compact(spec, false).snapshotId() >= 0) {
                    compactions.incrementAndGet();
                  }
                } catch (TransientException e) {
                  conflicts.incrementAndGet(); // lost a race: nothing changed, tried again
                }
              }
            });
    compactor.start();
    upserts.commitBatches(40, 100);
    ingesting.set(false);
    compactor.join();
    sink.compact(spec, false);

    assertThat(compactions.get()).as("compactions that landed between upserts").isPositive();
    assertThat(UpsertTest.balancesOf(Fixtures.load(warehouse, "bank.busy")))
        .isEqualTo(upserts.model());
  }

  private static int dataFiles(Table table) {
    return (int) tasks(table).stream().map(t -> t.file().location()).distinct().count();
  }

  private static long deleteFiles(Table table) {
    return tasks(table).stream()
        .flatMap(t -> t.deletes().stream())
        .map(d -> d.location())
        .distinct()
        .count();
  }

  private static List<FileScanTask> tasks(Table table) {
    table.refresh();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      return StreamSupport.stream(tasks.spliterator(), false).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
