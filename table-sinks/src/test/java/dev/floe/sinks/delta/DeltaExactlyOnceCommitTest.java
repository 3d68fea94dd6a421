package dev.floe.sinks.delta;

import static dev.floe.sinks.delta.DeltaFixtures.GROUP;
import static dev.floe.sinks.delta.DeltaFixtures.offsets;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.floe.core.CommitFencedException;
import dev.floe.core.PartitionOffsets;
import dev.floe.core.row.Field;
import dev.floe.core.row.Row;
import dev.floe.core.row.Type;
import dev.floe.core.sink.CommitResult;
import dev.floe.core.sink.TableSpec;
import dev.floe.core.sink.WriteBatch;
import io.delta.standalone.DeltaLog;
import io.delta.standalone.Operation;
import io.delta.standalone.OptimisticTransaction;
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

class DeltaExactlyOnceCommitTest {
  static final TableSpec EVENTS = DeltaFixtures.spec("raw.events");
  static final Type.Struct EVENT =
      new Type.Struct(
          List.of(
              Field.required("p", Type.Primitive.INT), Field.required("o", Type.Primitive.LONG)));

  @TempDir Path warehouse;

  DeltaTableSink newSink() {
    return new DeltaTableSink(warehouse.toString());
  }

  /**
   * Writes records [from, to) of one partition and commits them as that partition's worker would.
   */
  static CommitResult commitRange(DeltaTableSink sink, int partition, long from, long to) {
    WriteBatch batch = sink.newBatch(EVENTS);
    for (long o = from; o < to; o++) {
      batch.write(EVENT, Row.wrap(partition, o));
    }
    PartitionOffsets expected =
        from == 0 ? PartitionOffsets.empty() : offsets("events", partition, from);
    return batch.commit(GROUP, expected, offsets("events", partition, to));
  }

  @Test
  void offsetsAreCommittedAsTxnActionsAndInCommitInfo() throws Exception {
    DeltaTableSink sink = newSink();
    assertThat(sink.committedOffsets(EVENTS, GROUP)).isEqualTo(PartitionOffsets.empty());

    CommitResult result = commitRange(sink, 0, 0, 10);

    assertThat(sink.committedOffsets(EVENTS, GROUP)).isEqualTo(offsets("events", 0, 10));
    assertThat(sink.committedOffsets(EVENTS, "another-group")).isEqualTo(PartitionOffsets.empty());
    List<JsonNode> actions = DeltaLogFiles.actions(warehouse, "raw.events", result.version());
    assertThat(DeltaLogFiles.txns(actions))
        .containsEntry("floe/" + GROUP + "/events/0", 10L)
        .containsEntry("floe/" + GROUP, 1L);
    JsonNode params = DeltaLogFiles.commitInfo(actions).get("operationParameters");
    assertThat(params.get("floe.offsets." + GROUP).asText()).isEqualTo("{\"events\":{\"0\":10}}");
    assertThat(params.get("floe.group").asText()).isEqualTo(GROUP);
    assertThat(params.get("floe.commit-id").asText()).isNotBlank();
  }

  @Test
  void workersOfDifferentPartitionsMergeTheirOffsets() throws Exception {
    DeltaTableSink worker1 = newSink();
    DeltaTableSink worker2 = newSink();

    commitRange(worker1, 0, 0, 10);
    CommitResult last1 = commitRange(worker2, 1, 0, 5);
    CommitResult last = commitRange(worker1, 0, 10, 12);

    assertThat(worker2.committedOffsets(EVENTS, GROUP))
        .isEqualTo(offsets("events", 0, 12, "events", 1, 5));
    assertThat(last.version()).isEqualTo(last1.version() + 1);
    JsonNode params =
        DeltaLogFiles.commitInfo(DeltaLogFiles.actions(warehouse, "raw.events", last.version()))
            .get("operationParameters");
    assertThat(params.get("floe.offsets." + GROUP).asText())
        .isEqualTo("{\"events\":{\"0\":12,\"1\":5}}");
    assertThat(DeltaFixtures.read(warehouse, "raw.events")).hasSize(17);
  }

  @Test
  void aBatchThatStartedFromStaleOffsetsIsFencedAndItsFilesAreDeleted() {
    DeltaTableSink sink = newSink();
    commitRange(sink, 0, 0, 10);
    commitRange(sink, 0, 10, 20); // the new owner of partition 0 moved on
    int filesBefore = DeltaLogFiles.parquetFiles(warehouse).size();

    WriteBatch zombie = sink.newBatch(EVENTS);
    zombie.write(EVENT, Row.wrap(0, 10L));
    assertThatThrownBy(
            () -> zombie.commit(GROUP, offsets("events", 0, 10), offsets("events", 0, 11)))
        .isInstanceOf(CommitFencedException.class)
        .hasMessageContaining("raw.events")
        .hasMessageContaining("events-0");

    assertThat(DeltaLogFiles.parquetFiles(warehouse)).hasSize(filesBefore);
    assertThat(sink.committedOffsets(EVENTS, GROUP)).isEqualTo(offsets("events", 0, 20));
    assertThat(DeltaFixtures.read(warehouse, "raw.events")).hasSize(20);
  }

  @Test
  void aBatchForAPartitionTheTableHasNeverSeenIsFencedWhenItExpectsAnOffset() {
    DeltaTableSink sink = newSink();
    commitRange(sink, 0, 0, 10);

    WriteBatch batch = sink.newBatch(EVENTS);
    batch.write(EVENT, Row.wrap(1, 5L));
    assertThatThrownBy(() -> batch.commit(GROUP, offsets("events", 1, 5), offsets("events", 1, 6)))
        .isInstanceOf(CommitFencedException.class);
    assertThat(DeltaFixtures.read(warehouse, "raw.events")).hasSize(10);
  }

  @Test
  void aCommitWithoutFilesStillRecordsOffsets() {
    DeltaTableSink sink = newSink();
    commitRange(sink, 0, 0, 10);

    CommitResult result =
        sink.newBatch(EVENTS).commit(GROUP, offsets("events", 0, 10), offsets("events", 0, 15));

    assertThat(result.dataFiles()).isZero();
    assertThat(sink.committedOffsets(EVENTS, GROUP)).isEqualTo(offsets("events", 0, 15));
    assertThat(DeltaFixtures.read(warehouse, "raw.events")).hasSize(10);
  }

  @Test
  void aCommitWithoutFilesToATableThatDoesNotExistDoesNothing() {
    DeltaTableSink sink = newSink();

    CommitResult result =
        sink.newBatch(EVENTS).commit(GROUP, PartitionOffsets.empty(), offsets("events", 0, 3));

    assertThat(result.version()).isEqualTo(-1);
    assertThat(DeltaFixtures.log(warehouse, "raw.events").tableExists()).isFalse();
  }

  @Test
  void offsetsAreFoundBehindCommitsOfOtherWriters() {
    DeltaTableSink sink = newSink();
    commitRange(sink, 0, 0, 10);
    DeltaLog log = DeltaFixtures.log(warehouse, "raw.events");
    OptimisticTransaction txn = log.startTransaction();
    txn.updateMetadata(
        txn.metadata().copyBuilder().configuration(Map.of("delta.appendOnly", "true")).build());
    txn.commit(List.of(), new Operation(Operation.Name.SET_TABLE_PROPERTIES), "another tool");

    assertThat(newSink().committedOffsets(EVENTS, GROUP)).isEqualTo(offsets("events", 0, 10));
    commitRange(sink, 0, 10, 12);
    assertThat(newSink().committedOffsets(EVENTS, GROUP)).isEqualTo(offsets("events", 0, 12));
  }

  @Test
  void aCommitWhoseOutcomeIsUnknownButLandedIsNotRepeated() {
    DeltaTableSink sink = new DeltaTableSink(warehouse.toString(), FaultyLogStore.configuration());
    commitRange(sink, 0, 0, 10);
    long before = DeltaLogFiles.latestVersion(warehouse, "raw.events");

    FaultyLogStore.NEXT.set(FaultyLogStore.Fault.FAIL_AFTER_WRITE);
    CommitResult result = commitRange(sink, 0, 10, 20);

    assertThat(result.version()).isEqualTo(before + 1);
    assertThat(DeltaLogFiles.latestVersion(warehouse, "raw.events")).isEqualTo(before + 1);
    assertThat(DeltaFixtures.read(warehouse, "raw.events")).hasSize(20);
    assertThat(sink.committedOffsets(EVENTS, GROUP)).isEqualTo(offsets("events", 0, 20));
  }

  @Test
  void aCommitWhoseOutcomeIsUnknownAndDidNotLandIsRetried() {
    DeltaTableSink sink = new DeltaTableSink(warehouse.toString(), FaultyLogStore.configuration());
    commitRange(sink, 0, 0, 10);
    long before = DeltaLogFiles.latestVersion(warehouse, "raw.events");

    FaultyLogStore.NEXT.set(FaultyLogStore.Fault.FAIL_BEFORE_WRITE);
    CommitResult result = commitRange(sink, 0, 10, 20);

    assertThat(result.version()).isEqualTo(before + 1);
    assertThat(DeltaFixtures.read(warehouse, "raw.events")).hasSize(20);
    assertThat(sink.committedOffsets(EVENTS, GROUP)).isEqualTo(offsets("events", 0, 20));
  }

  @Test
  void aGroupsOffsetsAreFoundBehindManyCommitsOfAnotherGroup() {
    DeltaTableSink sink = newSink();
    commitRange(sink, 0, 0, 10);
    for (long o = 0; o < 120; o++) { // another group (another deployment) writes its own partition
      WriteBatch batch = sink.newBatch(EVENTS);
      batch.write(EVENT, Row.wrap(7, o));
      batch.commit(
          "other-group",
          o == 0 ? PartitionOffsets.empty() : offsets("events", 7, o),
          offsets("events", 7, o + 1));
    }

    assertThat(newSink().committedOffsets(EVENTS, GROUP)).isEqualTo(offsets("events", 0, 10));
    assertThat(newSink().committedOffsets(EVENTS, "other-group"))
        .isEqualTo(offsets("events", 7, 120));
    assertThat(newSink().committedOffsets(EVENTS, "new-group")).isEqualTo(PartitionOffsets.empty());
  }

  @Test
  void concurrentCommitsFromTwoSinksNeitherLoseNorRegressOffsets() throws Exception {
    int commits = 30;
    int rowsPerCommit = 10;
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int partition = 0; partition < 2; partition++) {
        DeltaTableSink sink = newSink(); // its own DeltaLog: like another process
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
    assertThat(DeltaFixtures.read(warehouse, "raw.events")).hasSize(2 * commits * rowsPerCommit);
    DeltaLogFiles.assertOffsetsNeverRegress(warehouse, "raw.events", GROUP);
  }

  @Test
  void twoSinksCreatingTheSameTableBothSucceed() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<CommitResult>> results = new ArrayList<>();
      for (int partition = 0; partition < 2; partition++) {
        DeltaTableSink sink = newSink();
        int p = partition;
        results.add(pool.submit(() -> commitRange(sink, p, 0, 3)));
      }
      for (Future<CommitResult> r : results) {
        assertThat(r.get().records()).isEqualTo(3);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(DeltaFixtures.read(warehouse, "raw.events")).hasSize(6);
    assertThat(newSink().committedOffsets(EVENTS, GROUP))
        .isEqualTo(offsets("events", 0, 3, "events", 1, 3));
  }
}
