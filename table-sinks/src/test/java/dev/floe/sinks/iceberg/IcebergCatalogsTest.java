package dev.floe.sinks.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.core.FloeException;
import dev.floe.core.PartitionOffsets;
import dev.floe.core.config.CatalogSettings;
import dev.floe.core.config.FloeConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.ViewCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IcebergCatalogsTest {
  @TempDir Path warehouse;

  @Test
  void theLocalCatalogIsSqliteInWalModeWithViewSupport() throws Exception {
    try (IcebergTableSink sink = new IcebergTableSink(Fixtures.config(warehouse))) {
      var batch = sink.newBatch(Fixtures.spec("sales.orders"));
      batch.write(ExactlyOnceCommitTest.EVENT, dev.floe.core.row.Row.wrap(0, 0L));
      batch.commit(Fixtures.GROUP, PartitionOffsets.empty(), Fixtures.offsets("orders", 0, 1));
    }

    try (Connection c =
            DriverManager.getConnection("jdbc:sqlite:" + warehouse.resolve("floe-catalog.db"));
        ResultSet mode = c.createStatement().executeQuery("PRAGMA journal_mode");
        ResultSet columns =
            c.getMetaData().getColumns(null, null, "iceberg_tables", "iceberg_type")) {
      assertThat(mode.next()).isTrue();
      assertThat(mode.getString(1)).isEqualToIgnoringCase("wal");
      assertThat(columns.next()).as("schema V1 (views)").isTrue();
    }
    Catalog catalog = IcebergCatalogs.load(Fixtures.config(warehouse), "local");
    try {
      assertThat(catalog).isInstanceOf(ViewCatalog.class);
      assertThat(((SupportsNamespaces) catalog).listNamespaces()).contains(Namespace.of("sales"));
      assertThat(
              catalog.tableExists(org.apache.iceberg.catalog.TableIdentifier.of("sales", "orders")))
          .isTrue();
    } finally {
      ((AutoCloseable) catalog).close();
    }
  }

  @Test
  void anUnknownCatalogNameIsAnErrorThatListsTheConfiguredOnes() {
    assertThatThrownBy(() -> IcebergCatalogs.load(Fixtures.config(warehouse), "lake"))
        .isInstanceOf(FloeException.class)
        .hasMessageContaining("'lake'")
        .hasMessageContaining("local");
  }

  @Test
  void localFileIoReadsWritesListsAndDeletes() throws Exception {
    LocalFileIO io = new LocalFileIO();
    String location = "file:" + warehouse.resolve("a/b/c.bin");
    try (var out = io.newOutputFile(location).create()) {
      out.write(new byte[] {1, 2, 3});
      assertThat(out.getPos()).isEqualTo(3);
    }
    assertThat(io.newInputFile(location).getLength()).isEqualTo(3);
    assertThatThrownBy(() -> io.newOutputFile(location).create())
        .isInstanceOf(org.apache.iceberg.exceptions.AlreadyExistsException.class);
    List<String> listed = new ArrayList<>();
    io.listPrefix(warehouse.resolve("a").toString()).forEach(f -> listed.add(f.location()));
    assertThat(listed).containsExactly(warehouse.resolve("a/b/c.bin").toString());

    io.deleteFile(location);
    assertThat(io.newInputFile(location).exists()).isFalse();
  }

  @Test
  void aCatalogWarehouseGivenAsAFileUriTakesEveryCommitNotOnlyTheFirst() {
    CatalogSettings local =
        new CatalogSettings(
            "local",
            CatalogSettings.Type.JDBC,
            "jdbc:sqlite:" + warehouse.resolve("floe-catalog.db"),
            warehouse.toUri().toString(), // file:///...
            java.util.Map.of());
    FloeConfig config =
        new FloeConfig(
            java.util.Map.of("group.id", Fixtures.GROUP),
            null,
            warehouse.toString(),
            java.util.Map.of("local", local),
            List.of(),
            1);
    try (IcebergTableSink sink = new IcebergTableSink(config)) {
      for (int i = 0; i < 3; i++) {
        var batch = sink.newBatch(Fixtures.spec("sales.uri"));
        batch.write(ExactlyOnceCommitTest.EVENT, dev.floe.core.row.Row.wrap(i, (long) i));
        batch.commit(
            Fixtures.GROUP,
            i == 0 ? PartitionOffsets.empty() : Fixtures.offsets("uri", 0, i),
            Fixtures.offsets("uri", 0, i + 1));
      }
    }
    var table = Fixtures.load(warehouse, "sales.uri");
    assertThat(
            ((org.apache.iceberg.HasTableOperations) table)
                .operations()
                .current()
                .metadataFileLocation())
        .startsWith("file:");
    assertThat(Fixtures.read(table)).hasSize(3);
  }

  @Test
  void localFileIoRefusesObjectStoreLocationsInsteadOfWritingThemLocally() {
    LocalFileIO io = new LocalFileIO();
    assertThatThrownBy(() -> io.newOutputFile("s3://bucket/warehouse/t/data/x.parquet"))
        .isInstanceOf(FloeException.class)
        .hasMessageContaining(
            "s3://bucket/warehouse/t/data/x.parquet is not on the local file system");
    assertThat(warehouse.resolve("s3:")).doesNotExist();
  }
}
