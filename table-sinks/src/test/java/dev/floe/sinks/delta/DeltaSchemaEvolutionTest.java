package dev.floe.sinks.delta;

import static dev.floe.sinks.TableSpecs.evolving;
import static dev.floe.sinks.delta.DeltaFixtures.GROUP;
import static dev.floe.sinks.delta.DeltaFixtures.offsets;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.floe.core.FloeException;
import dev.floe.core.PartitionOffsets;
import dev.floe.core.SchemaChangeException;
import dev.floe.core.TableId;
import dev.floe.core.config.TableMapping;
import dev.floe.core.row.Field;
import dev.floe.core.row.Row;
import dev.floe.core.row.Type;
import dev.floe.core.sink.TableSpec;
import dev.floe.core.sink.WriteBatch;
import io.delta.standalone.types.ArrayType;
import io.delta.standalone.types.MapType;
import io.delta.standalone.types.StructType;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Delta table follows its source schema: new fields, nested ones too, become nullable columns;
 * dropped or optional fields make columns nullable; all in the commit that first writes such rows.
 * Types never widen (protocol 1, 2 cannot). Read back with Delta Kernel.
 */
class DeltaSchemaEvolutionTest {
  @TempDir Path warehouse;

  static final Type.Struct POINT =
      new Type.Struct(List.of(Field.required("x", Type.Primitive.INT)));
  static final Type.Struct V1 =
      new Type.Struct(
          List.of(
              Field.required("id", Type.Primitive.LONG),
              Field.required("name", Type.Primitive.STRING),
              Field.required("n", Type.Primitive.INT),
              Field.optional("price", new Type.Decimal(5, 2)),
              Field.optional("points", new Type.ListType(POINT, false)),
              Field.optional("tags", new Type.MapType(Type.Primitive.STRING, POINT, false))));
  static final Type.Struct POINT2 =
      new Type.Struct(
          List.of(
              Field.required("x", Type.Primitive.INT), Field.optional("y", Type.Primitive.INT)));
  static final Type.Struct V2 = // + score and ctx.os, nested y in lists and maps; name gone
      new Type.Struct(
          List.of(
              Field.required("id", Type.Primitive.LONG),
              Field.optional("n", Type.Primitive.INT),
              Field.optional("price", new Type.Decimal(4, 2)),
              Field.optional("points", new Type.ListType(POINT2, false)),
              Field.optional("tags", new Type.MapType(Type.Primitive.STRING, POINT2, false)),
              Field.optional("score", Type.Primitive.DOUBLE),
              Field.optional(
                  "ctx", new Type.Struct(List.of(Field.optional("os", Type.Primitive.STRING))))));

  @Test
  void newerRowsEvolveTheTableInTheCommitThatWritesThemAndOlderRowsStillFit() {
    DeltaTableSink sink = new DeltaTableSink(warehouse.toString());
    TableSpec spec =
        evolving("raw.evolving", TableMapping.SchemaEvolution.ADDITIVE, "bucket(2, id)");
    WriteBatch first = sink.newBatch(spec);
    first.write(
        V1,
        Row.wrap(
            1L, "ann", 7, new BigDecimal("1.50"), List.of(Row.wrap(1)), Map.of("a", Row.wrap(1))));
    first.commit(GROUP, PartitionOffsets.empty(), offsets("evolving", 0, 1));
    long before = DeltaLogFiles.latestVersion(warehouse, "raw.evolving");

    WriteBatch second = sink.newBatch(spec);
    second.write(V1, Row.wrap(4L, "di", 1, null, null, null)); // into a file of the old schema
    second.write(
        V2,
        Row.wrap(
            2L,
            null,
            new BigDecimal("12.34"),
            List.of(Row.wrap(2, 3)),
            Map.of("b", Row.wrap(4, 5)),
            0.5,
            Row.wrap("linux")));
    second.write(V1, Row.wrap(3L, "cy", 9, null, List.of(), Map.of())); // a late producer
    assertThat(schema().getFieldNames()).as("not before the commit").doesNotContain("score");
    var result = second.commit(GROUP, offsets("evolving", 0, 1), offsets("evolving", 0, 4));

    assertThat(result.version()).as("schema and data in one commit").isEqualTo(before + 1);
    List<JsonNode> actions = DeltaLogFiles.actions(warehouse, "raw.evolving", before + 1);
    assertThat(actions).anyMatch(a -> a.has("metaData"));
    assertThat(DeltaLogFiles.adds(actions)) // the old schema's file closed when the schema evolved
        .hasSizeGreaterThanOrEqualTo(2);
    StructType schema = schema();
    assertThat(schema.getFieldNames())
        .containsExactly("id", "name", "n", "price", "points", "tags", "id_bucket", "score", "ctx");
    assertThat(schema.get("name").isNullable()).as("the rows no longer have it").isTrue();
    assertThat(schema.get("n").isNullable()).isTrue();
    assertThat(schema.get("id").isNullable()).isFalse();
    assertThat(
            ((StructType) ((ArrayType) schema.get("points").getDataType()).getElementType())
                .getFieldNames())
        .containsExactly("x", "y");
    assertThat(
            ((StructType) ((MapType) schema.get("tags").getDataType()).getValueType())
                .getFieldNames())
        .containsExactly("x", "y");
    assertThat(DeltaFixtures.log(warehouse, "raw.evolving").update().getMetadata())
        .extracting(m -> m.getPartitionColumns())
        .isEqualTo(List.of("id_bucket"));

    List<Map<String, Object>> rows = KernelReader.read(location("raw.evolving"));
    rows.sort(Comparator.comparing(r -> (Long) r.get("id")));
    assertThat(rows).hasSize(4);
    assertThat(rows.get(0))
        .containsEntry("name", "ann")
        .containsEntry("n", 7)
        .containsEntry("score", null)
        .containsEntry("ctx", null)
        .containsEntry("points", List.of(Arrays.asList(1, null)))
        .containsEntry("tags", Map.of("a", Arrays.asList(1, null)));
    assertThat(rows.get(1))
        .containsEntry("name", null)
        .containsEntry("n", null)
        .containsEntry("price", new BigDecimal("12.34"))
        .containsEntry("points", List.of(List.of(2, 3)))
        .containsEntry("tags", Map.of("b", List.of(4, 5)))
        .containsEntry("score", 0.5)
        .containsEntry("ctx", List.of("linux"));
    assertThat(rows.get(2)).containsEntry("name", "cy").containsEntry("score", null);
    assertThat(rows.get(3)).containsEntry("name", "di").containsEntry("ctx", null);
    assertThat(DeltaFixtures.openWithStandalone(warehouse, "raw.evolving", "id", "name"))
        .hasSize(4);
  }

  @Test
  void aWiderTypeIsRefusedBecauseDeltaProtocol12CannotWidenAColumn() {
    DeltaTableSink sink = new DeltaTableSink(warehouse.toString());
    TableSpec spec = evolving("raw.narrow", TableMapping.SchemaEvolution.FULL);
    WriteBatch first = sink.newBatch(spec);
    first.source("schema id 41");
    first.write(V1, Row.wrap(1L, "ann", 7, null, null, null));
    first.commit(GROUP, PartitionOffsets.empty(), offsets("narrow", 0, 1));
    Type.Struct widened =
        new Type.Struct(
            List.of(
                Field.required("id", Type.Primitive.LONG),
                Field.required("n", Type.Primitive.LONG)));
    Type.Struct changed =
        new Type.Struct(
            List.of(
                Field.required("id", Type.Primitive.LONG),
                Field.required("name", Type.Primitive.LONG)));

    WriteBatch second = sink.newBatch(spec);
    second.source("schema id 42");
    assertThatThrownBy(() -> second.write(widened, Row.wrap(2L, 5L)))
        .isInstanceOf(SchemaChangeException.class)
        .hasMessageContaining("column 'n' is int but the rows' field is LONG")
        .hasMessageContaining("the table's columns were last set by rows of schema id 41")
        .hasMessageContaining("Delta protocol (1, 2) cannot widen a column's type");
    assertThatThrownBy(() -> second.write(changed, Row.wrap(2L, 5L)))
        .isInstanceOf(SchemaChangeException.class)
        .hasMessageContaining("column 'name' has type string but the rows' field has type LONG");
    Type.Struct narrower = // a long column holds int rows: they widen on write
        new Type.Struct(
            List.of(
                Field.required("id", Type.Primitive.INT),
                Field.required("name", Type.Primitive.STRING),
                Field.required("n", Type.Primitive.INT)));
    second.write(narrower, Row.wrap(3, "cy", 4));
    second.commit(GROUP, offsets("narrow", 0, 1), offsets("narrow", 0, 2));
    assertThat(KernelReader.read(location("raw.narrow")))
        .extracting(r -> r.get("id"))
        .containsExactlyInAnyOrder(1L, 3L);
  }

  @Test
  void theMappingsLevelBoundsWhatChanges() {
    DeltaTableSink sink = new DeltaTableSink(warehouse.toString());
    Type.Struct v1 = new Type.Struct(List.of(Field.required("n", Type.Primitive.INT)));
    Type.Struct added =
        new Type.Struct(
            List.of(
                Field.required("n", Type.Primitive.INT), Field.optional("m", Type.Primitive.INT)));
    Type.Struct optional = new Type.Struct(List.of(Field.optional("n", Type.Primitive.INT)));
    for (TableMapping.SchemaEvolution level : TableMapping.SchemaEvolution.values()) {
      String table = "raw.level_" + level.name().toLowerCase();
      TableSpec spec = evolving(table, level);
      WriteBatch first = sink.newBatch(spec);
      first.write(v1, Row.wrap(1));
      first.commit(GROUP, PartitionOffsets.empty(), offsets("l", 0, 1));

      WriteBatch next = sink.newBatch(spec);
      if (level == TableMapping.SchemaEvolution.NONE) {
        assertThatThrownBy(() -> next.write(added, Row.wrap(2, 3)))
            .isInstanceOf(SchemaChangeException.class)
            .hasMessageContaining("would need to add column m int")
            .hasMessageContaining("schema-evolution: none does not allow")
            .hasMessageContaining("set the mapping's schema-evolution to additive");
        assertThatThrownBy(() -> next.write(optional, Row.wrap((Object) null)))
            .isInstanceOf(SchemaChangeException.class)
            .hasMessageContaining("make column n nullable");
        next.write(v1, Row.wrap(2)); // rows that need no change still go in
        next.commit(GROUP, offsets("l", 0, 1), offsets("l", 0, 2));
        continue;
      }
      next.write(added, Row.wrap(2, 3));
      next.write(optional, Row.wrap((Object) null));
      next.commit(GROUP, offsets("l", 0, 1), offsets("l", 0, 3));
      assertThat(KernelReader.read(location(table)))
          .extracting(r -> Arrays.asList(r.get("n"), r.get("m")))
          .containsExactlyInAnyOrder(
              Arrays.asList(1, null), Arrays.asList(2, 3), Arrays.asList(null, null));
    }
  }

  @Test
  void aFieldRenamedWithAnAvroAliasKeepsItsColumnAndWithoutOneIsANewColumn() {
    DeltaTableSink sink = new DeltaTableSink(warehouse.toString());
    TableSpec spec = evolving("raw.renamed", TableMapping.SchemaEvolution.ADDITIVE);
    Type.Struct v1 =
        new Type.Struct(
            List.of(
                Field.required("id", Type.Primitive.LONG),
                Field.required("name", Type.Primitive.STRING)));
    Type.Struct aliased =
        new Type.Struct(
            List.of(
                Field.required("id", Type.Primitive.LONG),
                new Field("full_name", Type.Primitive.STRING, false, null, 0, List.of("name"))));
    Type.Struct renamed =
        new Type.Struct(
            List.of(
                Field.required("id", Type.Primitive.LONG),
                Field.required("label", Type.Primitive.STRING)));
    WriteBatch batch = sink.newBatch(spec);
    batch.write(v1, Row.wrap(1L, "ann"));
    batch.write(aliased, Row.wrap(2L, "bo"));
    batch.commit(GROUP, PartitionOffsets.empty(), offsets("r", 0, 2));
    assertThat(schema("raw.renamed").getFieldNames()).containsExactly("id", "name");

    WriteBatch next = sink.newBatch(spec);
    next.write(renamed, Row.wrap(3L, "cy"));
    next.commit(GROUP, offsets("r", 0, 2), offsets("r", 0, 3));

    assertThat(schema("raw.renamed").getFieldNames()).containsExactly("id", "name", "label");
    assertThat(KernelReader.read(location("raw.renamed")))
        .extracting(r -> Arrays.asList(r.get("id"), r.get("name"), r.get("label")))
        .containsExactlyInAnyOrder(
            Arrays.asList(1L, "ann", null),
            Arrays.asList(2L, "bo", null),
            Arrays.asList(3L, null, "cy"));
  }

  @Test
  void batchesThatEvolveAlikeBothCommitAndOneThatMissedAnotherChangeIsDropped() {
    DeltaTableSink sink = new DeltaTableSink(warehouse.toString());
    TableSpec spec = evolving("raw.racing", TableMapping.SchemaEvolution.ADDITIVE);
    Type.Struct v1 = new Type.Struct(List.of(Field.required("n", Type.Primitive.INT)));
    Type.Struct withM =
        new Type.Struct(
            List.of(
                Field.required("n", Type.Primitive.INT), Field.optional("m", Type.Primitive.INT)));
    Type.Struct withK =
        new Type.Struct(
            List.of(
                Field.required("n", Type.Primitive.INT), Field.optional("k", Type.Primitive.INT)));
    WriteBatch first = sink.newBatch(spec);
    first.write(v1, Row.wrap(1));
    first.commit(GROUP, PartitionOffsets.empty(), offsets("t", 0, 1, "t", 1, 0, "t", 2, 0));

    WriteBatch a = sink.newBatch(spec);
    WriteBatch b = sink.newBatch(spec);
    WriteBatch c = sink.newBatch(spec);
    a.write(withM, Row.wrap(2, 2));
    b.write(withM, Row.wrap(3, 3));
    c.write(withK, Row.wrap(4, 4));
    a.commit(GROUP, offsets("t", 0, 1), offsets("t", 0, 2));
    b.commit(GROUP, offsets("t", 1, 0), offsets("t", 1, 1));
    assertThatThrownBy(() -> c.commit(GROUP, offsets("t", 2, 0), offsets("t", 2, 1)))
        .isInstanceOf(FloeException.class)
        .hasMessageContaining("schema changed while this batch evolved it");

    assertThat(schema("raw.racing").getFieldNames()).containsExactly("n", "m");
    assertThat(KernelReader.read(location("raw.racing")))
        .extracting(r -> r.get("m"))
        .containsExactlyInAnyOrder(null, 2, 3);
  }

  private StructType schema() {
    return schema("raw.evolving");
  }

  private StructType schema(String table) {
    return DeltaFixtures.log(warehouse, table).update().getMetadata().getSchema();
  }

  private Path location(String table) {
    return DeltaTableSink.location(warehouse.toString(), TableId.parse(table));
  }
}
