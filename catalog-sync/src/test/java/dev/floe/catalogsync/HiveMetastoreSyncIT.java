package dev.floe.catalogsync;

import static dev.floe.catalogsync.FloeWrites.range;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.core.TableId;
import dev.floe.core.config.FloeConfig;
import dev.floe.core.sink.CommitResult;
import dev.floe.sinks.delta.DeltaTableSink;
import dev.floe.sinks.iceberg.LocalFileIO;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.hive.metastore.HiveMetaStoreClient;
import org.apache.hadoop.hive.metastore.api.Table;
import org.apache.iceberg.BaseTable;
import org.apache.iceberg.StaticTableOperations;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Catalog sync into a real Hive Metastore 4.0.1 on Derby ({@link HiveMetastore}, a child JVM). The
 * reader asks the metastore for the table by name, with Hive's own client, and reads the Iceberg
 * metadata file the metastore points at, as engines on a Hive catalog do.
 */
class HiveMetastoreSyncIT {
  static final Duration WAIT = Duration.ofSeconds(60);
  @TempDir static Path hmsDir;
  static HiveMetastore hms;
  @TempDir Path dir;

  @BeforeAll
  static void startMetastore() throws Exception {
    hms = HiveMetastore.start(hmsDir);
  }

  @AfterAll
  static void stopMetastore() {
    if (hms != null) {
      hms.close();
    }
  }

  /** Tests share the metastore: each writes a table of its own, {@code sales.<name>}. */
  private FloeConfig config(String uri, String formats, String name) {
    return FloeWrites.config(
        dir,
        """
        catalogs:
          hms: { type: hive, uri: "%s", sync-interval: 100ms }
          local: { type: jdbc, uri: "jdbc:sqlite:%s" }
        tables:
          - topics: [orders]
            table: sales.%s
            catalog: local
            formats: %s
            register-in: [hms]
        """
            .formatted(uri, dir.resolve("home.db"), name, formats),
        Map.of());
  }

  @Test
  void aReaderOfTheMetastoreFindsTheIcebergTableAtItsNewestCommit() throws Exception {
    FloeConfig config = config(hms.uri(), "[iceberg]", "orders");
    try (CatalogSync sync = CatalogSync.start(config);
        FloeWrites floe = new FloeWrites(config, "sales.orders", sync)) {
      CommitResult first = floe.commit(0, 4);
      await()
          .atMost(WAIT)
          .ignoreExceptions()
          .until(() -> metadataLocation("orders").equals(first.location()));

      CommitResult second = floe.commit(4, 10);

      await()
          .atMost(WAIT)
          .ignoreExceptions()
          .until(() -> metadataLocation("orders").equals(second.location()));
      Table t = table("orders");
      assertThat(t.getParameters())
          .containsEntry("table_type", "ICEBERG")
          .containsEntry("previous_metadata_location", first.location());
      assertThat(t.getTableType()).isEqualTo("EXTERNAL_TABLE");
      assertThat(t.getSd().getCols())
          .extracting(c -> c.getName() + " " + c.getType())
          .containsExactly("id bigint", "name string");
      assertThat(ids(metadataLocation("orders"))).isEqualTo(range(0, 10));
    }
  }

  @Test
  void deltaTablesAreRegisteredAsSparkDeltaTablesAtTheirLocation() throws Exception {
    FloeConfig config = config(hms.uri(), "[delta]", "deltas");
    try (CatalogSync sync = CatalogSync.start(config);
        FloeWrites floe = new FloeWrites(new DeltaTableSink(config), "sales.deltas", sync)) {
      CommitResult commit = floe.commit(0, 2);

      await()
          .atMost(WAIT)
          .ignoreExceptions()
          .until(
              () ->
                  table("deltas") != null
                      && "delta"
                          .equals(
                              table("deltas").getParameters().get("spark.sql.sources.provider")));
      Table t = table("deltas");
      assertThat(MetadataFiles.sameRoot(t.getSd().getLocation(), commit.location())).isTrue();
      assertThat(t.getSd().getSerdeInfo().getParameters()).containsKey("path");
      assertThat(t.getSd().getCols())
          .extracting(c -> c.getName() + " " + c.getType())
          .containsExactly("id bigint", "name string");
    }
  }

  @Test
  void anUnreachableMetastoreIsReportedWithWhatToCheck() {
    FloeConfig config = config("thrift://127.0.0.1:1", "[iceberg]", "orders");
    try (CatalogSync sync = CatalogSync.start(config);
        FloeWrites floe = new FloeWrites(config, "sales.orders", sync)) {
      floe.commit(0, 1);

      assertThat(
              ReportedSyncErrors.lastError(
                  sync, "hms", TableId.parse("sales.orders"), "iceberg", 1, WAIT))
          .contains("catalog 'hms'", "sales.orders", "check that catalogs.hms.uri is right");
    }
  }

  private static Table table(String name) throws Exception {
    HiveMetaStoreClient client = hms.newClient();
    try {
      return client.getTable("sales", name);
    } finally {
      client.close();
    }
  }

  private static String metadataLocation(String name) throws Exception {
    return table(name).getParameters().get("metadata_location");
  }

  private static Set<Long> ids(String metadataLocation) throws Exception {
    LocalFileIO io = new LocalFileIO();
    io.initialize(Map.of());
    var table = new BaseTable(new StaticTableOperations(metadataLocation, io), "sales.orders");
    Set<Long> ids = new TreeSet<>();
    try (CloseableIterable<Record> rows = IcebergGenerics.read(table).build()) {
      rows.forEach(r -> ids.add((Long) r.getField("id")));
    }
    return ids;
  }
}
