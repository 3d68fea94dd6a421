package dev.floe.catalogsync;

import static dev.floe.catalogsync.FloeWrites.ids;
import static dev.floe.catalogsync.FloeWrites.range;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.floe.core.TableId;
import dev.floe.core.config.FloeConfig;
import dev.floe.sinks.iceberg.IcebergCatalogs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.iceberg.catalog.Catalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Catalog sync into an Iceberg JDBC catalog on a real PostgreSQL server ({@link LocalPostgres},
 * from the Debian package that .ci/run installs), read back by Iceberg's own JdbcCatalog.
 */
class PostgresCatalogSyncIT {
  static final String PASSWORD = "pg-pass-8e1f27";
  static final Duration WAIT = Duration.ofSeconds(30);
  static LocalPostgres postgres;
  @TempDir Path dir;

  @BeforeAll
  static void startPostgres() throws Exception {
    var bin = LocalPostgres.binaries();
    Assumptions.assumeTrue(
        bin.isPresent(),
        "PostgreSQL is not installed (apt-get install postgresql, as .ci/run does): skipped");
    postgres = LocalPostgres.start(bin.get(), PASSWORD);
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    if (postgres != null) {
      postgres.close();
    }
  }

  private FloeConfig config(String password) {
    return FloeWrites.config(
        dir,
        """
        catalogs:
          pg: { type: jdbc, uri: "%s", user: %s, password: "${env:PGPASSWORD}", sync-interval: 100ms }
          local: { type: jdbc, uri: "jdbc:sqlite:%s" }
        tables:
          - topics: [orders]
            table: sales.orders
            catalog: local
            register-in: [pg]
        """
            .formatted(postgres.url("postgres"), LocalPostgres.USER, dir.resolve("home.db")),
        Map.of("PGPASSWORD", password));
  }

  @Test
  void aReaderOfThePostgresCatalogFindsTheTableAtItsNewestCommit() throws Exception {
    FloeConfig config = config(PASSWORD);
    try (CatalogSync sync = CatalogSync.start(config);
        FloeWrites floe = new FloeWrites(config, "sales.orders", sync)) {
      floe.commit(0, 4);
      floe.commit(4, 9);

      Catalog reader = IcebergCatalogs.load(config, "pg");
      try {
        await()
            .atMost(WAIT)
            .ignoreException(org.apache.iceberg.exceptions.NoSuchTableException.class)
            .untilAsserted(() -> assertThat(ids(reader, "sales.orders")).isEqualTo(range(0, 9)));
      } finally {
        ((AutoCloseable) reader).close();
      }
    }
  }

  @Test
  void aWrongPasswordIsReportedWithCatalogAndTableAndNeverLogged() {
    String wrong = "not-the-pg-password";
    FloeConfig config = config(wrong);
    ListAppender<ILoggingEvent> log = RestCatalogSyncIT.captureLog();
    try (CatalogSync sync = CatalogSync.start(config);
        FloeWrites floe = new FloeWrites(config, "sales.orders", sync)) {
      floe.commit(0, 1);

      assertThat(
              ReportedSyncErrors.lastError(
                  sync, "pg", TableId.parse("sales.orders"), "iceberg", 2, WAIT))
          .contains("sales.orders", "catalog 'pg'", "check the credentials under catalogs.pg");
      assertThat(log.list)
          .allSatisfy(e -> assertThat(e.getFormattedMessage()).doesNotContain(wrong, PASSWORD));
    } finally {
      RestCatalogSyncIT.releaseLog(log);
    }
  }
}
