package dev.floe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.core.PartitionOffsets;
import dev.floe.core.SourcePartition;
import dev.floe.core.TableId;
import dev.floe.core.config.FloeConfig;
import dev.floe.core.row.Field;
import dev.floe.core.row.Row;
import dev.floe.core.row.Type;
import dev.floe.core.sink.TableSpec;
import dev.floe.core.sink.WriteBatch;
import dev.floe.sinks.iceberg.IcebergTableSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code floe ddl} on a table that Floe's sink really wrote. */
class DdlCommandTest {
  @TempDir Path dir;

  private Path configWithTable() throws Exception {
    Path file = dir.resolve("floe.yaml");
    Files.writeString(
        file,
        """
        kafka: { bootstrap.servers: localhost:9092, group.id: g }
        schema-registry: { url: http://localhost:8081 }
        warehouse: warehouse
        tables:
          - topics: [orders]
            table: sales.orders
        """);
    FloeConfig config = ConfigFiles.load(file);
    Type.Struct schema = new Type.Struct(List.of(Field.required("id", Type.Primitive.LONG)));
    try (IcebergTableSink sink = new IcebergTableSink(config)) {
      WriteBatch batch =
          sink.newBatch(
              new TableSpec(TableId.parse("sales.orders"), "local", List.of(), 1L << 27, Map.of()));
      batch.write(schema, Row.wrap(1L));
      batch.commit(
          "g",
          PartitionOffsets.empty(),
          PartitionOffsets.of(Map.of(new SourcePartition("orders", 0), 1L)));
    }
    return file;
  }

  @Test
  void printsTheStatementsOfTheTablesCurrentMetadata() throws Exception {
    Path config = configWithTable();

    Cli.Result r =
        Cli.floe(
            "ddl", "--config", config.toString(), "--table", "sales.orders", "--engine", "duckdb");

    assertThat(r.exitCode()).isZero();
    String metadata = r.out().replaceAll("(?s).*iceberg_scan\\('([^']+)'\\).*", "$1");
    assertThat(metadata).contains("warehouse/sales/orders/metadata/").endsWith(".metadata.json");
    assertThat(Path.of(metadata)).exists();
  }

  @Test
  void anUnknownTableOrEngineIsAClearError() throws Exception {
    Path config = configWithTable();

    Cli.Result table =
        Cli.floe(
            "ddl", "--config", config.toString(), "--table", "sales.refunds", "--engine", "trino");
    Cli.Result engine =
        Cli.floe(
            "ddl", "--config", config.toString(), "--table", "sales.orders", "--engine", "oracle");

    assertThat(table.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(table.err()).contains("No mapping in", "writes table sales.refunds");
    assertThat(engine.err())
        .contains("Unknown engine 'oracle'", "snowflake, athena, trino, spark or duckdb");
  }
}
