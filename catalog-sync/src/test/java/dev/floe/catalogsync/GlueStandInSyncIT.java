package dev.floe.catalogsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.floe.core.TableId;
import dev.floe.core.config.FloeConfig;
import dev.floe.core.sink.CommitResult;
import dev.floe.sinks.delta.DeltaTableSink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Glue sync against a LOCAL STAND-IN, NOT AWS Glue ({@link GlueStandIn}): Glue cannot run here, so
 * these tests check the requests Floe sends (operations, table parameters, SigV4 signature, version
 * guard) against Glue's documented API, and how Floe reports Glue's documented errors.
 */
class GlueStandInSyncIT {
  static final Duration WAIT = Duration.ofSeconds(30);
  static final String KEY_ID = "AKIDFLOETEST";
  static final String SECRET = "glue-secret-4b7e9d0c1a";
  @TempDir Path dir;
  GlueStandIn glue;

  @BeforeEach
  void start() throws Exception {
    glue = new GlueStandIn(new AwsCredentials(KEY_ID, SECRET, null), "eu-west-1");
  }

  @AfterEach
  void stop() {
    glue.close();
  }

  private FloeConfig config(String table, String formats, String secret) {
    return FloeWrites.config(
        dir,
        """
        catalogs:
          athena: { type: glue, uri: "%s", sync-interval: 100ms, properties: { glue.region: eu-west-1, glue.access-key-id: %s, glue.secret-access-key: "${env:GLUE_SECRET}" } }
          local: { type: jdbc, uri: "jdbc:sqlite:%s" }
        tables:
          - topics: [orders]
            table: %s
            catalog: local
            formats: %s
            register-in: [athena]
        """
            .formatted(glue.uri(), KEY_ID, dir.resolve("home.db"), table, formats),
        Map.of("GLUE_SECRET", secret));
  }

  @Test
  void icebergTablesGoToGlueWithTheirMetadataLocationAndMoveUnderTheVersionGuard_standIn() {
    FloeConfig config = config("sales.orders", "[iceberg]", SECRET);
    try (CatalogSync sync = CatalogSync.start(config);
        FloeWrites floe = new FloeWrites(config, "sales.orders", sync)) {
      CommitResult first = floe.commit(0, 3);
      await().atMost(WAIT).until(() -> glue.table("sales", "orders") != null);
      JsonNode created = glue.table("sales", "orders");
      assertThat(created.path("TableType").asText()).isEqualTo("EXTERNAL_TABLE");
      assertThat(created.path("Parameters").path("table_type").asText()).isEqualTo("ICEBERG");
      assertThat(created.path("Parameters").path("metadata_location").asText())
          .isEqualTo(first.location());
      assertThat(created.path("StorageDescriptor").path("Columns").toString())
          .isEqualTo(
              "[{\"Name\":\"id\",\"Type\":\"bigint\"},{\"Name\":\"name\",\"Type\":\"string\"}]");

      CommitResult second = floe.commit(3, 6);

      await()
          .atMost(WAIT)
          .until(
              () ->
                  glue.table("sales", "orders")
                      .path("Parameters")
                      .path("metadata_location")
                      .asText()
                      .equals(second.location()));
      JsonNode moved = glue.table("sales", "orders");
      assertThat(moved.path("Parameters").path("previous_metadata_location").asText())
          .isEqualTo(first.location());
      assertThat(moved.path("VersionId").asText()).isEqualTo("2");
      assertThat(glue.requests)
          .filteredOn(r -> r.operation().equals("UpdateTable"))
          .allSatisfy(r -> assertThat(r.body().path("VersionId").asText()).isEqualTo("1"));
      // the secret signs requests; it never travels
      assertThat(glue.requests)
          .allSatisfy(r -> assertThat(r.headers() + r.body()).doesNotContain(SECRET));
    }
  }

  @Test
  void deltaTablesGoToGlueAsDeltaTablesAtTheirLocation_standIn() {
    FloeConfig config = config("sales.deltas", "[delta]", SECRET);
    try (CatalogSync sync = CatalogSync.start(config);
        FloeWrites floe = new FloeWrites(new DeltaTableSink(config), "sales.deltas", sync)) {
      CommitResult commit = floe.commit(0, 3);

      await().atMost(WAIT).until(() -> glue.table("sales", "deltas") != null);
      JsonNode t = glue.table("sales", "deltas");
      assertThat(t.path("Parameters").path("table_type").asText()).isEqualTo("DELTA");
      assertThat(t.path("StorageDescriptor").path("Columns").toString())
          .isEqualTo(
              "[{\"Name\":\"id\",\"Type\":\"bigint\"},{\"Name\":\"name\",\"Type\":\"string\"}]");
      assertThat(t.path("Parameters").path("spark.sql.sources.provider").asText())
          .isEqualTo("delta");
      assertThat(t.path("StorageDescriptor").path("Location").asText())
          .isEqualTo(commit.location())
          .contains("delta-tables/sales/deltas");
      assertThat(Path.of(java.net.URI.create(commit.location())).resolve("_delta_log"))
          .isDirectory();
    }
  }

  @Test
  void aWrongSecretIsReportedWithCatalogAndTableAndNeverLogged_standIn() {
    String wrong = "wrong-secret-5c1d3e";
    FloeConfig config = config("sales.denied", "[iceberg]", wrong);
    ListAppender<ILoggingEvent> log = RestCatalogSyncIT.captureLog();
    try (CatalogSync sync = CatalogSync.start(config);
        FloeWrites floe = new FloeWrites(config, "sales.denied", sync)) {
      floe.commit(0, 1);

      assertThat(
              ReportedSyncErrors.lastError(
                  sync, "athena", TableId.parse("sales.denied"), "iceberg", 2, WAIT))
          .contains(
              "sales.denied",
              "catalog 'athena'",
              "InvalidSignatureException",
              "check the credentials");
      assertThat(log.list)
          .allSatisfy(e -> assertThat(e.getFormattedMessage()).doesNotContain(wrong, SECRET));
      assertThat(glue.table("sales", "denied")).isNull();
    } finally {
      RestCatalogSyncIT.releaseLog(log);
    }
  }

  @Test
  void anotherTableUnderTheNameIsReportedAndKept_standIn() {
    var theirs = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
    theirs.put("Name", "orders").putObject("Parameters").put("table_type", "HIVE");
    theirs.putObject("StorageDescriptor").put("Location", "s3://other-bucket/orders");
    glue.putTable("sales", "orders", theirs);
    FloeConfig config = config("sales.orders", "[iceberg]", SECRET);
    try (CatalogSync sync = CatalogSync.start(config);
        FloeWrites floe = new FloeWrites(config, "sales.orders", sync)) {
      floe.commit(0, 1);

      await()
          .atMost(WAIT)
          .until(
              () -> {
                var s = sync.status("athena", TableId.parse("sales.orders"), "iceberg");
                return s != null && s.lastError() != null;
              });
      assertThat(sync.status("athena", TableId.parse("sales.orders"), "iceberg").lastError())
          .contains("Catalog 'athena' already has a table sales.orders", "drop or rename");
      assertThat(glue.requests).noneMatch(r -> r.operation().equals("UpdateTable"));
      assertThat(glue.table("sales", "orders").path("Parameters").path("table_type").asText())
          .isEqualTo("HIVE");
    }
  }

  @Test
  void aNameGlueRejectsIsReportedWithTheRuleAndTheFix_standIn() {
    String longName = "t".repeat(256);
    FloeConfig config = config("sales." + longName, "[iceberg]", SECRET);
    try (CatalogSync sync = CatalogSync.start(config)) {
      // no file system holds a 256-character name, so the commit is described, not written;
      // Glue checks the name before it ever looks at the location
      sync.committed(
          null,
          new CommitResult(
              TableId.parse("sales." + longName),
              "iceberg",
              1,
              1,
              1,
              1,
              1,
              "s3://lake/sales/t/metadata/00001-a.metadata.json"));

      await()
          .atMost(WAIT)
          .until(
              () -> {
                var s = sync.status("athena", TableId.parse("sales." + longName), "iceberg");
                return s != null && s.lastError() != null;
              });
      assertThat(sync.status("athena", TableId.parse("sales." + longName), "iceberg").lastError())
          .contains("InvalidInputException", "less than or equal to 255")
          .contains("give the table a name it accepts");
    }
  }
}
