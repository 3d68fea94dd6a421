package dev.floe.sinks.delta;

import static dev.floe.sinks.delta.DeltaFixtures.offsets;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.floe.core.PartitionOffsets;
import dev.floe.core.row.Row;
import dev.floe.core.sink.CommitResult;
import dev.floe.core.sink.WriteBatch;
import dev.floe.sinks.ExactlyOnceCommitContract;
import io.delta.standalone.DeltaLog;
import io.delta.standalone.Operation;
import io.delta.standalone.OptimisticTransaction;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeltaExactlyOnceCommitTest extends ExactlyOnceCommitContract {

  @Override
  protected DeltaTableSink newSink() {
    return new DeltaTableSink(warehouse.toString());
  }

  @Override
  protected List<?> rows() {
    return DeltaFixtures.read(warehouse, "raw.events");
  }

  @Override
  protected List<Path> dataFiles() {
    return DeltaLogFiles.parquetFiles(warehouse);
  }

  @Override
  protected long latestVersion() {
    return DeltaLogFiles.latestVersion(warehouse, "raw.events");
  }

  @Override
  protected boolean tableExists() {
    return DeltaFixtures.log(warehouse, "raw.events").tableExists();
  }

  @Override
  protected void commitAsAnotherTool() {
    DeltaLog log = DeltaFixtures.log(warehouse, "raw.events");
    OptimisticTransaction txn = log.startTransaction();
    txn.updateMetadata(
        txn.metadata().copyBuilder().configuration(Map.of("delta.appendOnly", "true")).build());
    txn.commit(List.of(), new Operation(Operation.Name.SET_TABLE_PROPERTIES), "another tool");
  }

  @Override
  protected void assertOffsetsNeverRegress() {
    DeltaLogFiles.assertOffsetsNeverRegress(warehouse, "raw.events", GROUP);
  }

  @Override
  protected int concurrentCommitsPerWorker() {
    return 30;
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
    assertThat(rows()).hasSize(17);
  }

  @Test
  void aCommitWhoseOutcomeIsUnknownButLandedIsNotRepeated() {
    DeltaTableSink sink = new DeltaTableSink(warehouse.toString(), FaultyLogStore.configuration());
    commitRange(sink, 0, 0, 10);
    long before = latestVersion();

    FaultyLogStore.NEXT.set(FaultyLogStore.Fault.FAIL_AFTER_WRITE);
    CommitResult result = commitRange(sink, 0, 10, 20);

    assertThat(result.version()).isEqualTo(before + 1);
    assertThat(latestVersion()).isEqualTo(before + 1);
    assertThat(rows()).hasSize(20);
    assertThat(sink.committedOffsets(EVENTS, GROUP)).isEqualTo(offsets("events", 0, 20));
  }

  @Test
  void aCommitWhoseOutcomeIsUnknownAndDidNotLandIsRetried() {
    DeltaTableSink sink = new DeltaTableSink(warehouse.toString(), FaultyLogStore.configuration());
    commitRange(sink, 0, 0, 10);
    long before = latestVersion();

    FaultyLogStore.NEXT.set(FaultyLogStore.Fault.FAIL_BEFORE_WRITE);
    CommitResult result = commitRange(sink, 0, 10, 20);

    assertThat(result.version()).isEqualTo(before + 1);
    assertThat(rows()).hasSize(20);
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
}
