package dev.floe.sinks.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

class HiveColumnsTest {
  @Test
  void nestedIcebergTypesBecomeHiveTypeStrings() {
    Schema schema =
        new Schema(
            Types.NestedField.required(1, "id", Types.LongType.get()),
            Types.NestedField.optional(2, "amount", Types.DecimalType.of(12, 2)),
            Types.NestedField.optional(3, "at", Types.TimestampType.withZone()),
            Types.NestedField.optional(4, "uid", Types.UUIDType.get()),
            Types.NestedField.optional(
                5,
                "lines",
                Types.ListType.ofOptional(
                    6,
                    Types.StructType.of(
                        Types.NestedField.optional(7, "sku", Types.StringType.get()),
                        Types.NestedField.optional(8, "qty", Types.IntegerType.get())))),
            Types.NestedField.optional(
                9,
                "attrs",
                Types.MapType.ofOptional(10, 11, Types.StringType.get(), Types.DoubleType.get())));

    assertThat(HiveColumns.of(schema))
        .extracting(c -> c.name() + " " + c.type())
        .containsExactly(
            "id bigint",
            "amount decimal(12,2)",
            "at timestamp",
            "uid string",
            "lines array<struct<sku:string,qty:int>>",
            "attrs map<string,double>");
  }
}
