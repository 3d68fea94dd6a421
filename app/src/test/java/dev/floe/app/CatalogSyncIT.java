package dev.floe.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.core.config.FloeConfig;
import dev.floe.embedded.KafkaBroker;
import dev.floe.sinks.iceberg.LocalFileIO;
import dev.floe.testsupport.SchemaRegistry;
import dev.floe.testsupport.SharedServices;
import dev.floe.testsupport.SparkSql;
import dev.floe.testsupport.rest.RestCatalogServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.LongStream;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.rest.RESTCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: records on a real broker, {@code floe run}'s wiring commits them to the home catalog,
 * and catalog sync registers the table in a real Iceberg REST catalog server, where a reader that
 * knows only the catalog finds it by name with the latest rows.
 */
class CatalogSyncIT {
  static final KafkaBroker broker = SharedServices.broker();
  static final SchemaRegistry registry = SharedServices.registry();
  static final String TOKEN = "e2e-token-7f3c";
  @TempDir Path dir;

  @Test
  void aReaderOfTheRestCatalogFindsTheTableByNameWithTheLatestRows() throws Exception {
    broker.createTopic("synced", 1);
    Files.writeString(
        dir.resolve("synced.json"),
        """
        {"type": "object", "properties": {"id": {"type": "integer"}}, "required": ["id"]}""");
    try (RestCatalogServer server = restServer(dir.resolve("rest"));
        RESTCatalog reader = server.newClient()) {
      FloeConfig config = config(server);
      try (Materializer floe = new Materializer(config)) {
        floe.start();
        send(0, 20);
        await()
            .atMost(Duration.ofSeconds(60))
            .ignoreException(NoSuchTableException.class)
            .untilAsserted(() -> assertThat(ids(reader)).isEqualTo(range(0, 20)));

        send(20, 35);

        await()
            .atMost(Duration.ofSeconds(60))
            .ignoreException(NoSuchTableException.class)
            .untilAsserted(() -> assertThat(ids(reader)).isEqualTo(range(0, 35)));
        // Spark 4.0, knowing only the REST catalog, finds the table by name too
        Set<Long> sparkIds = new TreeSet<>();
        SparkSql.withIcebergCatalog(
                "lake", Map.of("type", "rest", "uri", server.uri(), "token", TOKEN))
            .query("SELECT id FROM lake.raw.synced")
            .forEach(r -> sparkIds.add(r.get("id").longValue()));
        assertThat(sparkIds).isEqualTo(range(0, 35));
        assertThat(floe.catalogStatus())
            .singleElement()
            .satisfies(s -> assertThat(s.lastError()).isNull());
      }
    }

    // a catalog added later gets the table at start-up, before any new record arrives
    try (RestCatalogServer later = restServer(dir.resolve("rest2"));
        RESTCatalog reader = later.newClient();
        Materializer floe = new Materializer(config(later))) {
      floe.start();
      await()
          .atMost(Duration.ofSeconds(60))
          .ignoreException(NoSuchTableException.class)
          .untilAsserted(() -> assertThat(ids(reader)).isEqualTo(range(0, 35)));
    }
  }

  /** Iceberg's REST server with a bearer token that it also issues for client credentials. */
  private static RestCatalogServer restServer(Path dir) throws Exception {
    return RestCatalogServer.builder(TOKEN, LocalFileIO.class.getName())
        .clientCredentials("c", "s")
        .start(dir);
  }

  private FloeConfig config(RestCatalogServer server) {
    return TestConfigs.parse(
        dir,
        broker,
        registry,
        """
        catalogs:
          lake: { type: rest, uri: "%s", token: "%s", sync-interval: 200ms }
          local: { type: jdbc, uri: "jdbc:sqlite:%s" }
        tables:
          - topics: [synced]
            table: raw.synced
            catalog: local
            value-format: json
            value-schema: synced.json
            commit: { interval: 500ms }
            register-in: [lake]
        """
            .formatted(server.uri(), TOKEN, dir.resolve("home.db")));
  }

  private static void send(long from, long to) throws Exception {
    List<byte[]> values = new ArrayList<>();
    for (long id = from; id < to; id++) {
      values.add(("{\"id\": " + id + "}").getBytes(StandardCharsets.UTF_8));
    }
    RawRecords.send(broker, "synced", values);
  }

  private static Set<Long> ids(RESTCatalog reader) throws Exception {
    Set<Long> ids = new TreeSet<>();
    try (CloseableIterable<Record> rows =
        IcebergGenerics.read(reader.loadTable(TableIdentifier.parse("raw.synced"))).build()) {
      rows.forEach(r -> ids.add((Long) r.getField("id")));
    }
    return ids;
  }

  private static Set<Long> range(long from, long to) {
    return new TreeSet<>(LongStream.range(from, to).boxed().toList());
  }
}
