package dev.floe.sinks.iceberg;

import static dev.floe.sinks.iceberg.Fixtures.ALL_TYPES;
import static dev.floe.sinks.iceberg.Fixtures.GROUP;
import static dev.floe.sinks.iceberg.Fixtures.offsets;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.core.FloeException;
import dev.floe.core.PartitionOffsets;
import dev.floe.core.row.Field;
import dev.floe.core.row.Row;
import dev.floe.core.row.Type;
import dev.floe.core.sink.CommitResult;
import dev.floe.core.sink.TableSpec;
import dev.floe.core.sink.WriteBatch;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.junit.jupiter.api.Test;

class RoundTripTest extends IcebergSinkPerTest {

  @Test
  void rowsOfEveryTypeReadBackUnchanged() {
    WriteBatch batch = sink.newBatch(Fixtures.spec("raw.all_types"));
    for (long id = 0; id < 100; id++) {
      batch.write(ALL_TYPES, id % 10 == 9 ? Fixtures.nullsRow(id) : Fixtures.allTypesRow(id));
    }

    CommitResult result = batch.commit(GROUP, PartitionOffsets.empty(), offsets("events", 0, 100));

    assertThat(result.records()).isEqualTo(100);
    assertThat(result.dataFiles()).isEqualTo(1);
    Table table = Fixtures.load(warehouse, "raw.all_types");
    assertThat(result.version()).isEqualTo(table.currentSnapshot().snapshotId());
    List<Record> records = Fixtures.read(table);
    records.sort(Comparator.comparing(r -> (Long) r.getField("req_id")));
    assertThat(records).hasSize(100);
    for (int id = 0; id < 100; id++) {
      Row expected = id % 10 == 9 ? Fixtures.nullsRow(id) : Fixtures.allTypesRow(id);
      Fixtures.assertSameRow(ALL_TYPES, expected, records.get(id));
    }
  }

  @Test
  void tablesAreFormatV2WithZstdParquetThatCarriesFieldIdsMicrosAndStatistics() throws Exception {
    WriteBatch batch = sink.newBatch(Fixtures.spec("raw.all_types"));
    for (long id = 0; id < 10; id++) {
      batch.write(ALL_TYPES, Fixtures.allTypesRow(id));
    }
    batch.commit(GROUP, PartitionOffsets.empty(), offsets("events", 0, 10));

    Table table = Fixtures.load(warehouse, "raw.all_types");
    assertThat(
            ((org.apache.iceberg.HasTableOperations) table).operations().current().formatVersion())
        .isEqualTo(2);
    assertThat(table.properties()).containsEntry("write.parquet.compression-codec", "zstd");
    DataFile file = dataFiles(table).get(0);
    assertThat(file.lowerBounds()).containsKey(table.schema().findField("req_id").fieldId());
    assertThat(file.upperBounds()).containsKey(table.schema().findField("ctx.os").fieldId());
    assertThat(file.nullValueCounts()).containsEntry(table.schema().findField("s").fieldId(), 0L);

    try (ParquetFileReader reader =
        ParquetFileReader.open(new LocalInputFile(Path.of(file.location())))) {
      ParquetMetadata footer = reader.getFooter();
      PrimitiveType ts = footer.getFileMetaData().getSchema().getType("tstz").asPrimitiveType();
      assertThat(ts.getPrimitiveTypeName()).isEqualTo(PrimitiveType.PrimitiveTypeName.INT64);
      assertThat(ts.getLogicalTypeAnnotation())
          .isEqualTo(
              LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS));
      assertThat(ts.getId().intValue()).isEqualTo(table.schema().findField("tstz").fieldId());
      ColumnChunkMetaData first = footer.getBlocks().get(0).getColumns().get(0);
      assertThat(first.getCodec()).isEqualTo(CompressionCodecName.ZSTD);
      assertThat(first.getStatistics().hasNonNullValue()).isTrue();
    }
  }

  @Test
  void rowsOfAnotherSchemaAreMappedByNameAndMissingOptionalColumnsAreNull() {
    Type.Struct v1 =
        new Type.Struct(
            List.of(
                Field.required("id", Type.Primitive.LONG),
                Field.optional("name", Type.Primitive.STRING),
                Field.optional("score", Type.Primitive.DOUBLE)));
    Type.Struct reordered =
        new Type.Struct(
            List.of(
                Field.optional("score", Type.Primitive.DOUBLE),
                Field.required("id", Type.Primitive.LONG)));
    WriteBatch batch = sink.newBatch(Fixtures.spec("raw.people"));
    batch.write(v1, Row.wrap(1L, "ann", 1.5));
    batch.write(reordered, Row.wrap(2.5, 2L));
    batch.write(v1, Row.wrap(3L, "cy", null));
    batch.commit(GROUP, PartitionOffsets.empty(), offsets("people", 0, 3));

    assertThat(
            byId(
                Fixtures.load(warehouse, "raw.people"),
                r -> Arrays.asList(r.getField("name"), r.getField("score"))))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                1L,
                Arrays.asList("ann", 1.5),
                2L,
                Arrays.asList(null, 2.5),
                3L,
                Arrays.asList("cy", null)));
  }

  @Test
  void aRenamedProtobufFieldKeepsItsColumnByFieldNumber() {
    Type.Struct v1 =
        new Type.Struct(
            List.of(
                new Field("id", Type.Primitive.LONG, false, null, 1),
                new Field("name", Type.Primitive.STRING, true, null, 2),
                new Field(
                    "address",
                    new Type.Struct(
                        List.of(new Field("town", Type.Primitive.STRING, true, null, 1))),
                    true,
                    null,
                    3)));
    Type.Struct v2 = // name → full_name and address.town → address.city, numbers kept
        new Type.Struct(
            List.of(
                new Field("id", Type.Primitive.LONG, false, null, 1),
                new Field("full_name", Type.Primitive.STRING, true, null, 2),
                new Field(
                    "address",
                    new Type.Struct(
                        List.of(new Field("city", Type.Primitive.STRING, true, null, 1))),
                    true,
                    null,
                    3)));
    WriteBatch batch = sink.newBatch(Fixtures.spec("raw.renamed"));
    batch.write(v1, Row.wrap(1L, "ann", Row.wrap("oslo")));
    batch.write(v2, Row.wrap(2L, "bo", Row.wrap("rome")));
    batch.write(v1, Row.wrap(3L, "cy", Row.wrap("lima"))); // a late producer of v1: same column
    batch.commit(GROUP, PartitionOffsets.empty(), offsets("renamed", 0, 3));

    Table table = Fixtures.load(warehouse, "raw.renamed");
    assertThat(table.schema().columns())
        .extracting(org.apache.iceberg.types.Types.NestedField::name)
        .containsExactly("id", "name", "address");
    assertThat(table.properties()).containsEntry(SourceIds.PROPERTY, "1:1,2:2,3:3,4:1");
    assertThat(
            byId(
                table,
                r -> r.getField("name") + "@" + ((Record) r.getField("address")).getField("town")))
        .isEqualTo(Map.of(1L, "ann@oslo", 2L, "bo@rome", 3L, "cy@lima"));

    Type.Struct reused = // number 5 is a new field, whatever its name
        new Type.Struct(
            List.of(
                new Field("id", Type.Primitive.LONG, false, null, 1),
                new Field("name", Type.Primitive.STRING, true, null, 5)));
    WriteBatch next = sink.newBatch(Fixtures.spec("raw.renamed"));
    assertThatThrownBy(() -> next.write(reused, Row.wrap(4L, "dee")))
        .isInstanceOf(FloeException.class)
        .hasMessageContaining(
            "column 'name' belongs to another source field (Protobuf field number 2)")
        .hasMessageContaining("field number 5 now has its name");
    next.abort();
  }

  @Test
  void aFieldRenamedWithAnAvroAliasKeepsItsColumn() {
    Type.Struct v1 =
        new Type.Struct(
            List.of(
                Field.required("id", Type.Primitive.LONG),
                Field.optional("name", Type.Primitive.STRING)));
    Type.Struct v2 =
        new Type.Struct(
            List.of(
                Field.required("id", Type.Primitive.LONG),
                new Field("full_name", Type.Primitive.STRING, true, null, 0, List.of("name"))));
    WriteBatch batch = sink.newBatch(Fixtures.spec("raw.aliased"));
    batch.write(v1, Row.wrap(1L, "ann"));
    batch.write(v2, Row.wrap(2L, "bo"));
    batch.commit(GROUP, PartitionOffsets.empty(), offsets("aliased", 0, 2));

    Table table = Fixtures.load(warehouse, "raw.aliased");
    assertThat(table.properties()).doesNotContainKey(SourceIds.PROPERTY);
    assertThat(byId(table, r -> r.getField("name"))).isEqualTo(Map.of(1L, "ann", 2L, "bo"));
  }

  @Test
  void aRowFieldTheTableLacksBecomesANewOptionalColumn() {
    Type.Struct v1 = new Type.Struct(List.of(Field.required("id", Type.Primitive.LONG)));
    Type.Struct v2 =
        new Type.Struct(
            List.of(
                Field.required("id", Type.Primitive.LONG),
                Field.required("extra", Type.Primitive.STRING)));
    WriteBatch batch = sink.newBatch(Fixtures.spec("raw.narrow"));
    batch.write(v1, Row.wrap(1L));
    batch.write(v2, Row.wrap(2L, "x"));
    batch.commit(GROUP, PartitionOffsets.empty(), offsets("narrow", 0, 2));

    Table table = Fixtures.load(warehouse, "raw.narrow");
    assertThat(table.schema().findField("extra").isOptional())
        .as("optional: earlier rows have no value")
        .isTrue();
    assertThat(Fixtures.read(table))
        .extracting(r -> r.getField("extra"))
        .containsExactlyInAnyOrder(null, "x");
  }

  @Test
  void aValueOfTheWrongJavaTypeFailsTheBatchWithAClearError() {
    Type.Struct schema = new Type.Struct(List.of(Field.required("id", Type.Primitive.LONG)));
    WriteBatch batch = sink.newBatch(Fixtures.spec("raw.wrong"));
    batch.write(schema, Row.wrap(1L));

    assertThatThrownBy(() -> batch.write(schema, Row.wrap("not a long")))
        .isInstanceOf(FloeException.class)
        .hasMessageContaining("raw.wrong");
    assertThatThrownBy(() -> batch.write(schema, Row.wrap(2L)))
        .isInstanceOf(IllegalStateException.class);
    batch.abort();
  }

  @Test
  void filesRollOverAtTheTargetSizeAndPartitionsGetTheirOwnFiles() {
    TableSpec spec = Fixtures.spec("raw.rolled", 256 << 10, "ctx.os");
    WriteBatch batch = sink.newBatch(spec);
    for (long id = 0; id < 30_000; id++) {
      batch.write(ALL_TYPES, Fixtures.allTypesRow(id));
    }
    assertThat(batch.bytes()).isPositive();

    CommitResult result =
        batch.commit(GROUP, PartitionOffsets.empty(), offsets("events", 0, 30_000));

    Table table = Fixtures.load(warehouse, "raw.rolled");
    List<DataFile> files = dataFiles(table);
    assertThat(files).hasSize(result.dataFiles()).hasSizeGreaterThan(6);
    assertThat(files.stream().map(f -> f.partition().get(0, String.class)).distinct())
        .containsExactlyInAnyOrder("linux", "mac");
    // sizes are checked every 1,000 rows (~90 KB of this row), as Iceberg's rolling writers do
    assertThat(files)
        .allSatisfy(f -> assertThat(f.fileSizeInBytes()).isLessThan((256 << 10) + (100 << 10)));
    assertThat(files.stream().mapToLong(DataFile::recordCount).sum()).isEqualTo(30_000);
    assertThat(Fixtures.read(table)).hasSize(30_000);
  }

  @Test
  void abortDeletesTheBatchFiles() {
    WriteBatch batch = sink.newBatch(Fixtures.spec("raw.aborted"));
    batch.write(ALL_TYPES, Fixtures.allTypesRow(1));
    batch.abort();
    batch.abort();

    assertThat(parquetFiles(warehouse)).isEmpty();
  }

  @Test
  void abortAfterCommitKeepsTheCommittedFiles() {
    WriteBatch batch = sink.newBatch(Fixtures.spec("raw.kept"));
    batch.write(ALL_TYPES, Fixtures.allTypesRow(1));
    batch.commit(GROUP, PartitionOffsets.empty(), offsets("events", 0, 2));

    batch.abort();

    assertThat(Fixtures.read(Fixtures.load(warehouse, "raw.kept"))).hasSize(1);
  }

  static List<DataFile> dataFiles(Table table) {
    table.refresh();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().includeColumnStats().planFiles()) {
      return StreamSupport.stream(tasks.spliterator(), false)
          .map(FileScanTask::file)
          .map(f -> (DataFile) f)
          .toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** One value per row, by the row's id; a second row with an id fails the read. */
  private static <V> Map<Long, V> byId(Table table, Function<Record, V> value) {
    return Fixtures.read(table).stream()
        .collect(Collectors.toMap(r -> (Long) r.getField("id"), value));
  }

  static List<Path> parquetFiles(Path dir) {
    try (var files = java.nio.file.Files.walk(dir)) {
      return files.filter(p -> p.toString().endsWith(".parquet")).toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
