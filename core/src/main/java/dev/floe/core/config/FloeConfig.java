package dev.floe.core.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole validated configuration, parsed once from {@code floe.yaml} by {@link ConfigParser}.
 *
 * @param kafka Kafka client properties (consumer and, for dead letters, producer)
 * @param warehouse root location of table data, e.g. {@code file:///var/lib/floe/warehouse}
 * @param workers consumer threads in this process; each is one member of the consumer group
 * @param unhealthyAfter how long a fault (storage, catalog, registry, broker) may last before Floe
 *     reports itself unhealthy; it keeps retrying either way
 * @param http the metrics, health and status endpoint
 * @param s3 how to reach the object store of an {@code s3://} warehouse; null for a local one
 */
public record FloeConfig(
    Map<String, String> kafka,
    RegistrySettings schemaRegistry,
    String warehouse,
    Map<String, CatalogSettings> catalogs,
    List<TableMapping> tables,
    int workers,
    java.time.Duration unhealthyAfter,
    HttpSettings http,
    S3Settings s3) {

  /** How long a fault may last before Floe reports itself unhealthy, unless configured. */
  public static final java.time.Duration DEFAULT_UNHEALTHY_AFTER = java.time.Duration.ofMinutes(1);

  /** A config with the default health settings. */
  public FloeConfig(
      Map<String, String> kafka,
      RegistrySettings schemaRegistry,
      String warehouse,
      Map<String, CatalogSettings> catalogs,
      List<TableMapping> tables,
      int workers) {
    this(kafka, schemaRegistry, warehouse, catalogs, tables, workers, DEFAULT_UNHEALTHY_AFTER);
  }

  /** A config with the default HTTP endpoint and a local warehouse. */
  public FloeConfig(
      Map<String, String> kafka,
      RegistrySettings schemaRegistry,
      String warehouse,
      Map<String, CatalogSettings> catalogs,
      List<TableMapping> tables,
      int workers,
      java.time.Duration unhealthyAfter) {
    this(
        kafka,
        schemaRegistry,
        warehouse,
        catalogs,
        tables,
        workers,
        unhealthyAfter,
        HttpSettings.DEFAULT,
        null);
  }

  public boolean warehouseOnS3() {
    return warehouse.startsWith("s3://");
  }

  public FloeConfig {
    kafka = Map.copyOf(kafka);
    catalogs = Map.copyOf(catalogs);
    tables = List.copyOf(tables);
  }

  public String groupId() {
    return kafka.get("group.id");
  }

  /** The mappings whose topics include {@code topic}, in file order. */
  public List<TableMapping> mappingsFor(String topic) {
    return tables.stream().filter(m -> m.matches(topic)).toList();
  }

  public Optional<CatalogSettings> catalog(String name) {
    return Optional.ofNullable(catalogs.get(name));
  }

  /** Never prints secrets: Kafka values whose key names a credential are masked. */
  @Override
  public String toString() {
    java.util.Map<String, String> safe = new java.util.TreeMap<>();
    kafka.forEach(
        (k, v) ->
            safe.put(k, k.matches("(?i).*(password|secret|jaas|token|credential).*") ? "****" : v));
    return "FloeConfig[kafka="
        + safe
        + ", schemaRegistry="
        + schemaRegistry
        + ", warehouse="
        + warehouse
        + (s3 == null ? "" : ", s3=" + s3)
        + ", catalogs="
        + catalogs.values()
        + ", tables="
        + tables.size()
        + ", workers="
        + workers
        + "]";
  }
}
