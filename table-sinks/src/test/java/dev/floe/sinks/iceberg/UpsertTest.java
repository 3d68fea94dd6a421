package dev.floe.sinks.iceberg;

import static dev.floe.sinks.TableSpecs.keyed;
import static dev.floe.sinks.iceberg.Fixtures.GROUP;
import static dev.floe.sinks.iceberg.Fixtures.offsets;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.core.FloeException;
import dev.floe.core.PartitionOffsets;
import dev.floe.core.row.Field;
import dev.floe.core.row.Row;
import dev.floe.core.row.Type;
import dev.floe.core.sink.TableSpec;
import dev.floe.core.sink.WriteBatch;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.avro.util.Utf8;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileContent;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.Test;

/**
 * Upserts into format v2 tables, read back by Iceberg's generic reader (which applies equality and
 * position deletes itself): the latest row per key, nothing else.
 */
class UpsertTest extends IcebergSinkPerTest {
  static final Type.Struct ACCOUNT =
      new Type.Struct(
          List.of(
              Field.required("id", Type.Primitive.STRING),
              Field.optional("balance", Type.Primitive.LONG)));
  static final Type.Struct KEY =
      new Type.Struct(List.of(Field.required("id", Type.Primitive.STRING)));

  @Test
  void theLastRowPerKeyWinsDeletesRemoveAndADeletedKeyComesBack() {
    TableSpec spec = keyed("bank.accounts", "id");

    WriteBatch first = sink.newBatch(spec);
    first.write(ACCOUNT, Row.wrap("a", 1L));
    first.write(ACCOUNT, Row.wrap(new Utf8("b"), 2L)); // Avro's Utf8 and String are one key
    first.write(ACCOUNT, Row.wrap("a", 3L));
    first.write(ACCOUNT, Row.wrap("b", 4L));
    first.commit(GROUP, PartitionOffsets.empty(), offsets("accounts", 0, 4));

    Table table = Fixtures.load(warehouse, "bank.accounts");
    assertThat(balances(table)).isEqualTo(Map.of("a", 3L, "b", 4L));
    assertThat(rowsInDataFiles(table)).as("only the last row per key is written").isEqualTo(2);

    WriteBatch second = sink.newBatch(spec);
    second.write(ACCOUNT, Row.wrap("b", 5L));
    second.delete(KEY, Row.wrap("a"));
    second.write(ACCOUNT, Row.wrap("c", 6L));
    second.commit(GROUP, offsets("accounts", 0, 4), offsets("accounts", 0, 7));
    assertThat(balances(table)).isEqualTo(Map.of("b", 5L, "c", 6L));

    WriteBatch third = sink.newBatch(spec);
    third.write(ACCOUNT, Row.wrap("a", 7L)); // back after its delete
    third.delete(KEY, Row.wrap("zzz")); // never existed: nothing happens
    third.commit(GROUP, offsets("accounts", 0, 7), offsets("accounts", 0, 9));
    assertThat(balances(table)).isEqualTo(Map.of("a", 7L, "b", 5L, "c", 6L));

    Snapshot head = table.currentSnapshot();
    assertThat(head.operation()).isEqualTo("overwrite"); // a RowDelta: rows and deletes together
    assertThat(head.summary()).containsKey("floe.offsets." + GROUP);
  }

  @Test
  void keysSeenAgainAfterTheBufferIsWrittenOutGetPositionDeletes() {
    TableSpec spec = keyed("bank.many", "id", "bucket[4](id)");
    Map<String, Long> model = new HashMap<>();
    Random random = new Random(7);
    WriteBatch batch = sink.newBatch(spec);
    int keys = UpsertFiles.BUFFER_ROWS + 5_000;
    int ops = keys + 20_000;
    for (int i = 0; i < ops; i++) { // every key once, then keys again after the buffer spilled
      String id = "k" + (i < keys ? i : random.nextInt(keys));
      if (i >= keys && random.nextInt(10) == 0) {
        batch.delete(KEY, Row.wrap(id));
        model.remove(id);
      } else {
        long balance = random.nextLong();
        batch.write(ACCOUNT, Row.wrap(id, balance));
        model.put(id, balance);
      }
    }
    batch.commit(GROUP, PartitionOffsets.empty(), offsets("many", 0, ops));

    Table table = Fixtures.load(warehouse, "bank.many");
    assertThat(balances(table)).isEqualTo(model);
    List<DeleteFile> deletes = deleteFiles(table);
    assertThat(deletes).extracting(DeleteFile::content).contains(FileContent.POSITION_DELETES);
    assertThat(deletes).allSatisfy(d -> assertThat(d.partition().size()).isEqualTo(1));
  }

  @Test
  void aNullKeyColumnIsAnErrorThatNamesTheColumn() {
    WriteBatch batch = sink.newBatch(keyed("bank.nulls", "id"));

    assertThatThrownBy(() -> batch.write(ACCOUNT, Row.wrap(null, 1L)))
        .isInstanceOf(FloeException.class)
        .hasMessageContaining("Key column 'id' of table bank.nulls is null");
    batch.abort();
  }

  @Test
  void aDeleteBeforeTheTableExistsChangesNothing() {
    WriteBatch batch = sink.newBatch(keyed("bank.empty", "id"));
    batch.delete(KEY, Row.wrap("a"));
    assertThat(batch.records()).isEqualTo(1);
    batch.commit(GROUP, PartitionOffsets.empty(), offsets("empty", 0, 1));
  }

  @Test
  void aKeyColumnNeverChangesTypeNorBecomesOptionalEvenWhereIcebergCouldPromoteIt() {
    Type.Struct v1 =
        new Type.Struct(
            List.of(
                Field.required("id", Type.Primitive.INT), Field.required("n", Type.Primitive.INT)));
    WriteBatch first = sink.newBatch(keyed("raw.keyed", "id"));
    first.write(v1, Row.wrap(1, 1));
    first.commit(GROUP, PartitionOffsets.empty(), offsets("keyed", 0, 1));

    WriteBatch second = sink.newBatch(keyed("raw.keyed", "id"));
    Type.Struct widened =
        new Type.Struct(
            List.of(
                Field.required("id", Type.Primitive.LONG),
                Field.required("n", Type.Primitive.INT)));
    assertThatThrownBy(() -> second.write(widened, Row.wrap(2L, 2)))
        .isInstanceOf(dev.floe.core.SchemaChangeException.class)
        .hasMessageContaining("key column 'id' would widen from int to long")
        .hasMessageContaining("write to a new table");
    Type.Struct optional =
        new Type.Struct(
            List.of(
                Field.optional("id", Type.Primitive.INT), Field.required("n", Type.Primitive.INT)));
    assertThatThrownBy(() -> second.write(optional, Row.wrap(3, 3)))
        .isInstanceOf(dev.floe.core.SchemaChangeException.class)
        .hasMessageContaining("key column 'id' would become optional");
    // a non-key column still widens
    Type.Struct other =
        new Type.Struct(
            List.of(
                Field.required("id", Type.Primitive.INT),
                Field.required("n", Type.Primitive.LONG)));
    second.write(other, Row.wrap(1, 5_000_000_000L));
    second.commit(GROUP, offsets("keyed", 0, 1), offsets("keyed", 0, 4));
    Table table = Fixtures.load(warehouse, "raw.keyed");
    assertThat(table.schema().findType("id"))
        .isEqualTo(org.apache.iceberg.types.Types.IntegerType.get());
    assertThat(Fixtures.read(table))
        .singleElement()
        .satisfies(r -> assertThat(r.getField("n")).isEqualTo(5_000_000_000L));
  }

  @Test
  void aMappingWhoseKeyOrModeChangedIsRefusedNamingBothKeys() {
    WriteBatch first = sink.newBatch(keyed("raw.rekeyed", "id"));
    first.write(ACCOUNT, Row.wrap("a", 1L));
    first.commit(GROUP, PartitionOffsets.empty(), offsets("rekeyed", 0, 1));

    TableSpec rekeyed = keyed("raw.rekeyed", "id");
    TableSpec otherKey =
        new TableSpec(
            rekeyed.id(),
            rekeyed.catalog(),
            rekeyed.partitionBy(),
            rekeyed.targetFileSizeBytes(),
            rekeyed.properties(),
            List.of("id", "balance"),
            rekeyed.schemaEvolution());
    WriteBatch second = sink.newBatch(otherKey);
    assertThatThrownBy(() -> second.write(ACCOUNT, Row.wrap("a", 2L)))
        .isInstanceOf(FloeException.class)
        .hasMessageContaining("Table raw.rekeyed was written with key columns [id]")
        .hasMessageContaining("now writes it with key columns [id, balance]")
        .hasMessageContaining("or write to a new table");
    second.abort();
    WriteBatch append = sink.newBatch(Fixtures.spec("raw.rekeyed"));
    assertThatThrownBy(() -> append.write(ACCOUNT, Row.wrap("a", 3L)))
        .hasMessageContaining("now writes it append-only (no key columns)");
    append.abort();
    assertThat(balances(Fixtures.load(warehouse, "raw.rekeyed")))
        .containsExactly(Map.entry("a", 1L));
  }

  static Map<String, Long> balancesOf(Table table) {
    return balances(table);
  }

  private static Map<String, Long> balances(Table table) {
    table.refresh();
    Map<String, Long> byId = new HashMap<>();
    for (var r : Fixtures.read(table)) {
      Long previous = byId.put((String) r.getField("id"), (Long) r.getField("balance"));
      assertThat(previous).as("one row per key: %s", r.getField("id")).isNull();
    }
    return byId;
  }

  private static long rowsInDataFiles(Table table) {
    return RoundTripTest.dataFiles(table).stream().mapToLong(f -> f.recordCount()).sum();
  }

  private static List<DeleteFile> deleteFiles(Table table) {
    try (var tasks = table.newScan().planFiles()) {
      return java.util.stream.StreamSupport.stream(tasks.spliterator(), false)
          .flatMap(t -> t.deletes().stream())
          .collect(Collectors.toMap(DeleteFile::location, d -> d, (a, b) -> a))
          .values()
          .stream()
          .toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
