package dev.floe.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.core.ConfigException;
import dev.floe.core.TableId;
import dev.floe.core.config.PartitionField.Transform;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigParserTest {
  private static final Set<String> KAFKA_KEYS =
      Set.of("bootstrap.servers", "group.id", "auto.offset.reset", "max.poll.records");
  private static final Path BASE = Path.of("/srv/floe");

  private static FloeConfig parse(String yaml) {
    return parse(yaml, Map.of());
  }

  private static FloeConfig parse(String yaml, Map<String, String> env) {
    return new ConfigParser(KAFKA_KEYS::contains, env::get).parse(yaml, BASE);
  }

  private static final String MINIMAL =
      """
      kafka:
        bootstrap.servers: localhost:9092
      schema-registry: { url: http://localhost:8081 }
      warehouse: warehouse
      tables:
        - topics: [orders]
          table: sales.orders
      """;

  @Test
  void minimalConfigGetsDocumentedDefaults() {
    FloeConfig config = parse(MINIMAL);

    assertThat(config.groupId()).isEqualTo("floe");
    assertThat(config.kafka())
        .containsEntry("auto.offset.reset", "earliest")
        .containsEntry("isolation.level", "read_committed");
    assertThat(config.warehouse()).isEqualTo("/srv/floe/warehouse");
    assertThat(config.catalogs()).containsOnlyKeys("local");
    assertThat(config.catalog("local").orElseThrow().uri())
        .isEqualTo("jdbc:sqlite:/srv/floe/warehouse/floe-catalog.db");
    TableMapping m = config.tables().get(0);
    assertThat(m.tableFor("orders")).isEqualTo(TableId.parse("sales.orders"));
    assertThat(m.formats()).containsExactly(TableMapping.Format.ICEBERG);
    assertThat(m.mode()).isEqualTo(TableMapping.Mode.APPEND);
    assertThat(m.onError()).isEqualTo(TableMapping.OnError.STOP);
    assertThat(m.commit()).isEqualTo(CommitPolicy.DEFAULT);
    assertThat(m.kafkaMetadataColumn()).isEqualTo("_kafka");
    assertThat(m.targetFileSizeBytes()).isEqualTo(128L << 20);
    assertThat(m.catalog()).isEqualTo("local");
    assertThat(config.workers()).isEqualTo(1);
  }

  @Test
  void fullConfigIsReadIntoRecords() {
    FloeConfig config =
        parse(
            """
        kafka:
          bootstrap.servers: ${env:BROKERS}
          group.id: floe-prod
        schema-registry:
          url: https://registry:8081/
          basic-auth: { username: floe, password: "${env:REG_PASS}" }
          timeout: 5s
        warehouse: file:///var/lib/floe
        workers: 2
        catalogs:
          lake: { type: rest, uri: https://catalog/api, warehouse: lake, credential: "id:${env:SECRET:-none}" }
        tables:
          - topic-pattern: "web\\\\..*"
            table: raw.${topic}
            formats: [iceberg, delta]
            partition-by: [day(event_ts), "bucket[16](user_id)", "truncate(4, country)", ctx.os]
            commit: { interval: 2m, max-records: 50_000, max-bytes: 64MiB }
            target-file-size: 256MB
            kafka-metadata: { column: kafka_meta }
            table-properties: { write.metadata.delete-after-commit.enabled: "true", delta.checkpointInterval: 20 }
        """,
            Map.of("BROKERS", "b1:9092,b2:9092", "REG_PASS", "s3cret"));

    assertThat(config.kafka())
        .containsEntry("bootstrap.servers", "b1:9092,b2:9092")
        .containsEntry("group.id", "floe-prod");
    assertThat(config.schemaRegistry().url()).isEqualTo("https://registry:8081");
    assertThat(config.schemaRegistry().password()).isEqualTo("s3cret");
    assertThat(config.schemaRegistry().toString()).doesNotContain("s3cret");
    assertThat(config.schemaRegistry().timeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.warehouse()).isEqualTo("/var/lib/floe");
    assertThat(config.workers()).isEqualTo(2);
    assertThat(config.catalog("lake").orElseThrow().properties())
        .containsEntry("credential", "id:none");
    TableMapping m = config.tables().get(0);
    assertThat(m.catalog()).as("the only defined catalog is the default").isEqualTo("lake");
    assertThat(m.matches("web.clicks")).isTrue();
    assertThat(m.matches("orders")).isFalse();
    assertThat(m.tableFor("web.Clicks-v2")).isEqualTo(TableId.parse("raw.web_clicks_v2"));
    assertThat(m.partitionBy())
        .containsExactly(
            new PartitionField(Transform.DAY, "event_ts", 0),
            new PartitionField(Transform.BUCKET, "user_id", 16),
            new PartitionField(Transform.TRUNCATE, "country", 4),
            new PartitionField(Transform.IDENTITY, "ctx.os", 0));
    assertThat(m.commit()).isEqualTo(new CommitPolicy(Duration.ofMinutes(2), 50_000, 64L << 20));
    assertThat(m.targetFileSizeBytes()).isEqualTo(256_000_000L);
    assertThat(m.kafkaMetadataColumn()).isEqualTo("kafka_meta");
    assertThat(m.tableProperties())
        .containsEntry("write.metadata.delete-after-commit.enabled", "true")
        .containsEntry("delta.checkpointInterval", "20");
    assertThat(m.formats()).containsExactly(TableMapping.Format.ICEBERG, TableMapping.Format.DELTA);
  }

  @Test
  void formatsAndDeltaPropertiesAreChecked() {
    assertThatThrownBy(() -> parse(MINIMAL + "    formats: [iceberg, hudi]\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'tables[0].formats'")
        .hasMessageContaining("'hudi' is not a supported format")
        .hasMessageContaining("iceberg, delta");
    assertThatThrownBy(() -> parse(MINIMAL + "    formats: [delta, delta]\n"))
        .hasMessageContaining("'delta' is listed twice");
    assertThatThrownBy(
            () -> parse(MINIMAL + "    table-properties:\n      delta.checkpointInterval: often\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("line 9, 'tables[0].table-properties.delta.checkpointInterval'")
        .hasMessageContaining("'often' is not a positive number of commits");
    assertThat(parse(MINIMAL + "    formats: [delta]\n").tables().get(0).formats())
        .containsExactly(TableMapping.Format.DELTA);
    assertThat(
            parse(
                    MINIMAL
                        + "    formats: [iceberg, delta]\n    mode: upsert\n"
                        + "    key: { format: string, columns: [id] }\n")
                .tables()
                .get(0)
                .mode())
        .as("Delta upserts are copy-on-write")
        .isEqualTo(TableMapping.Mode.UPSERT);
    assertThatThrownBy(
            () ->
                parse(
                    MINIMAL
                        + "    formats: [delta]\n    mode: upsert\n"
                        + "    key: { format: string, columns: [id] }\n"
                        + "    partition-by: [day(ts)]\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("which is not a key column");
  }

  @Test
  void plainJsonNeedsAValueSchemaFileAndNoRegistry(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    java.nio.file.Files.writeString(dir.resolve("orders.json"), "{\"type\": \"object\"}");
    String yaml =
        """
        kafka: { bootstrap.servers: "b:9092" }
        warehouse: wh
        tables:
          - topics: [orders]
            table: sales.orders
            value-format: json
            value-schema: orders.json
        """;
    FloeConfig config =
        new ConfigParser(KAFKA_KEYS::contains, Map.<String, String>of()::get).parse(yaml, dir);

    assertThat(config.tables().get(0).valueFormat()).isEqualTo(TableMapping.ValueFormat.JSON);
    assertThat(config.tables().get(0).valueSchema()).isEqualTo("{\"type\": \"object\"}");
    assertThat(config.schemaRegistry()).isNull();
    assertThatThrownBy(
            () ->
                new ConfigParser(KAFKA_KEYS::contains, Map.<String, String>of()::get)
                    .parse(yaml.replace("orders.json", "missing.json"), dir))
        .hasMessageContaining("line 7, 'tables[0].value-schema': cannot read a JSON Schema from");
    assertThatThrownBy(
            () ->
                new ConfigParser(KAFKA_KEYS::contains, Map.<String, String>of()::get)
                    .parse(yaml.replace("    value-schema: orders.json\n", ""), dir))
        .hasMessageContaining("'tables[0].value-schema': is required with value-format: json");
    assertThatThrownBy(
            () ->
                new ConfigParser(KAFKA_KEYS::contains, Map.<String, String>of()::get)
                    .parse(yaml.replace("    value-format: json\n", ""), dir))
        .hasMessageContaining("'tables[0].value-schema': is only used with value-format: json");
  }

  @Test
  void keySettingsAreCheckedTogether() {
    assertThat(parse(MINIMAL).tables().get(0).key()).isEqualTo(KeySettings.DEFAULT);
    assertThat(
            parse(MINIMAL + "    key: { format: long, flatten: true, prefix: k_ }\n")
                .tables()
                .get(0)
                .key())
        .isEqualTo(
            new KeySettings(KeySettings.KeyFormat.LONG, null, true, "k_", java.util.List.of()));
    assertThatThrownBy(() -> parse(MINIMAL + "    key: { format: avro }\n"))
        .hasMessageContaining("line 8, 'tables[0].key.format': 'avro' is not a valid value")
        .hasMessageContaining("confluent");
    assertThatThrownBy(() -> parse(MINIMAL + "    key: { format: json }\n"))
        .hasMessageContaining("'tables[0].key.schema': is required with format: json");
    assertThatThrownBy(() -> parse(MINIMAL + "    key: { prefix: k_ }\n"))
        .hasMessageContaining("'tables[0].key.prefix': only applies to flattened key columns");
    assertThatThrownBy(() -> parse(MINIMAL + "    key: { flaten: true }\n"))
        .hasMessageContaining("did you mean 'flatten'");
    assertThatThrownBy(() -> parse(MINIMAL + "    key: { flatten: yes please }\n"))
        .hasMessageContaining("'tables[0].key.flatten': 'yes please' is not true or false");
  }

  @Test
  void upsertNeedsKeyColumnsAndPartitionsOfThemOnly() {
    TableMapping upsert =
        parse(
                MINIMAL
                    + "    mode: upsert\n    key: { columns: [id] }\n    partition-by: [\"bucket[8](id)\"]\n")
            .tables()
            .get(0);
    assertThat(upsert.mode()).isEqualTo(TableMapping.Mode.UPSERT);
    assertThat(upsert.key().columns()).containsExactly("id");
    assertThatThrownBy(() -> parse(MINIMAL + "    mode: upsert\n"))
        .hasMessageContaining("'tables[0].key.columns': is required with mode: upsert");
    assertThatThrownBy(() -> parse(MINIMAL + "    key: { columns: [id] }\n"))
        .hasMessageContaining("'tables[0].key.columns': is only used with mode: upsert or cdc");
    assertThatThrownBy(
            () ->
                parse(
                    MINIMAL
                        + "    mode: upsert\n    key: { columns: [id] }\n    partition-by: [day(ts)]\n"))
        .hasMessageContaining(
            "'tables[0].partition-by[0]': partitions by 'ts', which is not a key column");
  }

  @Test
  void secretsNeverAppearWhenTheConfigIsPrinted() {
    FloeConfig config =
        new ConfigParser(k -> true, Map.<String, String>of()::get)
            .parse(
                MINIMAL.replace(
                    "kafka:",
                    "kafka:\n  sasl.jaas.config: \"org.apache.kafka.common.security.plain.PlainLoginModule required password='hunter2';\"\n  ssl.key.password: hunter3"),
                BASE);

    assertThat(config.toString())
        .doesNotContain("hunter2")
        .doesNotContain("hunter3")
        .contains("sasl.jaas.config=****");
  }

  @Test
  void unknownKeyNamesKeyLineAndSuggestion() {
    assertThatThrownBy(() -> parse(MINIMAL + "    comit: { interval: 10s }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("line 8")
        .hasMessageContaining("'tables[0].comit': unknown key")
        .hasMessageContaining("did you mean 'commit'");
  }

  @Test
  void badValuesNameKeyAndLine() {
    assertThatThrownBy(() -> parse(MINIMAL + "    commit:\n      interval: soon\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("line 9, 'tables[0].commit.interval': 'soon' is not a duration")
        .hasMessageContaining("30s");
    assertThatThrownBy(() -> parse(MINIMAL + "    partition-by: [weekday(ts)]\n"))
        .hasMessageContaining("tables[0].partition-by[0]")
        .hasMessageContaining("unknown transform 'weekday'");
    assertThatThrownBy(() -> parse(MINIMAL + "    mode: merge\n"))
        .hasMessageContaining("'merge' is not a valid value")
        .hasMessageContaining("append");
    assertThatThrownBy(() -> parse(MINIMAL.replace("sales.orders", "orders")))
        .hasMessageContaining("line 7, 'tables[0].table'")
        .hasMessageContaining("no namespace");
  }

  @Test
  void danglingCatalogReferenceFails() {
    assertThatThrownBy(() -> parse(MINIMAL + "    catalog: lake\n"))
        .hasMessageContaining("'tables[0].catalog': catalog 'lake' is not defined");
  }

  private static final String MIRRORS =
      """
      catalogs:
        lake: { type: rest, uri: "https://polaris/api/catalog", token: "${env:TOKEN}", sync-interval: 30s }
        glue: { type: glue, properties: { glue.region: eu-west-1 } }
        hms: { type: hive, uri: "thrift://metastore:9083", refresh-interval: 1h }
      """;

  @Test
  void registerInNamesMirrorCatalogsWithTheirSyncIntervals() {
    FloeConfig config =
        parse(
            MINIMAL.replace("warehouse: warehouse", "warehouse: warehouse\n" + MIRRORS)
                + "    catalog: local\n    register-in: [lake, glue, hms]\n",
            Map.of("TOKEN", "t"));

    TableMapping m = config.tables().get(0);
    assertThat(m.registerIn()).containsExactly("lake", "glue", "hms");
    assertThat(config.catalog("lake").orElseThrow().syncInterval()).hasSeconds(30);
    assertThat(config.catalog("lake").orElseThrow().refreshInterval())
        .isEqualTo(CatalogSettings.DEFAULT_REFRESH_INTERVAL);
    assertThat(config.catalog("hms").orElseThrow().refreshInterval()).hasHours(1);
    assertThat(config.catalog("glue").orElseThrow().uri()).as("Glue's endpoint is AWS's").isNull();
    assertThat(m.produces(dev.floe.core.TableId.parse("sales.orders"))).isTrue();
  }

  @Test
  void registerInRejectsDanglingHomeAndIcebergOnlyCatalogsForDeltaTables() {
    String base = MINIMAL.replace("warehouse: warehouse", "warehouse: warehouse\n" + MIRRORS);
    Map<String, String> env = Map.of("TOKEN", "t");
    assertThatThrownBy(
            () -> parse(base + "    catalog: local\n    register-in: [lake, polaris]\n", env))
        .hasMessageContaining("'tables[0].register-in[1]': catalog 'polaris' is not defined")
        .hasMessageContaining("[lake, glue, hms, local]");
    assertThatThrownBy(() -> parse(base + "    catalog: lake\n    register-in: [lake]\n", env))
        .hasMessageContaining("'tables[0].register-in[0]': catalog 'lake' is the table's home");
    assertThatThrownBy(
            () ->
                parse(
                    base + "    catalog: local\n    formats: [delta]\n    register-in: [lake]\n",
                    env))
        .hasMessageContaining("catalog 'lake' (rest) holds Iceberg tables only")
        .hasMessageContaining("register Delta tables in a hive or glue catalog");
    assertThatThrownBy(() -> parse(base + "    catalog: hms\n", env))
        .hasMessageContaining("'tables[0].catalog': catalog 'hms' is of type hive")
        .hasMessageContaining("list 'hms' under register-in");
    assertThatThrownBy(
            () ->
                parse(
                    base.replace("sync-interval: 30s", "sync-interval: 0s")
                        + "    catalog: local\n",
                    env))
        .hasMessageContaining("'catalogs.lake.sync-interval': '0s' must be longer than zero");
    assertThatThrownBy(
            () -> parse(base.replace("thrift://metastore:9083", "") + "    catalog: local\n", env))
        .hasMessageContaining("add uri: thrift://metastore-host:9083");
  }

  @Test
  void topicsAndPatternAreExclusive() {
    assertThatThrownBy(() -> parse(MINIMAL + "    topic-pattern: \"o.*\"\n"))
        .hasMessageContaining("has both topics and topic-pattern");
    assertThatThrownBy(() -> parse(MINIMAL.replace("topics: [orders]", "topic-pattern: \"(\"")))
        .hasMessageContaining("not a valid regular expression");
  }

  @Test
  void kafkaKeysAreCheckedAndManagedOnesRejected() {
    assertThatThrownBy(() -> parse(MINIMAL.replace("kafka:", "kafka:\n  enable.auto.commit: true")))
        .hasMessageContaining("'kafka.enable.auto.commit': is managed by Floe");
    assertThatThrownBy(() -> parse(MINIMAL.replace("kafka:", "kafka:\n  bootstrap.server: x")))
        .hasMessageContaining("line 2, 'kafka.bootstrap.server': is not a Kafka client property");
  }

  @Test
  void missingEnvironmentVariableIsAnError() {
    assertThatThrownBy(() -> parse(MINIMAL.replace("localhost:9092", "${env:NOPE}")))
        .hasMessageContaining("kafka.bootstrap.servers")
        .hasMessageContaining("NOPE is not set");
  }

  @Test
  void twoMappingsIntoOneTableFail() {
    assertThatThrownBy(
            () ->
                parse(
                    MINIMAL
                        + "  - topics: [orders2]\n    table: sales.orders\n  - topics: [orders]\n    table: sales.orders\n"))
        .hasMessageContaining("line 9, 'tables[1].table'")
        .hasMessageContaining("also written by tables[0]");
  }

  @Test
  void otherRemoteWarehousesAreRefused() {
    assertThatThrownBy(
            () -> parse(MINIMAL.replace("warehouse: warehouse", "warehouse: gs://lake/wh")))
        .hasMessageContaining("'warehouse'")
        .hasMessageContaining("only local and S3 warehouses");
  }

  @Test
  void s3WarehouseTakesEndpointRegionPathStyleAndCredentialsFromTheEnvironment() {
    FloeConfig config =
        parse(
            MINIMAL.replace("warehouse: warehouse", "warehouse: s3a://lake/wh/")
                + """
                s3:
                  endpoint: http://127.0.0.1:9090/
                  region: eu-west-1
                  path-style-access: true
                  access-key-id: ${env:KEY_ID}
                  secret-access-key: ${env:SECRET}
                  multipart-size: 8MiB
                """,
            Map.of("KEY_ID", "AKIA-test", "SECRET", "very-secret-value"));
    assertThat(config.warehouse()).isEqualTo("s3://lake/wh");
    assertThat(config.warehouseOnS3()).isTrue();
    assertThat(config.s3())
        .usingRecursiveComparison()
        .isEqualTo(
            new S3Settings(
                "http://127.0.0.1:9090",
                "eu-west-1",
                true,
                "AKIA-test",
                "very-secret-value",
                8L * 1024 * 1024));
    // SQLite cannot live on S3: the implicit catalog sits beside the config file
    assertThat(config.catalogs().get("local").uri())
        .isEqualTo("jdbc:sqlite:/srv/floe/floe-catalog.db");
    assertThat(config.toString()).doesNotContain("very-secret-value").doesNotContain("AKIA-test");
    assertThat(config.s3().toString()).contains("static").doesNotContain("secret-value");
  }

  @Test
  void s3WarehouseWithoutAnS3BlockUsesTheDefaultAwsChains() {
    FloeConfig config = parse(MINIMAL.replace("warehouse: warehouse", "warehouse: s3://lake"));
    assertThat(config.s3()).isEqualTo(S3Settings.DEFAULTS);
    assertThat(config.s3().hasStaticCredentials()).isFalse();
  }

  @Test
  void localWarehouseHasNoS3Settings() {
    assertThat(parse(MINIMAL).s3()).isNull();
    assertThatThrownBy(() -> parse(MINIMAL + "s3:\n  region: eu-west-1\n"))
        .hasMessageContaining("'s3'")
        .hasMessageContaining("not on S3");
  }

  @Test
  void badS3SettingsNameKeyAndLine() {
    String s3 = MINIMAL.replace("warehouse: warehouse", "warehouse: s3://lake/wh");
    assertThatThrownBy(() -> parse(s3 + "s3:\n  endpont: http://x:9000\n"))
        .hasMessageContaining("'s3.endpont'")
        .hasMessageContaining("line");
    assertThatThrownBy(() -> parse(s3 + "s3:\n  access-key-id: abc\n"))
        .hasMessageContaining("'s3.secret-access-key'")
        .hasMessageContaining("default AWS credentials chain");
    assertThatThrownBy(() -> parse(s3 + "s3:\n  endpoint: minio:9000\n"))
        .hasMessageContaining("not an http(s) URL");
    assertThatThrownBy(() -> parse(s3 + "s3:\n  multipart-size: 1MB\n"))
        .hasMessageContaining("5MiB");
    assertThatThrownBy(() -> parse(s3 + "s3:\n  multipart-size: 3GiB\n"))
        .hasMessageContaining("2GiB");
    assertThatThrownBy(() -> parse(MINIMAL.replace("warehouse: warehouse", "warehouse: s3://L")))
        .hasMessageContaining("valid S3 bucket");
  }

  @Test
  void invalidYamlPointsAtLine() {
    assertThatThrownBy(() -> parse("kafka:\n  a: [1,\n tables: x\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("not valid YAML");
  }

  @Test
  void httpEndpointDefaultsToPort9464AndTakesAnyFreePortOrNone() {
    assertThat(parse(MINIMAL).http()).isEqualTo(HttpSettings.DEFAULT);
    assertThat(parse("http: { port: 0 }\n" + MINIMAL).http())
        .isEqualTo(new HttpSettings("0.0.0.0", 0, true));
    assertThat(parse("http: { port: -1 }\n" + MINIMAL).http().enabled()).isFalse();
    assertThat(parse("http: { port: 8080, host: 127.0.0.1 }\n" + MINIMAL).http())
        .isEqualTo(new HttpSettings("127.0.0.1", 8080, true));

    assertThatThrownBy(() -> parse("http: { port: 70000 }\n" + MINIMAL))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'http.port'")
        .hasMessageContaining("not a TCP port");
    assertThatThrownBy(() -> parse("http: { prot: 80 }\n" + MINIMAL))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("did you mean 'port'");
  }

  @Test
  void mappingsInheritTheTopLevelMaintenanceBlockKeyByKey() {
    FloeConfig config =
        parse(
            MINIMAL.replace(
                    "tables:\n",
                    "maintenance: { compact: \"0 0 * * * ?\", expire-snapshots: 7d, vacuum: 7d }\n"
                        + "tables:\n")
                + "    maintenance: { compact: \"0 */15 * * * ?\", remove-orphans: 3d,"
                + " rewrite-manifests: 100 }\n"
                + "  - topic-pattern: \"web\\\\..*\"\n"
                + "    table: raw.${topic}\n");

    Maintenance own = config.tables().get(0).maintenance();
    assertThat(own)
        .isEqualTo(
            new Maintenance(
                "0 */15 * * * ?",
                java.time.Duration.ofDays(7),
                java.time.Duration.ofDays(3),
                java.time.Duration.ofDays(7),
                100));
    Maintenance inherited = config.tables().get(1).maintenance();
    assertThat(inherited.compact()).isEqualTo("0 0 * * * ?");
    assertThat(inherited.removeOrphans()).isNull();
    assertThat(config.tables().get(1).produces(TableId.parse("raw.web_clicks"))).isTrue();
    assertThat(config.tables().get(1).produces(TableId.parse("sales.web_clicks"))).isFalse();
    assertThat(config.tables().get(0).produces(TableId.parse("sales.orders"))).isTrue();
    assertThat(parse(MINIMAL).tables().get(0).maintenance()).isEqualTo(Maintenance.NONE);
  }

  @Test
  void maintenanceErrorsNameTheKeyAndLine() {
    assertThatThrownBy(() -> parse(MINIMAL + "    maintenance: { compact: \"0 0 25 * * ?\" }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "line 8, 'tables[0].maintenance.compact': '0 0 25 * * ?' is not a cron");
    assertThatThrownBy(
            () -> parse(MINIMAL + "    maintenance: { compact: \"0 0 * * * ?\", vacuum: 10m }\n"))
        .hasMessageContaining("'tables[0].maintenance.vacuum': is shorter than 1h");
    assertThatThrownBy(
            () -> parse(MINIMAL + "    maintenance: { compact: \"0 0 * * * ?\", optimize: 1d }\n"))
        .hasMessageContaining("'tables[0].maintenance.optimize': unknown key");
    assertThatThrownBy(() -> parse(MINIMAL + "    maintenance: { remove-orphans: 3d }\n"))
        .hasMessageContaining("there is no compact schedule");
    assertThatThrownBy(() -> parse("maintenance: { compact: often }\n" + MINIMAL))
        .hasMessageContaining("line 1, 'maintenance.compact'");
  }
}
