package dev.floe.catalogsync;

import static dev.floe.catalogsync.FloeWrites.ids;
import static dev.floe.catalogsync.FloeWrites.range;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.floe.core.TableId;
import dev.floe.core.config.FloeConfig;
import dev.floe.core.sink.CommitResult;
import dev.floe.sinks.iceberg.LocalFileIO;
import dev.floe.testsupport.rest.RestCatalogServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Floe commits to its home catalog (SQLite) and catalog sync mirrors each table into a real Iceberg
 * REST catalog server, where a reader that knows only the catalog finds it by name.
 */
class RestCatalogSyncIT {
  static final String TOKEN = "tok-3f9a1c77e2";
  static final String CLIENT_ID = "floe";
  static final String CLIENT_SECRET = "s3cr3t-c1ient-value";
  static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir static Path serverDir;
  @TempDir Path dir;
  static RestCatalogServer server;

  @BeforeAll
  static void startServer() throws Exception {
    server =
        RestCatalogServer.builder(TOKEN, LocalFileIO.class.getName())
            .clientCredentials(CLIENT_ID, CLIENT_SECRET)
            .start(serverDir);
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  private FloeConfig config(String table, String lakeAuth, Map<String, String> env) {
    return FloeWrites.config(
        dir,
        """
        catalogs:
          lake: { type: rest, uri: %s, %s, sync-interval: 200ms, refresh-interval: 5s }
          spare: { type: rest, uri: %s, token: unused }
        tables:
          - topics: [orders]
            table: %s
            register-in: [lake]
        """
            .formatted(server.uri(), lakeAuth, server.uri(), table),
        env);
  }

  @Test
  void aReaderThatKnowsOnlyTheRestCatalogFindsEachCommitByName() throws Exception {
    FloeConfig config =
        config("sales.orders", "token: \"${env:LAKE_TOKEN}\"", Map.of("LAKE_TOKEN", TOKEN));
    try (CatalogSync sync = CatalogSync.start(config);
        FloeWrites floe = new FloeWrites(config, "sales.orders", sync);
        RESTCatalog reader = server.newClient()) {
      floe.commit(0, 10);
      await().atMost(WAIT).until(() -> reader.tableExists(TableIdentifier.parse("sales.orders")));
      assertThat(ids(reader, "sales.orders")).isEqualTo(range(0, 10));

      CommitResult second = floe.commit(10, 25);

      // this server cannot register with overwrite, so the table is briefly missing while it moves
      await()
          .atMost(WAIT)
          .ignoreException(org.apache.iceberg.exceptions.NoSuchTableException.class)
          .untilAsserted(() -> assertThat(ids(reader, "sales.orders")).isEqualTo(range(0, 25)));
      assertThat(sync.status("lake", TableId.parse("sales.orders"), "iceberg").synced())
          .isEqualTo(second.location());
    }
  }

  @Test
  void oauthClientCredentialsAreExchangedForATokenBeforeRegistering() throws Exception {
    FloeConfig config =
        config(
            "oauth.orders",
            "credential: \"${env:CLIENT}\"",
            Map.of("CLIENT", CLIENT_ID + ":" + CLIENT_SECRET));
    try (CatalogSync sync = CatalogSync.start(config);
        FloeWrites floe = new FloeWrites(config, "oauth.orders", sync);
        RESTCatalog reader = server.newClient()) {
      floe.commit(0, 3);
      await()
          .atMost(WAIT)
          .ignoreException(org.apache.iceberg.exceptions.NoSuchTableException.class)
          .untilAsserted(() -> assertThat(ids(reader, "oauth.orders")).isEqualTo(range(0, 3)));
    }
  }

  @Test
  void wrongCredentialsAreReportedWithCatalogTableAndFixButNeverLogged() throws Exception {
    String wrongSecret = "wr0ng-s3cret-9d2f";
    FloeConfig config =
        config(
            "denied.orders",
            "credential: \"${env:CLIENT}\"",
            Map.of("CLIENT", CLIENT_ID + ":" + wrongSecret));
    ListAppender<ILoggingEvent> log = captureLog();
    try (CatalogSync sync = CatalogSync.start(config);
        FloeWrites floe = new FloeWrites(config, "denied.orders", sync)) {
      floe.commit(0, 3); // ingestion goes on: the commit itself does not wait for the catalog

      await()
          .atMost(WAIT)
          .until(
              () -> {
                var s = sync.status("lake", TableId.parse("denied.orders"), "iceberg");
                return s != null && s.failures() >= 2; // reported, then retried
              });
      String error = sync.status("lake", TableId.parse("denied.orders"), "iceberg").lastError();
      assertThat(error)
          .contains("denied.orders", "catalog 'lake'", "check the credentials under catalogs.lake");
      assertThat(log.list)
          .anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("denied.orders", "'lake'"));
      assertThat(log.list)
          .allSatisfy(e -> assertThat(e.getFormattedMessage()).doesNotContain(wrongSecret, TOKEN));
    } finally {
      releaseLog(log);
    }
  }

  @Test
  void anUnreachableCatalogIsRetriedAndNamedWithWhatToCheck() throws Exception {
    FloeConfig config =
        FloeWrites.config(
            dir,
            """
            catalogs:
              lake: { type: rest, uri: "http://127.0.0.1:1", token: x-token-value, sync-interval: 100ms }
              spare: { type: jdbc, uri: "jdbc:sqlite:%s" }
            tables:
              - topics: [orders]
                table: away.orders
                register-in: [lake]
            """
                .formatted(dir.resolve("spare.db")),
            Map.of());
    try (CatalogSync sync = CatalogSync.start(config);
        FloeWrites floe = new FloeWrites(config, "away.orders", sync)) {
      floe.commit(0, 2);

      await()
          .atMost(WAIT)
          .until(
              () -> {
                var s = sync.status("lake", TableId.parse("away.orders"), "iceberg");
                return s != null && s.failures() >= 2;
              });
      assertThat(sync.status("lake", TableId.parse("away.orders"), "iceberg").lastError())
          .contains("away.orders", "catalog 'lake'", "check that catalogs.lake.uri is right");
      // the sink committed all the same
      assertThat(floe.commit(2, 4).location()).isNotNull();
    }
  }

  @Test
  void aTableOfAnotherLocationUnderTheNameIsNeverReplaced() throws Exception {
    TableIdentifier name = TableIdentifier.parse("taken.orders");
    String theirs;
    try (RESTCatalog other = server.newClient()) {
      other.createNamespace(Namespace.of("taken"));
      theirs =
          other
              .createTable(
                  name, new Schema(Types.NestedField.required(1, "x", Types.IntegerType.get())))
              .location();
    }
    FloeConfig config = config("taken.orders", "token: " + TOKEN, Map.of());
    try (CatalogSync sync = CatalogSync.start(config);
        FloeWrites floe = new FloeWrites(config, "taken.orders", sync);
        RESTCatalog reader = server.newClient()) {
      floe.commit(0, 2);

      await()
          .atMost(WAIT)
          .until(
              () ->
                  sync.status("lake", TableId.parse("taken.orders"), "iceberg") != null
                      && sync.status("lake", TableId.parse("taken.orders"), "iceberg").lastError()
                          != null);
      assertThat(sync.status("lake", TableId.parse("taken.orders"), "iceberg").lastError())
          .contains("Catalog 'lake' already has a table taken.orders", "drop or rename that table");
      assertThat(reader.loadTable(name).location()).isEqualTo(theirs);
    }
  }

  static ListAppender<ILoggingEvent> captureLog() {
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).addAppender(appender);
    return appender;
  }

  static void releaseLog(ListAppender<ILoggingEvent> appender) {
    ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).detachAppender(appender);
  }
}
