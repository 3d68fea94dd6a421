package dev.floe.sinks.delta;

import static dev.floe.sinks.TableSpecs.keyed;
import static dev.floe.sinks.delta.DeltaFixtures.GROUP;
import static dev.floe.sinks.delta.DeltaFixtures.offsets;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.floe.core.FloeException;
import dev.floe.core.PartitionOffsets;
import dev.floe.core.TableId;
import dev.floe.core.row.Field;
import dev.floe.core.row.Row;
import dev.floe.core.row.Type;
import dev.floe.core.sink.TableSpec;
import dev.floe.core.sink.WriteBatch;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delta upserts are copy-on-write: the files that hold a changed key are rewritten without it in
 * the commit that adds the new rows and moves the offsets. Read back with Delta Kernel and
 * delta-standalone's reader.
 */
class DeltaUpsertTest {
  @TempDir Path warehouse;

  static final Type.Struct ROW =
      new Type.Struct(
          List.of(
              Field.required("id", Type.Primitive.LONG),
              Field.optional("name", Type.Primitive.STRING)));
  static final Type.Struct KEY =
      new Type.Struct(List.of(Field.required("id", Type.Primitive.LONG)));

  @Test
  void theLastRowPerKeyWinsDeletesRemoveAndADeletedKeyComesBack() {
    DeltaTableSink sink = new DeltaTableSink(warehouse.toString());
    TableSpec spec = keyed("raw.people", "id");
    WriteBatch first = sink.newBatch(spec);
    for (long id = 1; id <= 5; id++) {
      first.write(ROW, Row.wrap(id, "v1-" + id));
    }
    first.write(ROW, Row.wrap(1L, "v2-1")); // the same key again in the batch: only this is written
    first.commit(GROUP, PartitionOffsets.empty(), offsets("people", 0, 6));
    assertThat(latest())
        .isEqualTo(Map.of(1L, "v2-1", 2L, "v1-2", 3L, "v1-3", 4L, "v1-4", 5L, "v1-5"));

    WriteBatch second = sink.newBatch(spec);
    second.write(ROW, Row.wrap(2L, "v2-2"));
    second.delete(KEY, Row.wrap(3L));
    second.write(ROW, Row.wrap(6L, "v1-6"));
    second.delete(KEY, Row.wrap(99L)); // never existed
    var result = second.commit(GROUP, offsets("people", 0, 6), offsets("people", 0, 10));

    List<JsonNode> actions = DeltaLogFiles.actions(warehouse, "raw.people", result.version());
    assertThat(actions.stream().filter(a -> a.has("remove"))).hasSize(1);
    assertThat(DeltaLogFiles.adds(actions)).hasSize(2); // the new rows, the copy of the old file
    assertThat(DeltaLogFiles.txns(actions)).isNotEmpty();
    assertThat(latest())
        .isEqualTo(Map.of(1L, "v2-1", 2L, "v2-2", 4L, "v1-4", 5L, "v1-5", 6L, "v1-6"));

    WriteBatch third = sink.newBatch(spec);
    third.write(ROW, Row.wrap(3L, "v3-3"));
    third.delete(KEY, Row.wrap(6L));
    third.write(ROW, Row.wrap(6L, "v3-6")); // deleted and back in one batch
    third.write(ROW, Row.wrap(4L, "v3-4"));
    third.delete(KEY, Row.wrap(4L)); // written and deleted in one batch
    third.commit(GROUP, offsets("people", 0, 10), offsets("people", 0, 15));

    Map<Long, String> expected = Map.of(1L, "v2-1", 2L, "v2-2", 3L, "v3-3", 5L, "v1-5", 6L, "v3-6");
    assertThat(latest()).isEqualTo(expected);
    Map<Long, String> standalone = new TreeMap<>();
    for (Map<String, Object> r :
        DeltaFixtures.openWithStandalone(warehouse, "raw.people", "id", "name")) {
      assertThat(standalone.put((Long) r.get("id"), (String) r.get("name"))).isNull();
    }
    assertThat(standalone).isEqualTo(expected);
  }

  @Test
  void onlyFilesWhoseKeyStatisticsMayHoldAChangedKeyAreRewritten() {
    DeltaTableSink sink = new DeltaTableSink(warehouse.toString());
    TableSpec spec = keyed("raw.ranges", "id");
    long next = 0;
    for (int f = 0; f < 3; f++) { // files holding ids 0-99, 100-199, 200-299
      WriteBatch batch = sink.newBatch(spec);
      for (long id = f * 100L; id < f * 100L + 100; id++) {
        batch.write(ROW, Row.wrap(id, "a"));
      }
      batch.commit(
          GROUP,
          next == 0 ? PartitionOffsets.empty() : offsets("r", 0, next),
          offsets("r", 0, next + 100));
      next += 100;
    }
    List<JsonNode> before = DeltaLogFiles.adds(DeltaLogFiles.actions(warehouse, "raw.ranges", 2));

    WriteBatch update = sink.newBatch(spec);
    update.write(ROW, Row.wrap(150L, "b"));
    update.delete(KEY, Row.wrap(1_000L)); // beyond every file's maximum: no file to open
    var result = update.commit(GROUP, offsets("r", 0, next), offsets("r", 0, next + 2));

    List<JsonNode> actions = DeltaLogFiles.actions(warehouse, "raw.ranges", result.version());
    List<String> removed =
        actions.stream()
            .filter(a -> a.has("remove"))
            .map(a -> a.get("remove").get("path").asText())
            .toList();
    assertThat(removed).containsExactly(before.get(0).get("path").asText());
    assertThat(latest("raw.ranges")).hasSize(300).containsEntry(150L, "b").containsEntry(149L, "a");
  }

  @Test
  void upsertsIntoAPartitionedTableKeepEachCopyInItsPartition() {
    DeltaTableSink sink = new DeltaTableSink(warehouse.toString());
    TableSpec spec = keyed("raw.buckets", "id", "bucket[4](id)");
    WriteBatch first = sink.newBatch(spec);
    for (long id = 0; id < 40; id++) {
      first.write(ROW, Row.wrap(id, "a" + id));
    }
    first.commit(GROUP, PartitionOffsets.empty(), offsets("b", 0, 40));

    WriteBatch second = sink.newBatch(spec);
    for (long id = 0; id < 40; id += 3) {
      second.write(ROW, Row.wrap(id, "b" + id));
    }
    second.delete(KEY, Row.wrap(1L));
    second.commit(GROUP, offsets("b", 0, 40), offsets("b", 0, 55));

    List<Map<String, Object>> rows = KernelReader.read(location("raw.buckets"));
    assertThat(rows).hasSize(39);
    for (Map<String, Object> r : rows) {
      long id = (Long) r.get("id");
      assertThat(r.get("name")).isEqualTo((id % 3 == 0 ? "b" : "a") + id);
    }
    for (var file : DeltaFixtures.log(warehouse, "raw.buckets").update().getAllFiles()) {
      assertThat(file.getPath())
          .startsWith("id_bucket=" + file.getPartitionValues().get("id_bucket") + "/");
    }
  }

  @Test
  void twoWritersUpdatingKeysOfOneFileBothLandWithoutRevivingEitherOldRow() {
    DeltaTableSink sink = new DeltaTableSink(warehouse.toString());
    TableSpec spec = keyed("raw.shared", "id");
    WriteBatch first = sink.newBatch(spec);
    for (long id = 1; id <= 4; id++) {
      first.write(ROW, Row.wrap(id, "old"));
    }
    first.commit(GROUP, PartitionOffsets.empty(), offsets("s", 0, 4, "s", 1, 0));

    // two partitions' batches, open at once, each changing a key of the same file
    WriteBatch a = sink.newBatch(spec);
    WriteBatch b = sink.newBatch(spec);
    a.write(ROW, Row.wrap(1L, "a"));
    b.write(ROW, Row.wrap(2L, "b"));
    b.delete(KEY, Row.wrap(3L));
    a.commit(GROUP, offsets("s", 0, 4), offsets("s", 0, 5));
    b.commit(GROUP, offsets("s", 1, 0), offsets("s", 1, 2));

    assertThat(latest("raw.shared")).isEqualTo(Map.of(1L, "a", 2L, "b", 4L, "old"));
  }

  @Test
  void aRewriteThatLosesARaceToAnotherRewriteIsPlannedAgainOnTheWinnersFiles() {
    DeltaTableSink other = new DeltaTableSink(warehouse.toString());
    DeltaTableSink racing =
        new DeltaTableSink(warehouse.toString(), FaultyLogStore.configuration());
    TableSpec spec = keyed("raw.race", "id");
    WriteBatch first = other.newBatch(spec);
    for (long id = 1; id <= 4; id++) {
      first.write(ROW, Row.wrap(id, "old"));
    }
    first.commit(GROUP, PartitionOffsets.empty(), offsets("s", 0, 4, "s", 1, 0));

    WriteBatch loser = racing.newBatch(spec);
    loser.write(ROW, Row.wrap(1L, "a"));
    FaultyLogStore.BEFORE_NEXT_WRITE.set( // the winner rewrites the same file in between
        () -> {
          WriteBatch winner = other.newBatch(spec);
          winner.write(ROW, Row.wrap(2L, "b"));
          winner.commit(GROUP, offsets("s", 1, 0), offsets("s", 1, 1));
        });
    try {
      loser.commit(GROUP, offsets("s", 0, 4), offsets("s", 0, 5));
    } finally {
      FaultyLogStore.BEFORE_NEXT_WRITE.set(null);
    }

    assertThat(latest("raw.race")).isEqualTo(Map.of(1L, "a", 2L, "b", 3L, "old", 4L, "old"));
    assertThat(DeltaLogFiles.parquetFiles(warehouse))
        .as("the losing attempt's copies are deleted")
        .hasSize(
            DeltaFixtures.log(warehouse, "raw.race").update().getAllFiles().size()
                + 2); // + the first file and the winner's copy
  }

  @Test
  void aNullKeyColumnIsAnErrorThatNamesTheColumnAndTheBatchGoesOn() {
    DeltaTableSink sink = new DeltaTableSink(warehouse.toString());
    WriteBatch batch = sink.newBatch(keyed("raw.nulls", "name"));
    assertThatThrownBy(() -> batch.write(ROW, Row.wrap(1L, null)))
        .isInstanceOf(FloeException.class)
        .hasMessageContaining("Key column 'name' of Delta table raw.nulls is null");
    assertThat(batch.usable()).isTrue();
    batch.write(ROW, Row.wrap(2L, "x"));
    batch.commit(GROUP, PartitionOffsets.empty(), offsets("n", 0, 2));
    assertThat(KernelReader.read(location("raw.nulls"))).hasSize(1);
  }

  @Test
  void aKeyColumnNeverBecomesNullable() {
    DeltaTableSink sink = new DeltaTableSink(warehouse.toString());
    Type.Struct v1 =
        new Type.Struct(
            List.of(
                Field.required("id", Type.Primitive.LONG),
                Field.required("n", Type.Primitive.INT)));
    WriteBatch first = sink.newBatch(keyed("raw.keyed", "id"));
    first.write(v1, Row.wrap(1L, 1));
    first.commit(GROUP, PartitionOffsets.empty(), offsets("keyed", 0, 1));

    WriteBatch second = sink.newBatch(keyed("raw.keyed", "id"));
    Type.Struct optional =
        new Type.Struct(
            List.of(
                Field.optional("id", Type.Primitive.LONG),
                Field.optional("n", Type.Primitive.INT)));
    assertThatThrownBy(() -> second.write(optional, Row.wrap(2L, 2)))
        .isInstanceOf(dev.floe.core.SchemaChangeException.class)
        .hasMessageContaining("key column 'id' would become nullable")
        .hasMessageContaining("write to a new table");
    second.abort();
  }

  @Test
  void aMappingWhoseKeyChangedIsRefusedNamingBothKeys() {
    DeltaTableSink sink = new DeltaTableSink(warehouse.toString());
    WriteBatch first = sink.newBatch(keyed("raw.rekeyed", "id"));
    first.write(ROW, Row.wrap(1L, "a"));
    first.commit(GROUP, PartitionOffsets.empty(), offsets("rekeyed", 0, 1));

    WriteBatch second = sink.newBatch(keyed("raw.rekeyed", "name"));
    assertThatThrownBy(() -> second.write(ROW, Row.wrap(2L, "a")))
        .isInstanceOf(FloeException.class)
        .hasMessageContaining("Table raw.rekeyed was written with key columns [id]")
        .hasMessageContaining("now writes it with key columns [name]");
    second.abort();
    assertThat(KernelReader.read(location("raw.rekeyed"))).hasSize(1);
  }

  @Test
  void aDeleteBeforeTheTableExistsChangesNothing() {
    DeltaTableSink sink = new DeltaTableSink(warehouse.toString());
    WriteBatch batch = sink.newBatch(keyed("raw.none", "id"));
    batch.delete(KEY, Row.wrap(1L));
    var result = batch.commit(GROUP, PartitionOffsets.empty(), offsets("x", 0, 1));
    assertThat(result.version()).isEqualTo(-1);
    assertThat(DeltaFixtures.log(warehouse, "raw.none").tableExists()).isFalse();
  }

  @Test
  void textKeysThatAreNoStringsMatchTheStringsInTheFiles() {
    DeltaTableSink sink = new DeltaTableSink(warehouse.toString());
    TableSpec spec = keyed("raw.text", "name");
    WriteBatch first = sink.newBatch(spec);
    first.write(ROW, Row.wrap(1L, "k1"));
    first.write(ROW, Row.wrap(2L, "k2"));
    first.commit(GROUP, PartitionOffsets.empty(), offsets("t", 0, 2));

    WriteBatch second = sink.newBatch(spec);
    second.write(ROW, Row.wrap(3L, new StringBuilder("k1") /* as Avro's Utf8: a CharSequence */));
    second.commit(GROUP, offsets("t", 0, 2), offsets("t", 0, 3));

    assertThat(KernelReader.read(location("raw.text")))
        .extracting(r -> Arrays.asList(r.get("id"), r.get("name")))
        .containsExactlyInAnyOrder(Arrays.asList(3L, "k1"), Arrays.asList(2L, "k2"));
  }

  private Map<Long, String> latest() {
    return latest("raw.people");
  }

  private Map<Long, String> latest(String table) {
    Map<Long, String> rows = new TreeMap<>();
    for (Map<String, Object> r : KernelReader.read(location(table))) {
      assertThat(rows.put((Long) r.get("id"), (String) r.get("name")))
          .as("one row per key: %s", r.get("id"))
          .isNull();
    }
    return rows;
  }

  private Path location(String table) {
    return DeltaTableSink.location(warehouse.toString(), TableId.parse(table));
  }
}
