package dev.floe.sinks.delta;

import static dev.floe.sinks.delta.DeltaFixtures.GROUP;
import static dev.floe.sinks.delta.DeltaFixtures.offsets;
import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.core.PartitionOffsets;
import dev.floe.core.row.Row;
import dev.floe.core.sink.CommitResult;
import dev.floe.core.sink.WriteBatch;
import dev.floe.sinks.iceberg.IcebergTestRows;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeltaRoundTripTest {
  @TempDir Path warehouse;

  @Test
  void rowsOfEveryTypeReadBackAsDeltaRepresentsThem() {
    DeltaTableSink sink = new DeltaTableSink(warehouse.toString());
    WriteBatch batch = sink.newBatch(DeltaFixtures.spec("raw.all_types"));
    for (long id = 0; id < 100; id++) {
      batch.write(IcebergTestRows.ALL_TYPES, row(id));
    }

    CommitResult result = batch.commit(GROUP, PartitionOffsets.empty(), offsets("events", 0, 100));

    assertThat(result.records()).isEqualTo(100);
    assertThat(result.dataFiles()).isEqualTo(1);
    List<Map<String, Object>> rows = DeltaFixtures.read(warehouse, "raw.all_types");
    rows.sort(Comparator.comparing(r -> (Long) r.get("req_id")));
    assertThat(rows).hasSize(100);
    for (int id = 0; id < 100; id++) {
      assertThat(rows.get(id))
          .isEqualTo(DeltaFixtures.expectedRow(IcebergTestRows.ALL_TYPES, row(id)));
    }
  }

  @Test
  void deltaKernelReadsEveryTypeBackAsWritten() {
    DeltaTableSink sink = new DeltaTableSink(warehouse.toString());
    WriteBatch batch = sink.newBatch(DeltaFixtures.spec("raw.all_types", "day(tstz)", "i"));
    for (long id = 0; id < 50; id++) {
      batch.write(IcebergTestRows.ALL_TYPES, row(id));
    }
    batch.commit(GROUP, PartitionOffsets.empty(), offsets("events", 0, 50));

    List<Map<String, Object>> rows =
        KernelReader.read(
            DeltaTableSink.location(
                warehouse.toString(), dev.floe.core.TableId.parse("raw.all_types")));
    rows.sort(Comparator.comparing(r -> (Long) r.get("req_id")));
    assertThat(rows).hasSize(50);
    for (int id = 0; id < 50; id++) {
      Map<String, Object> expected =
          new java.util.LinkedHashMap<>(
              DeltaFixtures.expectedRow(IcebergTestRows.ALL_TYPES, row(id)));
      Long tstz = (Long) row(id).get(10);
      expected.put(
          "tstz_day",
          tstz == null
              ? null
              : java.time.LocalDate.ofEpochDay(Math.floorDiv(tstz, 86_400_000_000L)));
      assertThat(rows.get(id)).isEqualTo(expected);
    }
  }

  @Test
  void unsignedSixtyFourBitValuesKeepEveryDigitAsDecimal20() {
    // uint64 / fixed64 reach the row model as decimal(20,0) (docs/type-mapping.md)
    dev.floe.core.row.Type.Struct schema =
        new dev.floe.core.row.Type.Struct(
            List.of(
                dev.floe.core.row.Field.required("id", dev.floe.core.row.Type.Primitive.LONG),
                dev.floe.core.row.Field.optional(
                    "u64", new dev.floe.core.row.Type.Decimal(20, 0))));
    List<java.math.BigDecimal> values =
        List.of(
            new java.math.BigDecimal("18446744073709551615"),
            new java.math.BigDecimal("9223372036854775808"),
            java.math.BigDecimal.ZERO);
    DeltaTableSink sink = new DeltaTableSink(warehouse.toString());
    WriteBatch batch = sink.newBatch(DeltaFixtures.spec("raw.unsigned"));
    for (int i = 0; i < values.size(); i++) {
      batch.write(schema, Row.wrap((long) i, values.get(i)));
    }
    batch.commit(GROUP, PartitionOffsets.empty(), offsets("events", 0, values.size()));

    List<Map<String, Object>> rows = DeltaFixtures.read(warehouse, "raw.unsigned");
    rows.sort(Comparator.comparing(r -> (Long) r.get("id")));
    assertThat(rows).extracting(r -> r.get("u64")).containsExactlyElementsOf(values);
    assertThat(
            DeltaFixtures.log(warehouse, "raw.unsigned")
                .snapshot()
                .getMetadata()
                .getSchema()
                .get("u64")
                .getDataType())
        .isEqualTo(new io.delta.standalone.types.DecimalType(20, 0));
  }

  private static Row row(long id) {
    return id % 10 == 9 ? IcebergTestRows.nullsRow(id) : IcebergTestRows.allTypesRow(id);
  }
}
