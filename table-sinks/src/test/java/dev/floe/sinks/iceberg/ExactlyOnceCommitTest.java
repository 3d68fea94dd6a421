package dev.floe.sinks.iceberg;

import static dev.floe.sinks.iceberg.Fixtures.offsets;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.core.PartitionOffsets;
import dev.floe.core.SourcePartition;
import dev.floe.core.row.Row;
import dev.floe.core.sink.WriteBatch;
import dev.floe.sinks.ExactlyOnceCommitContract;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

class ExactlyOnceCommitTest extends ExactlyOnceCommitContract {
  final List<IcebergTableSink> sinks = new ArrayList<>();

  @AfterEach
  void close() {
    sinks.forEach(IcebergTableSink::close);
  }

  @Override
  protected IcebergTableSink newSink() {
    IcebergTableSink sink = new IcebergTableSink(Fixtures.config(warehouse));
    sinks.add(sink);
    return sink;
  }

  @Override
  protected List<?> rows() {
    return Fixtures.read(Fixtures.load(warehouse, "raw.events"));
  }

  @Override
  protected List<Path> dataFiles() {
    return RoundTripTest.parquetFiles(warehouse);
  }

  @Override
  protected long latestVersion() {
    return Fixtures.load(warehouse, "raw.events").currentSnapshot().snapshotId();
  }

  @Override
  protected boolean tableExists() {
    return IcebergCatalogs.load(Fixtures.config(warehouse), "local")
        .tableExists(Tables.identifier(EVENTS));
  }

  @Override
  protected void commitAsAnotherTool() {
    Table table = Fixtures.load(warehouse, "raw.events");
    table.newAppend().set("written-by", "compaction").commit(); // a snapshot without Floe's keys
  }

  @Override
  protected void assertOffsetsNeverRegress() {
    assertOffsetsNeverRegress(Fixtures.load(warehouse, "raw.events"));
  }

  @Override
  protected int concurrentCommitsPerWorker() {
    return 50;
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
    assertThat(rows()).hasSize(17);
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
