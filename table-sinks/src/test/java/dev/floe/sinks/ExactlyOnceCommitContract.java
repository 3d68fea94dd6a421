package dev.floe.sinks;

import static dev.floe.sinks.Offsets.offsets;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.core.CommitFencedException;
import dev.floe.core.PartitionOffsets;
import dev.floe.core.TableId;
import dev.floe.core.row.Field;
import dev.floe.core.row.Row;
import dev.floe.core.row.Type;
import dev.floe.core.sink.CommitResult;
import dev.floe.core.sink.TableSink;
import dev.floe.core.sink.TableSpec;
import dev.floe.core.sink.WriteBatch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exactly-once contract of the {@link TableSink} SPI, the same for every format: offsets are
 * fenced, recorded with or without files, found behind other tools' commits, and never lost or
 * regressed by concurrent writers. A subclass per format supplies the sink and an independent view
 * of the table; format-specific behaviour (where the offsets are stored, how an unknown commit
 * outcome is resolved) is tested in the subclass.
 */
public abstract class ExactlyOnceCommitContract {
  protected static final String GROUP = "floe-test";
  protected static final TableSpec EVENTS =
      new TableSpec(TableId.parse("raw.events"), "local", List.of(), 512L << 20, Map.of());
  public static final Type.Struct EVENT =
      new Type.Struct(
          List.of(
              Field.required("partition", Type.Primitive.INT),
              Field.required("offset", Type.Primitive.LONG)));

  @TempDir protected Path warehouse;

  /** A sink on {@link #warehouse} with its own table handles, as another process would have. */
  protected abstract TableSink newSink();

  /** The rows of {@link #EVENTS} through the format's own reader, not Floe's. */
  protected abstract List<?> rows();

  /** The data files on disk, not the table's view of them: what a failed batch must not leave. */
  protected abstract List<Path> dataFiles();

  /** The version (Delta) or snapshot id (Iceberg) of the table's latest commit. */
  protected abstract long latestVersion();

  protected abstract boolean tableExists();

  /** Commits to {@link #EVENTS} the way another tool would: without Floe's offsets. */
  protected abstract void commitAsAnotherTool();

  /** Walks the table's history oldest first: no partition's offset ever goes down or disappears. */
  protected abstract void assertOffsetsNeverRegress();

  /** How many commits each of two concurrent workers makes; as many as the format does quickly. */
  protected abstract int concurrentCommitsPerWorker();

  /**
   * Writes records [from, to) of one partition and commits them as that partition's worker would.
   */
  protected static CommitResult commitRange(TableSink sink, int partition, long from, long to) {
    WriteBatch batch = sink.newBatch(EVENTS);
    for (long o = from; o < to; o++) {
      batch.write(EVENT, Row.wrap(partition, o));
    }
    PartitionOffsets expected =
        from == 0 ? PartitionOffsets.empty() : offsets("events", partition, from);
    return batch.commit(GROUP, expected, offsets("events", partition, to));
  }

  @Test
  void aBatchThatStartedFromStaleOffsetsIsFencedAndItsFilesAreDeleted() {
    TableSink sink = newSink();
    commitRange(sink, 0, 0, 10);
    commitRange(sink, 0, 10, 20); // the new owner of partition 0 moved on
    int filesBefore = dataFiles().size();

    WriteBatch zombie = sink.newBatch(EVENTS);
    zombie.write(EVENT, Row.wrap(0, 10L));
    assertThatThrownBy(
            () -> zombie.commit(GROUP, offsets("events", 0, 10), offsets("events", 0, 11)))
        .isInstanceOf(CommitFencedException.class)
        .hasMessageContaining("raw.events")
        .hasMessageContaining("events-0");

    assertThat(dataFiles()).hasSize(filesBefore);
    assertThat(sink.committedOffsets(EVENTS, GROUP)).isEqualTo(offsets("events", 0, 20));
    assertThat(rows()).hasSize(20);
  }

  @Test
  void aBatchForAPartitionTheTableHasNeverSeenIsFencedWhenItExpectsAnOffset() {
    TableSink sink = newSink();
    commitRange(sink, 0, 0, 10);

    WriteBatch batch = sink.newBatch(EVENTS);
    batch.write(EVENT, Row.wrap(1, 5L));
    assertThatThrownBy(() -> batch.commit(GROUP, offsets("events", 1, 5), offsets("events", 1, 6)))
        .isInstanceOf(CommitFencedException.class);
    assertThat(rows()).hasSize(10);
  }

  @Test
  void aCommitWithoutFilesStillRecordsOffsets() {
    TableSink sink = newSink();
    commitRange(sink, 0, 0, 10);

    CommitResult result =
        sink.newBatch(EVENTS).commit(GROUP, offsets("events", 0, 10), offsets("events", 0, 15));

    assertThat(result.dataFiles()).isZero();
    assertThat(result.version()).isEqualTo(latestVersion());
    assertThat(sink.committedOffsets(EVENTS, GROUP)).isEqualTo(offsets("events", 0, 15));
    assertThat(rows()).hasSize(10);
  }

  @Test
  void aCommitWithoutFilesToATableThatDoesNotExistDoesNothing() {
    TableSink sink = newSink();

    CommitResult result =
        sink.newBatch(EVENTS).commit(GROUP, PartitionOffsets.empty(), offsets("events", 0, 3));

    assertThat(result.version()).isEqualTo(-1);
    assertThat(tableExists()).isFalse();
    assertThat(sink.committedOffsets(EVENTS, GROUP)).isEqualTo(PartitionOffsets.empty());
  }

  @Test
  void offsetsAreFoundBehindCommitsOfOtherTools() {
    TableSink sink = newSink();
    commitRange(sink, 0, 0, 10);
    commitAsAnotherTool();

    assertThat(sink.committedOffsets(EVENTS, GROUP)).isEqualTo(offsets("events", 0, 10));
    assertThat(newSink().committedOffsets(EVENTS, GROUP)).isEqualTo(offsets("events", 0, 10));
    commitRange(sink, 0, 10, 15);
    assertThat(sink.committedOffsets(EVENTS, GROUP)).isEqualTo(offsets("events", 0, 15));
    assertThat(newSink().committedOffsets(EVENTS, GROUP)).isEqualTo(offsets("events", 0, 15));
  }

  @Test
  void concurrentCommitsFromTwoSinksNeitherLoseNorRegressOffsets() throws Exception {
    int commits = concurrentCommitsPerWorker();
    int rowsPerCommit = 10;
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int partition = 0; partition < 2; partition++) {
        TableSink sink = newSink(); // its own table handles: like another process
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
    assertThat(rows()).hasSize(2 * commits * rowsPerCommit);
    assertOffsetsNeverRegress();
  }

  @Test
  void twoSinksCreatingTheSameTableBothSucceed() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<CommitResult>> results = new ArrayList<>();
      for (int partition = 0; partition < 2; partition++) {
        TableSink sink = newSink();
        int p = partition;
        results.add(pool.submit(() -> commitRange(sink, p, 0, 3)));
      }
      for (Future<CommitResult> r : results) {
        assertThat(r.get().records()).isEqualTo(3);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(rows()).hasSize(6);
    assertThat(newSink().committedOffsets(EVENTS, GROUP))
        .isEqualTo(offsets("events", 0, 3, "events", 1, 3));
  }
}
