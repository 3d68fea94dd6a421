package dev.floe.sinks.delta;

import static dev.floe.sinks.delta.DeltaFixtures.GROUP;
import static dev.floe.sinks.delta.DeltaFixtures.offsets;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.floe.core.PartitionOffsets;
import dev.floe.core.row.Field;
import dev.floe.core.row.Row;
import dev.floe.core.row.Type;
import dev.floe.core.sink.TableSpec;
import dev.floe.core.sink.WriteBatch;
import io.delta.standalone.Snapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Readers of a long-lived table start from the latest checkpoint and replay at most the commits
 * after it, never the whole JSON log. (The time this saves is measured in the closing figures of
 * docs/operations.md, not asserted here.)
 */
class DeltaCheckpointTest {
  static final Type.Struct EVENT =
      new Type.Struct(
          List.of(
              Field.required("p", Type.Primitive.INT), Field.required("o", Type.Primitive.LONG)));

  @TempDir Path warehouse;

  @Test
  void aTableOf500CommitsIsReadFromACheckpointAndAtMostNineCommits() throws Exception {
    TableSpec spec = DeltaFixtures.spec("raw.long_lived");
    commit(spec, 500);

    Path log = DeltaLogFiles.logDir(warehouse, "raw.long_lived");
    long latest = DeltaLogFiles.latestVersion(warehouse, "raw.long_lived");
    long checkpoint = lastCheckpoint(log);
    assertThat(latest).isEqualTo(500); // version 0 created the table
    assertThat(checkpoint).isEqualTo(500);
    for (long v = 10; v <= 500; v += 10) {
      assertThat(log.resolve(String.format("%020d.checkpoint.parquet", v))).exists();
    }
    assertThat(log.resolve(String.format("%020d.checkpoint.parquet", 495))).doesNotExist();

    // a reader that knows nothing of the table opens it at the latest version, from the checkpoint
    Snapshot snapshot = DeltaFixtures.log(warehouse, "raw.long_lived").snapshot();
    assertThat(snapshot.getVersion()).isEqualTo(500);
    assertThat(snapshot.getAllFiles()).hasSize(500);
    assertThat(new DeltaTableSink(warehouse.toString()).committedOffsets(spec, GROUP))
        .isEqualTo(offsets("events", 0, 500));
  }

  @Test
  void theCheckpointIntervalComesFromTheMappingsDeltaProperties() throws Exception {
    TableSpec spec = DeltaFixtures.spec("raw.sparse", Map.of("delta.checkpointInterval", "25"));
    commit(spec, 60);

    Path log = DeltaLogFiles.logDir(warehouse, "raw.sparse");
    assertThat(lastCheckpoint(log)).isEqualTo(50);
    assertThat(log.resolve(String.format("%020d.checkpoint.parquet", 25))).exists();
    assertThat(log.resolve(String.format("%020d.checkpoint.parquet", 10))).doesNotExist();
    assertThat(
            DeltaFixtures.log(warehouse, "raw.sparse").snapshot().getMetadata().getConfiguration())
        .containsEntry("delta.checkpointInterval", "25");
  }

  /** Commits {@code n} batches of one row each. */
  private void commit(TableSpec spec, int n) {
    DeltaTableSink sink = new DeltaTableSink(warehouse.toString());
    for (long o = 0; o < n; o++) {
      WriteBatch batch = sink.newBatch(spec);
      batch.write(EVENT, Row.wrap(0, o));
      batch.commit(
          GROUP,
          o == 0 ? PartitionOffsets.empty() : offsets("events", 0, o),
          offsets("events", 0, o + 1));
    }
  }

  private static long lastCheckpoint(Path log) throws Exception {
    return new ObjectMapper()
        .readTree(Files.readString(log.resolve("_last_checkpoint")))
        .get("version")
        .asLong();
  }
}
