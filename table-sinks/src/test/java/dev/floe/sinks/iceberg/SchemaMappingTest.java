package dev.floe.sinks.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.core.row.Field;
import dev.floe.core.row.Type;
import java.util.List;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.types.Types.NestedField;
import org.junit.jupiter.api.Test;

class SchemaMappingTest {

  @Test
  void everyTypeMapsToItsIcebergType() {
    Schema schema = SchemaMapping.toSchema(Fixtures.ALL_TYPES);

    assertThat(schema.findType("req_id")).isEqualTo(Types.LongType.get());
    assertThat(schema.findType("b")).isEqualTo(Types.BooleanType.get());
    assertThat(schema.findType("i")).isEqualTo(Types.IntegerType.get());
    assertThat(schema.findType("f")).isEqualTo(Types.FloatType.get());
    assertThat(schema.findType("d")).isEqualTo(Types.DoubleType.get());
    assertThat(schema.findType("s")).isEqualTo(Types.StringType.get());
    assertThat(schema.findType("bin")).isEqualTo(Types.BinaryType.get());
    assertThat(schema.findType("dt")).isEqualTo(Types.DateType.get());
    assertThat(schema.findType("tm")).isEqualTo(Types.TimeType.get());
    assertThat(schema.findType("ts")).isEqualTo(Types.TimestampType.withoutZone());
    assertThat(schema.findType("tstz")).isEqualTo(Types.TimestampType.withZone());
    assertThat(schema.findType("u")).isEqualTo(Types.UUIDType.get());
    assertThat(schema.findType("dec")).isEqualTo(Types.DecimalType.of(10, 2));
    assertThat(schema.findType("big")).isEqualTo(Types.DecimalType.of(38, 6));
    assertThat(schema.findType("fx")).isEqualTo(Types.FixedType.ofLength(4));
  }

  @Test
  void nestedStructsListsAndMapsKeepTheirShapeAndOptionality() {
    Schema schema = SchemaMapping.toSchema(Fixtures.ALL_TYPES);

    Types.StructType ctx = schema.findType("ctx").asStructType();
    assertThat(ctx.field("os").isRequired()).isTrue();
    assertThat(ctx.field("version").type()).isEqualTo(Types.IntegerType.get());
    Types.ListType tags = schema.findType("tags").asListType();
    assertThat(tags.elementType()).isEqualTo(Types.StringType.get());
    assertThat(tags.isElementOptional()).isTrue();
    Types.MapType attrs = schema.findType("attrs").asMapType();
    assertThat(attrs.keyType()).isEqualTo(Types.StringType.get());
    assertThat(attrs.valueType()).isEqualTo(Types.LongType.get());
    Types.ListType points = schema.findType("points").asListType();
    assertThat(points.isElementRequired()).isTrue();
    assertThat(points.elementType().asStructType().field("x").isRequired()).isTrue();
    assertThat(schema.findType("by_name").asMapType().valueType().asStructType().field("n").type())
        .isEqualTo(Types.IntegerType.get());
  }

  @Test
  void requiredOptionalAndDocsCarryOver() {
    Schema schema = SchemaMapping.toSchema(Fixtures.ALL_TYPES);

    assertThat(schema.findField("req_id").isRequired()).isTrue();
    assertThat(schema.findField("b").isOptional()).isTrue();
    assertThat(schema.findField("s").doc()).isEqualTo("a string with a doc");
  }

  @Test
  void idsAreFreshAndTopLevelFieldsComeFirst() {
    Type.Struct struct =
        new Type.Struct(
            List.of(
                Field.required(
                    "a", new Type.Struct(List.of(Field.optional("x", Type.Primitive.INT)))),
                Field.optional(
                    "m", new Type.MapType(Type.Primitive.STRING, Type.Primitive.INT, true)),
                Field.optional("l", new Type.ListType(Type.Primitive.LONG, false))));

    Schema schema = SchemaMapping.toSchema(struct);

    assertThat(schema.asStruct())
        .isEqualTo(
            Types.StructType.of(
                NestedField.required(
                    1,
                    "a",
                    Types.StructType.of(NestedField.optional(4, "x", Types.IntegerType.get()))),
                NestedField.optional(
                    2,
                    "m",
                    Types.MapType.ofOptional(
                        5, 6, Types.StringType.get(), Types.IntegerType.get())),
                NestedField.optional(3, "l", Types.ListType.ofRequired(7, Types.LongType.get()))));
  }
}
