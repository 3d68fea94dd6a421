package dev.floe.sinks.delta;

import static dev.floe.sinks.delta.DeltaFixtures.GROUP;
import static dev.floe.sinks.delta.DeltaFixtures.offsets;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.floe.core.FloeException;
import dev.floe.core.PartitionOffsets;
import dev.floe.core.row.Field;
import dev.floe.core.row.Row;
import dev.floe.core.row.Type;
import dev.floe.core.sink.CommitResult;
import dev.floe.core.sink.TableSpec;
import dev.floe.core.sink.WriteBatch;
import dev.floe.sinks.iceberg.IcebergTestRows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What engines other than Floe rely on: protocol, schema, statistics, partition layout. */
class DeltaTableLayoutTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static final Type.Struct ORDER =
      new Type.Struct(
          List.of(
              Field.required("order_id", Type.Primitive.LONG),
              Field.required("order_ts", Type.Primitive.TIMESTAMPTZ),
              Field.optional("country", Type.Primitive.STRING),
              Field.optional(
                  "ctx", new Type.Struct(List.of(Field.optional("os", Type.Primitive.STRING))))));

  static final long MAY_17_2024 = 1_715_904_000_000_000L; // 2024-05-17T00:00:00Z in micros

  @TempDir Path warehouse;

  @Test
  void tablesUseProtocolOneTwoAndCheckpointEveryTenCommitsByDefault() {
    commitAllTypes(10);

    List<JsonNode> create = DeltaLogFiles.actions(warehouse, "raw.all_types", 0);
    JsonNode protocol = find(create, "protocol");
    assertThat(protocol.get("minReaderVersion").asInt()).isEqualTo(1);
    assertThat(protocol.get("minWriterVersion").asInt()).isEqualTo(2);
    JsonNode meta = find(create, "metaData");
    assertThat(meta.get("configuration").get("delta.checkpointInterval").asText()).isEqualTo("10");
    assertThat(meta.get("format").get("provider").asText()).isEqualTo("parquet");
    String schema = meta.get("schemaString").asText();
    assertThat(schema)
        .contains("{\"name\":\"tm\",\"type\":\"string\"")
        .contains("{\"name\":\"u\",\"type\":\"string\"")
        .contains("{\"name\":\"fx\",\"type\":\"binary\"")
        .contains("{\"name\":\"ts\",\"type\":\"timestamp\"")
        .contains("{\"name\":\"big\",\"type\":\"decimal(38,6)\"");
  }

  @Test
  void everyAddCarriesRecordCountMinMaxAndNullCountsAsAJsonString() throws Exception {
    CommitResult result = commitAllTypes(10);

    JsonNode add =
        DeltaLogFiles.adds(DeltaLogFiles.actions(warehouse, "raw.all_types", result.version()))
            .get(0);
    assertThat(add.get("stats").isTextual())
        .as("stats are a JSON string, as the protocol says")
        .isTrue();
    JsonNode stats = JSON.readTree(add.get("stats").asText());
    assertThat(stats.get("numRecords").asLong()).isEqualTo(10);
    JsonNode min = stats.get("minValues");
    JsonNode max = stats.get("maxValues");
    JsonNode nulls = stats.get("nullCount");
    // rows 0..8 have values, row 9 is all nulls (see IcebergTestRows)
    assertThat(min.get("req_id").asLong()).isZero();
    assertThat(max.get("req_id").asLong()).isEqualTo(9);
    assertThat(min.get("i").asInt()).isZero();
    assertThat(max.get("i").asInt()).isEqualTo(8);
    assertThat(nulls.get("i").asLong()).isEqualTo(1);
    assertThat(min.get("s").asText()).isEqualTo("row-0");
    assertThat(max.get("s").asText()).isEqualTo("row-8");
    assertThat(min.get("dt").asText()).isEqualTo(LocalDate.ofEpochDay(19_000).toString());
    assertThat(min.get("tm").asText()).isEqualTo("01:00:00.000000");
    // 1_700_000_000_000_000 + id micros: min rounds down, max (…_008 µs) rounds up to the next ms
    assertThat(min.get("ts").asText()).isEqualTo("2023-11-14T22:13:20.000Z");
    assertThat(max.get("ts").asText()).isEqualTo("2023-11-14T22:13:20.001Z");
    assertThat(min.get("dec").decimalValue()).isEqualByComparingTo("0.25");
    assertThat(min.get("ctx").get("os").asText()).isEqualTo("linux");
    assertThat(nulls.get("ctx").get("os").asLong()).isEqualTo(1);
    assertThat(min.has("b")).as("no bounds on booleans").isFalse();
    assertThat(min.has("bin")).as("no bounds on binary").isFalse();
    assertThat(min.has("tags")).as("no bounds inside arrays").isFalse();
  }

  @Test
  void derivedAndIdentityPartitionColumnsLiveInTheLogAndDirectoriesNotInTheFiles()
      throws Exception {
    DeltaTableSink sink = new DeltaTableSink(warehouse.toString());
    WriteBatch batch =
        sink.newBatch(
            DeltaFixtures.spec("sales.orders", "day(order_ts)", "country", "bucket[4](order_id)"));
    List<Row> rows = new ArrayList<>();
    for (long id = 0; id < 12; id++) {
      Row row =
          Row.wrap(
              id,
              MAY_17_2024 + id * 6 * 3_600_000_000L, // every 6 hours: 3 days
              id % 4 == 3 ? null : (id % 2 == 0 ? "DE" : "FR/BE"),
              Row.wrap("os-" + id));
      rows.add(row);
      batch.write(ORDER, row);
    }
    batch.commit(GROUP, PartitionOffsets.empty(), offsets("orders", 0, 12));

    List<JsonNode> create = DeltaLogFiles.actions(warehouse, "sales.orders", 0);
    JsonNode meta = find(create, "metaData");
    assertThat(meta.get("partitionColumns").toString())
        .isEqualTo("[\"order_ts_day\",\"country\",\"order_id_bucket\"]");
    assertThat(meta.get("schemaString").asText())
        .contains("{\"name\":\"order_ts_day\",\"type\":\"date\",\"nullable\":true")
        .contains("{\"name\":\"order_id_bucket\",\"type\":\"integer\",\"nullable\":true");

    List<JsonNode> adds = DeltaLogFiles.adds(DeltaLogFiles.actions(warehouse, "sales.orders", 1));
    for (JsonNode add : adds) {
      JsonNode values = add.get("partitionValues");
      String country = values.get("country").isNull() ? null : values.get("country").asText();
      String expectedDir =
          "order_ts_day="
              + values.get("order_ts_day").asText()
              + "/country="
              + (country == null ? "__HIVE_DEFAULT_PARTITION__" : country.replace("/", "%2F"))
              + "/order_id_bucket="
              + values.get("order_id_bucket").asText()
              + "/";
      // the log's path is URI-encoded: the directory's '%' is "%25" there
      assertThat(java.net.URI.create(add.get("path").asText()).getPath()).startsWith(expectedDir);
      Path file =
          DeltaTableSink.location(warehouse.toString(), dev.floe.core.TableId.parse("sales.orders"))
              .resolve(java.net.URI.create(add.get("path").asText()).getPath());
      try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
        ParquetMetadata footer = reader.getFooter();
        assertThat(footer.getFileMetaData().getSchema().getFields())
            .extracting(org.apache.parquet.schema.Type::getName)
            .containsExactly("order_id", "order_ts", "ctx");
      }
    }

    // delta-standalone's own reader puts the partition values back into the rows
    List<Map<String, Object>> read =
        DeltaFixtures.openWithStandalone(
            warehouse,
            "sales.orders",
            "order_id",
            "country",
            "ctx",
            "order_ts_day",
            "order_id_bucket");
    List<Map<String, Object>> full = DeltaFixtures.read(warehouse, "sales.orders");
    full.sort(Comparator.comparing(r -> (Long) r.get("order_id")));
    read.sort(Comparator.comparing(r -> (Long) r.get("order_id")));
    assertThat(read).hasSize(12);
    for (int i = 0; i < 12; i++) {
      Row row = rows.get(i);
      Map<String, Object> r = read.get(i);
      assertThat(full.get(i).get("order_ts")).isEqualTo(row.get(1));
      assertThat(full.get(i).get("order_ts_day")).isEqualTo(r.get("order_ts_day"));
      assertThat(r.get("country")).isEqualTo(row.get(2));
      assertThat(r.get("ctx")).isEqualTo(List.of("os-" + i));
      assertThat(r.get("order_ts_day"))
          .isEqualTo(LocalDate.ofEpochDay(Math.floorDiv((Long) row.get(1), 86_400_000_000L)));
      assertThat(r.get("order_id_bucket"))
          .isEqualTo(
              org.apache.iceberg.transforms.Transforms.bucket(4)
                  .bind(org.apache.iceberg.types.Types.LongType.get())
                  .apply(row.get(0)));
    }
  }

  @Test
  void partitionEntriesDeltaCannotHoldAreRefusedWithTheFix() {
    DeltaTableSink sink = new DeltaTableSink(warehouse.toString());
    WriteBatch byTimestamp = sink.newBatch(DeltaFixtures.spec("sales.orders", "order_ts"));
    assertThatThrownBy(() -> byTimestamp.write(ORDER, Row.wrap(1L, MAY_17_2024, "DE", null)))
        .isInstanceOf(FloeException.class)
        .hasMessageContaining("cannot apply identity to column 'order_ts'")
        .hasMessageContaining("day(col) or hour(col)");

    WriteBatch missing = sink.newBatch(DeltaFixtures.spec("sales.orders", "day(created)"));
    assertThatThrownBy(() -> missing.write(ORDER, Row.wrap(1L, MAY_17_2024, "DE", null)))
        .isInstanceOf(FloeException.class)
        .hasMessageContaining("names column 'created'");
    assertThat(DeltaFixtures.log(warehouse, "sales.orders").tableExists()).isFalse();
  }

  @Test
  void aRowWithAFieldTheMappingMayNotAddIsASchemaChangeAndTheBatchGoesOn() {
    DeltaTableSink sink = new DeltaTableSink(warehouse.toString());
    WriteBatch batch =
        sink.newBatch(
            new TableSpec(
                dev.floe.core.TableId.parse("sales.orders"),
                "local",
                List.of(),
                128L << 20,
                Map.of(),
                List.of(),
                dev.floe.core.config.TableMapping.SchemaEvolution.NONE));
    batch.write(ORDER, Row.wrap(1L, MAY_17_2024, "DE", null));
    List<Field> wider = new ArrayList<>(ORDER.fields());
    wider.add(Field.optional("coupon", Type.Primitive.STRING));

    assertThatThrownBy(
            () -> batch.write(new Type.Struct(wider), Row.wrap(2L, MAY_17_2024, "DE", null, "X")))
        .isInstanceOf(dev.floe.core.SchemaChangeException.class)
        .hasMessageContaining("would need to add column coupon string")
        .hasMessageContaining("schema-evolution: none does not allow");
    assertThat(batch.usable()).as("nothing was half-written").isTrue();
    batch.write(ORDER, Row.wrap(3L, MAY_17_2024, "FR", null));
    batch.commit(GROUP, PartitionOffsets.empty(), offsets("orders", 0, 3));

    assertThat(DeltaFixtures.read(warehouse, "sales.orders"))
        .extracting(r -> r.get("order_id"))
        .containsExactlyInAnyOrder(1L, 3L);
  }

  @Test
  void keyedTablesNeedTheirKeyColumnsInTheDataFilesNotAsIdentityPartitions() {
    DeltaTableSink sink = new DeltaTableSink(warehouse.toString());
    TableSpec keyed =
        new TableSpec(
            dev.floe.core.TableId.parse("sales.orders"),
            "local",
            List.of(dev.floe.core.config.PartitionField.parse("order_id")),
            128L << 20,
            Map.of(),
            List.of("order_id"),
            dev.floe.core.config.TableMapping.SchemaEvolution.FULL);
    WriteBatch batch = sink.newBatch(keyed);
    assertThatThrownBy(() -> batch.write(ORDER, Row.wrap(1L, MAY_17_2024, "DE", null)))
        .isInstanceOf(FloeException.class)
        .hasMessageContaining("no column 'order_id' in its data files")
        .hasMessageContaining("bucket[16](order_id)");
  }

  @Test
  void aMappingWhosePartitioningDiffersFromTheTablesIsRefused() {
    DeltaTableSink sink = new DeltaTableSink(warehouse.toString());
    WriteBatch first = sink.newBatch(DeltaFixtures.spec("sales.orders", "country"));
    first.write(ORDER, Row.wrap(1L, MAY_17_2024, "DE", null));
    first.commit(GROUP, PartitionOffsets.empty(), offsets("orders", 0, 1));

    WriteBatch changed = sink.newBatch(DeltaFixtures.spec("sales.orders", "day(order_ts)"));
    assertThatThrownBy(() -> changed.write(ORDER, Row.wrap(2L, MAY_17_2024, "DE", null)))
        .isInstanceOf(FloeException.class)
        .hasMessageContaining("is partitioned by [country]")
        .hasMessageContaining("[order_ts_day]");
  }

  private CommitResult commitAllTypes(int n) {
    DeltaTableSink sink = new DeltaTableSink(warehouse.toString());
    WriteBatch batch = sink.newBatch(DeltaFixtures.spec("raw.all_types"));
    for (long id = 0; id < n; id++) {
      batch.write(
          IcebergTestRows.ALL_TYPES,
          id % 10 == 9 ? IcebergTestRows.nullsRow(id) : IcebergTestRows.allTypesRow(id));
    }
    return batch.commit(GROUP, PartitionOffsets.empty(), offsets("events", 0, n));
  }

  private static JsonNode find(List<JsonNode> actions, String kind) {
    return actions.stream().filter(a -> a.has(kind)).findFirst().orElseThrow().get(kind);
  }

  static List<Path> files(Path dir) throws Exception {
    try (var s = Files.walk(dir)) {
      return s.toList();
    }
  }
}
