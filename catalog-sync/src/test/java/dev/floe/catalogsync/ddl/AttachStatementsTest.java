package dev.floe.catalogsync.ddl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.catalogsync.FloeWritesAccess;
import dev.floe.catalogsync.ddl.AttachStatements.Engine;
import dev.floe.core.TableId;
import dev.floe.core.config.FloeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The attach statements of a real table that Floe's sink wrote, as an analyst would copy them. */
class AttachStatementsTest {
  static final String SECRET = "client:very-secret-value";
  @TempDir static Path dir;
  static FloeConfig config;
  static String metadata; // the table's current metadata file, as the commit reported it

  @BeforeAll
  static void writeTable() {
    config =
        FloeWritesAccess.config(
            dir,
            """
            catalogs:
              local: { type: jdbc, uri: "jdbc:sqlite:%s" }
              lake: { type: rest, uri: "https://polaris.example.com/api/catalog", warehouse: lake, credential: "%s" }
            tables:
              - topics: [orders]
                table: sales.orders
                catalog: local
                register-in: [lake]
            """
                .formatted(dir.resolve("home.db"), SECRET));
    metadata = FloeWritesAccess.commitTwice(config, "sales.orders");
  }

  private AttachStatements.Table table() {
    return new AttachStatements.Table(
        TableId.parse("sales.orders"),
        "iceberg",
        metadata,
        config.warehouse(),
        List.of(config.catalogs().get("local"), config.catalogs().get("lake")));
  }

  @Test
  void snowflakeNamesTheRestCatalogTableAndTheNewestMetadataFileRelativeToTheVolume() {
    String ddl = AttachStatements.render(Engine.SNOWFLAKE, table());

    String relative = Path.of(config.warehouse()).relativize(Path.of(metadata)).toString();
    assertThat(relative).startsWith("sales/orders/metadata/00002-").endsWith(".metadata.json");
    assertThat(ddl)
        .contains("CATALOG_NAMESPACE = 'sales'", "CATALOG_TABLE_NAME = 'orders'")
        .contains("METADATA_FILE_PATH = '" + relative + "'")
        .contains("ALTER ICEBERG TABLE sales_orders REFRESH '" + relative + "'");
    assertThat(Path.of(config.warehouse()).resolve(relative)).exists();
  }

  @Test
  void athenaRegistersTheIcebergTableInGlueWithItsMetadataLocation() {
    String ddl = AttachStatements.render(Engine.ATHENA, table());

    assertThat(ddl)
        .contains("\"table_type\":\"ICEBERG\"")
        .contains("\"metadata_location\":\"file://" + metadata + "\"")
        .contains("--database-name sales");
  }

  @Test
  void athenaAttachesADeltaTableByLocation() throws Exception {
    Path root = Files.createDirectories(dir.resolve("warehouse/delta-tables/sales/orders"));
    var delta =
        new AttachStatements.Table(
            TableId.parse("sales.orders"),
            "delta",
            root.toUri().toString(),
            config.warehouse(),
            List.of());

    assertThat(AttachStatements.render(Engine.ATHENA, delta))
        .contains("CREATE EXTERNAL TABLE sales.orders")
        .contains("LOCATION 'file://" + root + "/'")
        .contains("TBLPROPERTIES ('table_type' = 'DELTA')");
  }

  @Test
  void trinoAndSparkNameTheHomeCatalogAndNeverItsCredentials() {
    var viaRest =
        new AttachStatements.Table(
            TableId.parse("sales.orders"),
            "iceberg",
            metadata,
            config.warehouse(),
            List.of(config.catalogs().get("lake")));

    String trino = AttachStatements.render(Engine.TRINO, viaRest);
    String spark = AttachStatements.render(Engine.SPARK, viaRest);

    assertThat(trino)
        .contains(
            "iceberg.catalog.type=rest",
            "iceberg.rest-catalog.uri=https://polaris.example.com/api/catalog")
        .contains("iceberg.rest-catalog.oauth2.credential=${ENV:FLOE_CATALOG_CREDENTIAL}")
        .contains("SELECT * FROM lake.sales.orders");
    assertThat(spark)
        .contains(
            "spark.sql.catalog.lake=org.apache.iceberg.spark.SparkCatalog",
            "spark.sql.catalog.lake.type=rest")
        .contains("SELECT * FROM lake.sales.orders");
    assertThat(trino + spark).doesNotContain("very-secret-value");
  }

  @Test
  void jdbcHomeCatalogGivesTrinoTheCatalogNameItsRowsAreKeyedBy() {
    String trino = AttachStatements.render(Engine.TRINO, table());

    assertThat(trino)
        .contains("iceberg.catalog.type=jdbc", "iceberg.jdbc-catalog.catalog-name=local")
        .contains("iceberg.jdbc-catalog.connection-url=jdbc:sqlite:" + dir.resolve("home.db"));
  }

  @Test
  void duckDbScansTheCurrentMetadataFile() {
    assertThat(AttachStatements.render(Engine.DUCKDB, table()))
        .contains("SELECT * FROM iceberg_scan('" + metadata + "')");
  }

  @Test
  void anUnknownEngineIsRefused() {
    assertThat(Engine.parse("Snowflake")).isEqualTo(Engine.SNOWFLAKE);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Engine.parse("oracle"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
