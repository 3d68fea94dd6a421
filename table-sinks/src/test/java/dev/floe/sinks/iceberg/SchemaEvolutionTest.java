package dev.floe.sinks.iceberg;

import static dev.floe.sinks.TableSpecs.evolving;
import static dev.floe.sinks.iceberg.Fixtures.GROUP;
import static dev.floe.sinks.iceberg.Fixtures.offsets;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.core.FloeException;
import dev.floe.core.PartitionOffsets;
import dev.floe.core.SchemaChangeException;
import dev.floe.core.config.TableMapping;
import dev.floe.core.row.Field;
import dev.floe.core.row.Row;
import dev.floe.core.row.Type;
import dev.floe.core.sink.TableSpec;
import dev.floe.core.sink.WriteBatch;
import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

/**
 * A table follows its source schema: new fields, nested ones too, become columns; narrow types are
 * widened; dropped or optional fields make columns optional; all in the commit that first writes
 * such rows. Read back with Iceberg's generic reader.
 */
class SchemaEvolutionTest extends IcebergSinkPerTest {
  static final Type.Struct POINT =
      new Type.Struct(List.of(Field.required("x", Type.Primitive.INT)));
  static final Type.Struct V1 =
      new Type.Struct(
          List.of(
              Field.required("id", Type.Primitive.LONG),
              Field.required("name", Type.Primitive.STRING),
              Field.optional("n", Type.Primitive.INT),
              Field.optional("price", new Type.Decimal(5, 2)),
              Field.optional("points", new Type.ListType(POINT, false))));
  static final Type.Struct POINT2 =
      new Type.Struct(
          List.of(
              Field.required("x", Type.Primitive.INT), Field.optional("y", Type.Primitive.INT)));
  static final Type.Struct
      V2 = // + score and ctx.os, nested point.y; n and price widened; name gone
      new Type.Struct(
              List.of(
                  Field.required("id", Type.Primitive.LONG),
                  Field.optional("n", Type.Primitive.LONG),
                  Field.optional("price", new Type.Decimal(12, 2)),
                  Field.optional("points", new Type.ListType(POINT2, false)),
                  Field.optional("score", Type.Primitive.DOUBLE),
                  Field.optional(
                      "ctx",
                      new Type.Struct(List.of(Field.optional("os", Type.Primitive.STRING))))));

  @Test
  void newerRowsEvolveTheTableInTheCommitThatWritesThemAndOlderRowsStillFit() {
    WriteBatch first = sink.newBatch(Fixtures.spec("raw.evolving"));
    first.source("schema id 1");
    first.write(V1, Row.wrap(1L, "ann", 7, new BigDecimal("1.50"), List.of(Row.wrap(1))));
    first.commit(GROUP, PartitionOffsets.empty(), offsets("evolving", 0, 1));
    Table table = Fixtures.load(warehouse, "raw.evolving");
    int metadataFiles = metadataFiles(table);
    assertThat(table.properties())
        .containsEntry(SchemaChangeException.TABLE_SOURCE_PROPERTY, "schema id 1");

    WriteBatch second = sink.newBatch(Fixtures.spec("raw.evolving"));
    second.source("schema id 2");
    second.write(
        V2,
        Row.wrap(
            2L,
            5_000_000_000L,
            new BigDecimal("1234567.89"),
            List.of(Row.wrap(2, 3)),
            0.5,
            Row.wrap("linux")));
    second.source("schema id 1");
    second.write(V1, Row.wrap(3L, "cy", 9, new BigDecimal("2.25"), List.of())); // late producer
    table.refresh();
    assertThat(table.schema().findField("score")).as("not before the commit").isNull();
    var result = second.commit(GROUP, offsets("evolving", 0, 1), offsets("evolving", 0, 3));

    table.refresh();
    assertThat(result.version()).isEqualTo(table.currentSnapshot().snapshotId());
    assertThat(table.properties())
        .as("the schema that evolved the table, not the late producer's")
        .containsEntry(SchemaChangeException.TABLE_SOURCE_PROPERTY, "schema id 2");
    assertThat(metadataFiles(table))
        .as("schema and data in one commit")
        .isEqualTo(metadataFiles + 1);
    assertThat(table.schema().findType("n")).isEqualTo(Types.LongType.get());
    assertThat(table.schema().findType("price")).isEqualTo(Types.DecimalType.of(12, 2));
    assertThat(table.schema().findField("name").isOptional()).isTrue();
    assertThat(table.schema().findField("points.element.y")).isNotNull();
    assertThat(table.schema().findType("ctx.os")).isEqualTo(Types.StringType.get());

    List<Record> rows = Fixtures.read(table);
    rows.sort(Comparator.comparing(r -> (Long) r.getField("id")));
    assertThat(rows.get(0).getField("n")).isEqualTo(7L); // written as int, read as long
    assertThat(rows.get(0).getField("score")).isNull();
    assertThat(rows.get(1).getField("name")).isNull();
    assertThat(rows.get(1).getField("n")).isEqualTo(5_000_000_000L);
    assertThat(rows.get(1).getField("price")).isEqualTo(new BigDecimal("1234567.89"));
    assertThat(((Record) ((List<?>) rows.get(1).getField("points")).get(0)).getField("y"))
        .isEqualTo(3);
    assertThat(((Record) rows.get(1).getField("ctx")).getField("os")).isEqualTo("linux");
    assertThat(rows.get(2).getField("name")).isEqualTo("cy");
    assertThat(rows.get(2).getField("n")).isEqualTo(9L);
  }

  @Test
  void aTypeChangeThatIsNoPromotionIsAnErrorNamingTheColumnAndBothTypes() {
    WriteBatch first = sink.newBatch(Fixtures.spec("raw.fixed"));
    first.source("schema id 41");
    first.write(V1, Row.wrap(1L, "ann", 7, null, List.of()));
    first.commit(GROUP, PartitionOffsets.empty(), offsets("fixed", 0, 1));
    Type.Struct changed =
        new Type.Struct(
            List.of(
                Field.required("id", Type.Primitive.LONG),
                Field.required("name", Type.Primitive.LONG)));

    WriteBatch second = sink.newBatch(Fixtures.spec("raw.fixed"));
    second.source("schema id 42");
    assertThatThrownBy(() -> second.write(changed, Row.wrap(2L, 5L)))
        .isInstanceOf(FloeException.class)
        .hasMessageContaining("column 'name' has type string but the rows' field has type LONG")
        .hasMessageContaining("the table's columns were last set by rows of schema id 41");
    second.abort();
  }

  @Test
  void theMappingsLevelBoundsWhatChanges() {
    Type.Struct v1 = new Type.Struct(List.of(Field.required("n", Type.Primitive.INT)));
    Type.Struct added =
        new Type.Struct(
            List.of(
                Field.required("n", Type.Primitive.INT), Field.optional("m", Type.Primitive.INT)));
    Type.Struct widened = new Type.Struct(List.of(Field.required("n", Type.Primitive.LONG)));
    for (TableMapping.SchemaEvolution level : TableMapping.SchemaEvolution.values()) {
      TableSpec spec = evolving("raw.level_" + level.name().toLowerCase(), level);
      WriteBatch first = sink.newBatch(spec);
      first.write(v1, Row.wrap(1));
      first.commit(GROUP, PartitionOffsets.empty(), offsets("l", 0, 1));

      WriteBatch add = sink.newBatch(spec);
      if (level == TableMapping.SchemaEvolution.NONE) {
        assertThatThrownBy(() -> add.write(added, Row.wrap(2, 3)))
            .isInstanceOf(SchemaChangeException.class)
            .hasMessageContaining("would need to add column m int")
            .hasMessageContaining("schema-evolution: none does not allow")
            .hasMessageContaining("set the mapping's schema-evolution to additive");
        add.abort();
        continue;
      }
      add.write(added, Row.wrap(2, 3));
      add.commit(GROUP, offsets("l", 0, 1), offsets("l", 0, 2));

      WriteBatch widen = sink.newBatch(spec);
      if (level == TableMapping.SchemaEvolution.ADDITIVE) {
        assertThatThrownBy(() -> widen.write(widened, Row.wrap(4L)))
            .isInstanceOf(SchemaChangeException.class)
            .hasMessageContaining("widen column n from int to long");
        widen.abort();
        continue;
      }
      widen.write(widened, Row.wrap(4L));
      widen.commit(GROUP, offsets("l", 0, 2), offsets("l", 0, 3));
      assertThat(Fixtures.read(Fixtures.load(warehouse, "raw.level_full")))
          .extracting(r -> r.getField("n"))
          .containsExactlyInAnyOrder(1L, 2L, 4L);
    }
  }

  private static int metadataFiles(Table table) {
    return ((HasTableOperations) table).operations().current().previousFiles().size();
  }
}
