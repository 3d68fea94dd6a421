package dev.floe.catalogsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.floe.core.TableId;
import dev.floe.core.config.FloeConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.RESTCatalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Catalog sync against a real Nessie 0.99 through its Iceberg REST endpoint, as a {@code rest}
 * catalog. Nessie's catalog reads a registered table's metadata itself, and only from object stores
 * (s3, gs, abfs), so it refuses Floe's tables on the local file system: this test pins down that
 * the refusal is reported with the catalog, the table, the reason and what to do, and that
 * ingestion goes on. Needs a JDK 21+ for the server; skipped, saying what to install, without one.
 */
class NessieCatalogSyncIT {
  static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir static Path serverDir;
  @TempDir Path dir;
  static NessieServer nessie;

  @BeforeAll
  static void startNessie() throws Exception {
    Optional<Path> java = NessieServer.java21();
    assumeTrue(java.isPresent(), NessieServer.JDK_HINT);
    nessie = NessieServer.start(serverDir, java.get());
  }

  @AfterAll
  static void stopNessie() {
    if (nessie != null) {
      nessie.close();
    }
  }

  @Test
  void nessieRefusesATableOnLocalFilesAndTheErrorSaysWhyAndWhatToDo() throws Exception {
    FloeConfig config =
        FloeWrites.config(
            dir,
            """
            catalogs:
              nessie: { type: rest, uri: %s, sync-interval: 200ms, refresh-interval: 5s }
              spare: { type: jdbc, uri: "jdbc:sqlite:%s" }
            tables:
              - topics: [orders]
                table: sales.orders
                register-in: [nessie]
            """
                .formatted(nessie.uri(), dir.resolve("spare.db")),
            Map.of());
    TableId table = TableId.parse("sales.orders");
    try (CatalogSync sync = CatalogSync.start(config);
        FloeWrites floe = new FloeWrites(config, "sales.orders", sync);
        RESTCatalog reader = nessie.newReader()) {
      floe.commit(0, 10);

      await()
          .atMost(WAIT)
          .until(
              () -> {
                var s = sync.status("nessie", table, "iceberg");
                return s != null && s.failures() >= 2; // reported, then retried
              });
      assertThat(sync.status("nessie", table, "iceberg").lastError())
          .contains(
              "sales.orders",
              "catalog 'nessie'",
              "Unknown or unsupported scheme: file",
              "reads table metadata only from the object stores it is configured for",
              "remove 'nessie' from its register-in")
          .doesNotContain("rejects the name");
      // the mirror did reach Nessie's catalog (under the branch prefix its config names) ...
      assertThat(reader.namespaceExists(Namespace.of("sales"))).isTrue();
      // ... which registered nothing it cannot read
      assertThat(reader.tableExists(TableIdentifier.parse("sales.orders"))).isFalse();
      // and ingestion went on regardless
      assertThat(floe.commit(10, 25).location()).isNotNull();
    }
  }
}
