package dev.floe.catalogsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.floe.core.TableId;
import dev.floe.core.config.FloeConfig;
import dev.floe.testsupport.S3Server;
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

      assertThat(ReportedSyncErrors.lastError(sync, "nessie", table, "iceberg", 2, WAIT))
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

  /**
   * On an S3 warehouse (S3Mock) Nessie reads what Floe writes: the mirror registers the table,
   * moves it with the next commit, and a reader that knows only Nessie's REST catalog reads the
   * rows.
   */
  @Test
  void onAnS3WarehouseAReaderOfNessieFindsTheTableByNameWithTheLatestRows() throws Exception {
    try (S3Server s3 = S3Server.start()) {
      s3.createBucket("lake");
      try (NessieServer onS3 =
          NessieServer.start(
              dir, NessieServer.java21().orElseThrow(), "s3://lake/", s3.endpoint())) {
        String yaml =
            """
            kafka: { bootstrap.servers: localhost:9092, group.id: %s }
            schema-registry: { url: http://localhost:8081 }
            warehouse: s3://lake/wh
            s3: { endpoint: "%s", path-style-access: true, access-key-id: a, secret-access-key: b }
            catalogs:
              nessie: { type: rest, uri: "%s", sync-interval: 200ms }
            tables:
              - topics: [orders]
                table: sales.orders
                catalog: local
                register-in: [nessie]
            """
                .formatted(FloeWrites.GROUP, s3.endpoint(), onS3.uri());
        FloeConfig config =
            new dev.floe.core.config.ConfigParser(k -> true, k -> null).parse(yaml, dir);
        try (CatalogSync sync = CatalogSync.start(config);
            FloeWrites floe = new FloeWrites(config, "sales.orders", sync);
            RESTCatalog reader = onS3.newS3Reader(s3.endpoint())) {
          floe.commit(0, 10);
          await()
              .atMost(WAIT)
              .ignoreException(org.apache.iceberg.exceptions.NoSuchTableException.class)
              .untilAsserted(
                  () ->
                      assertThat(idsFound(reader, s3.endpoint()))
                          .isEqualTo(FloeWrites.range(0, 10)));
          floe.commit(10, 25);
          await()
              .atMost(WAIT)
              .ignoreException(org.apache.iceberg.exceptions.NoSuchTableException.class)
              .untilAsserted(
                  () ->
                      assertThat(idsFound(reader, s3.endpoint()))
                          .isEqualTo(FloeWrites.range(0, 25)));
          assertThat(sync.status("nessie", TableId.parse("sales.orders"), "iceberg").lastError())
              .isNull();
        }
      }
    }
  }

  /**
   * The ids in the table that Nessie names {@code sales.orders}: its metadata found through the
   * catalog, its files read straight from the store. Nessie hands its readers S3 request signing
   * through its own signer endpoint, which answers 404 in 0.99 with this setup; the catalog is what
   * this test is about.
   */
  private static java.util.Set<Long> idsFound(RESTCatalog reader, String endpoint) {
    var found = reader.loadTable(TableIdentifier.parse("sales.orders"));
    String metadata =
        ((org.apache.iceberg.HasTableOperations) found)
            .operations()
            .current()
            .metadataFileLocation();
    try (var io =
        org.apache.iceberg.CatalogUtil.loadFileIO(
            "org.apache.iceberg.aws.s3.S3FileIO", NessieServer.s3Properties(endpoint), null)) {
      var table =
          new org.apache.iceberg.BaseTable(
              new org.apache.iceberg.StaticTableOperations(metadata, io), "sales.orders");
      java.util.Set<Long> ids = new java.util.TreeSet<>();
      try (var rows = org.apache.iceberg.data.IcebergGenerics.read(table).build()) {
        rows.forEach(r -> ids.add((Long) r.getField("id")));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      return ids;
    }
  }
}
