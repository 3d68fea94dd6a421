package dev.floe.catalogsync;

import static dev.floe.catalogsync.FloeWrites.ids;
import static dev.floe.catalogsync.FloeWrites.range;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.core.TableId;
import dev.floe.core.config.FloeConfig;
import dev.floe.core.sink.CommitResult;
import dev.floe.sinks.iceberg.IcebergCatalogs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Floe commits to its home catalog and catalog sync mirrors each table into a second Iceberg JDBC
 * catalog on SQLite, where Iceberg's own JdbcCatalog finds it by name.
 */
class JdbcCatalogSyncIT {
  static final Duration WAIT = Duration.ofSeconds(30);
  @TempDir Path dir;

  private FloeConfig config() {
    return FloeWrites.config(
        dir,
        """
        catalogs:
          mirror: { type: jdbc, uri: "jdbc:sqlite:%s", sync-interval: 100ms }
          local: { type: jdbc, uri: "jdbc:sqlite:%s" }
        tables:
          - topics: [orders]
            table: sales.orders
            catalog: local
            register-in: [mirror]
        """
            .formatted(dir.resolve("mirror.db"), dir.resolve("home.db")),
        Map.of());
  }

  @Test
  void aReaderOfTheMirrorCatalogFindsTheTableAtItsNewestCommit() throws Exception {
    FloeConfig config = config();
    Catalog reader = IcebergCatalogs.load(config, "mirror"); // knows the catalog, not the path
    try (CatalogSync sync = CatalogSync.start(config);
        FloeWrites floe = new FloeWrites(config, "sales.orders", sync)) {
      floe.commit(0, 5);
      await()
          .atMost(WAIT)
          .ignoreException(org.apache.iceberg.exceptions.NoSuchTableException.class)
          .untilAsserted(() -> assertThat(ids(reader, "sales.orders")).isEqualTo(range(0, 5)));

      CommitResult second = floe.commit(5, 12);

      // the pointer moves in place (a conditional UPDATE): the table never goes missing
      await()
          .atMost(WAIT)
          .untilAsserted(() -> assertThat(ids(reader, "sales.orders")).isEqualTo(range(0, 12)));
      var ops =
          ((HasTableOperations) reader.loadTable(TableIdentifier.parse("sales.orders")))
              .operations();
      assertThat(ops.current().metadataFileLocation()).isEqualTo(second.location());
      assertThat(sync.status("mirror", TableId.parse("sales.orders"), "iceberg").failures())
          .isZero();
    } finally {
      ((AutoCloseable) reader).close();
    }
  }

  @Test
  void aTableAtAnotherLocationUnderTheNameIsReportedAndKept() throws Exception {
    FloeConfig config = config();
    Catalog other = IcebergCatalogs.load(config, "mirror");
    String theirs =
        other
            .buildTable(
                TableIdentifier.parse("sales.orders"),
                new Schema(Types.NestedField.required(1, "x", Types.IntegerType.get())))
            .withLocation(dir.resolve("elsewhere").toString())
            .create()
            .location();
    try (CatalogSync sync = CatalogSync.start(config);
        FloeWrites floe = new FloeWrites(config, "sales.orders", sync)) {
      floe.commit(0, 2);

      await()
          .atMost(WAIT)
          .until(
              () -> {
                var s = sync.status("mirror", TableId.parse("sales.orders"), "iceberg");
                return s != null && s.lastError() != null;
              });
      assertThat(sync.status("mirror", TableId.parse("sales.orders"), "iceberg").lastError())
          .contains("Catalog 'mirror' already has a table sales.orders at", "elsewhere")
          .contains("drop or rename that table in 'mirror'");
      assertThat(other.loadTable(TableIdentifier.parse("sales.orders")).location())
          .isEqualTo(theirs);
    } finally {
      ((AutoCloseable) other).close();
    }
  }
}
