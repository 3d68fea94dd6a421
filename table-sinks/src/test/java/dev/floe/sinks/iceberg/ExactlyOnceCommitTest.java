package dev.floe.sinks.iceberg;

import static dev.floe.sinks.iceberg.Fixtures.GROUP;
import static dev.floe.sinks.iceberg.Fixtures.offsets;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.core.CommitFencedException;
import dev.floe.core.PartitionOffsets;
import dev.floe.core.SourcePartition;
import dev.floe.core.row.Field;
import dev.floe.core.row.Row;
import dev.floe.core.row.Type;
import dev.floe.core.sink.CommitResult;
import dev.floe.core.sink.TableSpec;
import dev.floe.core.sink.WriteBatch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.BaseTable;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableOperations;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExactlyOnceCommitTest {
  static final Type.Struct EVENT =
      new Type.Struct(
          List.of(
              Field.required("partition", Type.Primitive.INT),
              Field.required("offset", Type.Primitive.LONG)));
  static final TableSpec EVENTS = Fixtures.spec("raw.events");

  @TempDir Path warehouse;
  final List<IcebergTableSink> sinks = new ArrayList<>();

  @AfterEach
  void close() {
    sinks.forEach(IcebergTableSink::close);
  }

  IcebergTableSink newSink() {
    IcebergTableSink sink = new IcebergTableSink(Fixtures.config(warehouse));
    sinks.add(sink);
    return sink;
  }

  /**
   * Writes records [from, to) of one partition and commits them as that partition's worker would.
   */
  static CommitResult commitRange(IcebergTableSink sink, int partition, long from, long to) {
    WriteBatch batch = sink.newBatch(EVENTS);
    for (long o = from; o < to; o++) {
      batch.write(EVENT, Row.wrap(partition, o));
    }
    PartitionOffsets expected =
        from == 0 ? PartitionOffsets.empty() : offsets("events", partition, from);
    return batch.commit(GROUP, expected, offsets("events", partition, to));
  }

  @Test
  void committedOffsetsRoundTripThroughTheSnapshotSummary() {
    IcebergTableSink sink = newSink();
    assertThat(sink.committedOffsets(EVENTS, GROUP)).isEqualTo(PartitionOffsets.empty());

    commitRange(sink, 0, 0, 10);

    assertThat(sink.committedOffsets(EVENTS, GROUP)).isEqualTo(offsets("events", 0, 10));
    assertThat(sink.committedOffsets(EVENTS, "another-group")).isEqualTo(PartitionOffsets.empty());
    Snapshot snapshot = Fixtures.load(warehouse, "raw.events").currentSnapshot();
    assertThat(snapshot.summary())
        .containsEntry("floe.offsets." + GROUP, "{\"events\":{\"0\":10}}")
        .containsEntry("floe.group", GROUP)
        .containsKey("floe.commit-id");
  }

  @Test
  void workersOfDifferentPartitionsMergeTheirOffsetsIntoTheLatestSnapshot() {
    IcebergTableSink worker1 = newSink();
    IcebergTableSink worker2 = newSink();

    commitRange(worker1, 0, 0, 10);
    commitRange(worker2, 1, 0, 5);
    commitRange(worker1, 0, 10, 12);

    assertThat(worker2.committedOffsets(EVENTS, GROUP))
        .isEqualTo(offsets("events", 0, 12, "events", 1, 5));
    assertThat(Fixtures.load(warehouse, "raw.events").currentSnapshot().summary())
        .containsEntry("floe.offsets." + GROUP, "{\"events\":{\"0\":12,\"1\":5}}");
    assertThat(Fixtures.read(Fixtures.load(warehouse, "raw.events"))).hasSize(17);
  }

  @Test
  void aBatchThatStartedFromStaleOffsetsIsFencedAndItsFilesAreDeleted() {
    IcebergTableSink sink = newSink();
    commitRange(sink, 0, 0, 10);
    commitRange(sink, 0, 10, 20); // the new owner of partition 0 moved on
    int filesBefore = RoundTripTest.parquetFiles(warehouse).size();

    WriteBatch zombie = sink.newBatch(EVENTS);
    zombie.write(EVENT, Row.wrap(0, 10L));
    assertThatThrownBy(
            () -> zombie.commit(GROUP, offsets("events", 0, 10), offsets("events", 0, 11)))
        .isInstanceOf(CommitFencedException.class)
        .hasMessageContaining("raw.events")
        .hasMessageContaining("events-0");

    assertThat(RoundTripTest.parquetFiles(warehouse)).hasSize(filesBefore);
    assertThat(sink.committedOffsets(EVENTS, GROUP)).isEqualTo(offsets("events", 0, 20));
    assertThat(Fixtures.read(Fixtures.load(warehouse, "raw.events"))).hasSize(20);
  }

  @Test
  void aBatchForAPartitionTheTableHasNeverSeenIsFencedWhenItExpectsAnOffset() {
    IcebergTableSink sink = newSink();
    commitRange(sink, 0, 0, 10);

    WriteBatch batch = sink.newBatch(EVENTS);
    batch.write(EVENT, Row.wrap(1, 5L));
    assertThatThrownBy(() -> batch.commit(GROUP, offsets("events", 1, 5), offsets("events", 1, 6)))
        .isInstanceOf(CommitFencedException.class);
  }

  @Test
  void aCommitWithoutFilesStillRecordsOffsets() {
    IcebergTableSink sink = newSink();
    commitRange(sink, 0, 0, 10);

    WriteBatch empty = sink.newBatch(EVENTS);
    CommitResult result = empty.commit(GROUP, offsets("events", 0, 10), offsets("events", 0, 15));

    assertThat(result.dataFiles()).isZero();
    assertThat(result.version())
        .isEqualTo(Fixtures.load(warehouse, "raw.events").currentSnapshot().snapshotId());
    assertThat(sink.committedOffsets(EVENTS, GROUP)).isEqualTo(offsets("events", 0, 15));
  }

  @Test
  void aCommitWithoutFilesToATableThatDoesNotExistDoesNothing() {
    IcebergTableSink sink = newSink();

    CommitResult result =
        sink.newBatch(EVENTS).commit(GROUP, PartitionOffsets.empty(), offsets("events", 0, 3));

    assertThat(result.version()).isEqualTo(-1);
    assertThat(sink.committedOffsets(EVENTS, GROUP)).isEqualTo(PartitionOffsets.empty());
  }

  @Test
  void offsetsAreFoundBehindSnapshotsOfOtherTools() {
    IcebergTableSink sink = newSink();
    commitRange(sink, 0, 0, 10);
    Table table = Fixtures.load(warehouse, "raw.events");
    table.newAppend().set("written-by", "compaction").commit(); // a snapshot without Floe's keys

    assertThat(sink.committedOffsets(EVENTS, GROUP)).isEqualTo(offsets("events", 0, 10));
    commitRange(sink, 0, 10, 15);
    assertThat(sink.committedOffsets(EVENTS, GROUP)).isEqualTo(offsets("events", 0, 15));
  }

  @Test
  void everyGroupsOffsetsAreCarriedForward() {
    IcebergTableSink sink = newSink();
    commitRange(sink, 0, 0, 10);
    WriteBatch other = sink.newBatch(EVENTS);
    other.write(EVENT, Row.wrap(0, 0L));
    other.commit("other-group", PartitionOffsets.empty(), offsets("events", 0, 1));

    Map<String, String> summary =
        Fixtures.load(warehouse, "raw.events").currentSnapshot().summary();
    assertThat(summary).containsKeys("floe.offsets." + GROUP, "floe.offsets.other-group");
    assertThat(sink.committedOffsets(EVENTS, GROUP)).isEqualTo(offsets("events", 0, 10));
  }

  @Test
  void
      icebergsOwnRetryOnAMovedTableFailsInsteadOfRegressingOffsetsEvenWhenTheOtherCommitAddedNoFiles() {
    IcebergTableSink sink = newSink();
    commitRange(sink, 0, 0, 10);
    commitRange(sink, 1, 0, 10);
    Table table = Fixtures.load(warehouse, "raw.events");
    Snapshot base = table.currentSnapshot();
    // worker 0 prepares its commit on `base`; meanwhile worker 1 commits offsets without files
    GuardedOperations guarded =
        new GuardedOperations(((HasTableOperations) table).operations(), base);
    AppendFiles stale = new BaseTable(guarded, table.name()).newAppend();
    SnapshotOffsets.summary(table, base, GROUP, offsets("events", 0, 20), "stale")
        .forEach(stale::set);
    sink.newBatch(EVENTS).commit(GROUP, offsets("events", 1, 10), offsets("events", 1, 20));

    assertThatThrownBy(stale::commit).isInstanceOf(GuardedOperations.BaseMovedException.class);
    assertThat(sink.committedOffsets(EVENTS, GROUP))
        .isEqualTo(offsets("events", 0, 10, "events", 1, 20));
  }

  @Test
  void aCommitWhoseOutcomeIsUnknownButLandedIsNotRepeated() {
    IcebergTableSink sink = newSink();
    commitRange(sink, 0, 0, 10);
    Table real = Fixtures.load(warehouse, "raw.events");
    Table flaky =
        new BaseTable(
            new UnknownOutcome(((HasTableOperations) real).operations(), true), real.name());

    long snapshot =
        new OffsetCommit(
                EVENTS.id(),
                flaky,
                List.of(),
                List.of(),
                GROUP,
                offsets("events", 0, 10),
                offsets("events", 0, 20),
                "commit-1")
            .run();

    real.refresh();
    assertThat(snapshot).isEqualTo(real.currentSnapshot().snapshotId());
    assertThat(real.currentSnapshot().summary()).containsEntry("floe.commit-id", "commit-1");
    assertThat(real.snapshot(real.currentSnapshot().parentId()).summary())
        .doesNotContainEntry("floe.commit-id", "commit-1");
    assertThat(sink.committedOffsets(EVENTS, GROUP)).isEqualTo(offsets("events", 0, 20));
  }

  @Test
  void aCommitWhoseOutcomeIsUnknownAndDidNotLandIsRetried() {
    IcebergTableSink sink = newSink();
    commitRange(sink, 0, 0, 10);
    Table real = Fixtures.load(warehouse, "raw.events");
    UnknownOutcome ops = new UnknownOutcome(((HasTableOperations) real).operations(), false);

    OffsetCommit commit =
        new OffsetCommit(
            EVENTS.id(),
            new BaseTable(ops, real.name()),
            List.of(),
            List.of(),
            GROUP,
            offsets("events", 0, 10),
            offsets("events", 0, 20),
            "commit-2");
    commit.run();

    assertThat(commit.uncertain()).isTrue();
    assertThat(sink.committedOffsets(EVENTS, GROUP)).isEqualTo(offsets("events", 0, 20));
    real.refresh();
    long withId = 0;
    for (Snapshot s : real.snapshots()) {
      withId += "commit-2".equals(s.summary().get("floe.commit-id")) ? 1 : 0;
    }
    assertThat(withId).isEqualTo(1);
  }

  @Test
  void concurrentCommitsFromTwoCatalogInstancesNeverRegressOffsets() throws Exception {
    int commits = 50;
    int rowsPerCommit = 10;
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int partition = 0; partition < 2; partition++) {
        IcebergTableSink sink = newSink();
        int p = partition;
        workers.add(
            pool.submit(
                (Callable<Void>)
                    () -> {
                      for (int i = 0; i < commits; i++) {
                        commitRange(
                            sink, p, (long) i * rowsPerCommit, (long) (i + 1) * rowsPerCommit);
                      }
                      return null;
                    }));
      }
      for (Future<?> w : workers) {
        w.get();
      }
    } finally {
      pool.shutdownNow();
    }

    long end = (long) commits * rowsPerCommit;
    assertThat(newSink().committedOffsets(EVENTS, GROUP))
        .isEqualTo(offsets("events", 0, end, "events", 1, end));
    Table table = Fixtures.load(warehouse, "raw.events");
    assertThat(Fixtures.read(table)).hasSize(2 * commits * rowsPerCommit);
    assertOffsetsNeverRegress(table);
  }

  @Test
  void twoSinksCreatingTheSameTableBothSucceed() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<CommitResult>> results = new ArrayList<>();
      for (int partition = 0; partition < 2; partition++) {
        IcebergTableSink sink = newSink();
        int p = partition;
        results.add(
            pool.submit(
                () -> {
                  return commitRange(sink, p, 0, 3);
                }));
      }
      for (Future<CommitResult> r : results) {
        assertThat(r.get().records()).isEqualTo(3);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(Fixtures.read(Fixtures.load(warehouse, "raw.events"))).hasSize(6);
    assertThat(newSink().committedOffsets(EVENTS, GROUP))
        .isEqualTo(offsets("events", 0, 3, "events", 1, 3));
  }

  /** Walks the history oldest first: no partition's offset ever goes down or disappears. */
  static void assertOffsetsNeverRegress(Table table) {
    List<Snapshot> history = new ArrayList<>();
    for (Snapshot s = table.currentSnapshot();
        s != null;
        s = s.parentId() == null ? null : table.snapshot(s.parentId())) {
      history.add(0, s);
    }
    Map<SourcePartition, Long> highest = new HashMap<>();
    for (Snapshot s : history) {
      PartitionOffsets at = SnapshotOffsets.read(table, s, GROUP);
      highest.forEach(
          (p, max) ->
              assertThat(at.next(p))
                  .as("%s at snapshot %s", p, s.snapshotId())
                  .isNotNull()
                  .isGreaterThanOrEqualTo(max));
      highest.putAll(at.asMap());
    }
  }

  /** Table operations whose first commit reports an unknown outcome, after committing or not. */
  static final class UnknownOutcome implements TableOperations {
    private final TableOperations delegate;
    private final boolean land;
    private boolean failed;

    UnknownOutcome(TableOperations delegate, boolean land) {
      this.delegate = delegate;
      this.land = land;
    }

    @Override
    public void commit(TableMetadata base, TableMetadata metadata) {
      if (!failed) {
        failed = true;
        if (land) {
          delegate.commit(base, metadata);
        }
        throw new CommitStateUnknownException(new RuntimeException("connection reset"));
      }
      delegate.commit(base, metadata);
    }

    @Override
    public TableMetadata current() {
      return delegate.current();
    }

    @Override
    public TableMetadata refresh() {
      return delegate.refresh();
    }

    @Override
    public org.apache.iceberg.io.FileIO io() {
      return delegate.io();
    }

    @Override
    public String metadataFileLocation(String fileName) {
      return delegate.metadataFileLocation(fileName);
    }

    @Override
    public org.apache.iceberg.io.LocationProvider locationProvider() {
      return delegate.locationProvider();
    }

    @Override
    public long newSnapshotId() {
      return delegate.newSnapshotId();
    }
  }
}
