package dev.floe.core.config;

import java.time.Duration;
import java.util.Map;

/**
 * A catalog: the home of Iceberg tables that Floe commits to ({@code jdbc}, {@code rest}), or a
 * mirror that catalog sync keeps pointing at the newest table state (any type, see {@code
 * register-in}).
 *
 * @param type the catalog protocol
 * @param uri JDBC URL, REST base URI or Hive Metastore thrift URI; for Glue the endpoint override,
 *     null for AWS's regional endpoint
 * @param warehouse JDBC: the table root, null for Floe's warehouse; REST: the warehouse name the
 *     server expects, null for the server's default
 * @param properties further catalog properties passed through unchanged (credentials included)
 * @param syncInterval as a mirror: at most one sync per table in this interval, however often the
 *     table commits
 * @param refreshInterval as a mirror: every table synced since start is synced again this often,
 *     which repairs changes made to the catalog by others
 */
public record CatalogSettings(
    String name,
    Type type,
    String uri,
    String warehouse,
    Map<String, String> properties,
    Duration syncInterval,
    Duration refreshInterval) {
  public static final Duration DEFAULT_SYNC_INTERVAL = Duration.ofSeconds(10);
  public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofMinutes(10);

  public enum Type {
    JDBC,
    REST,
    /** Hive Metastore (thrift): a mirror only. */
    HIVE,
    /** AWS Glue Data Catalog, native API: a mirror only. */
    GLUE;

    /** Whether Floe can commit Iceberg tables to a catalog of this type. */
    public boolean canBeHome() {
      return this == JDBC || this == REST;
    }

    /** Whether the catalog can hold Delta tables (as external tables with a location). */
    public boolean holdsDelta() {
      return this == HIVE || this == GLUE;
    }
  }

  /** A catalog with the default sync intervals. */
  public CatalogSettings(
      String name, Type type, String uri, String warehouse, Map<String, String> properties) {
    this(name, type, uri, warehouse, properties, DEFAULT_SYNC_INTERVAL, DEFAULT_REFRESH_INTERVAL);
  }

  public CatalogSettings {
    properties = Map.copyOf(properties);
  }

  /** The type as written in config, e.g. {@code rest}. */
  public String typeName() {
    return type.name().toLowerCase(java.util.Locale.ROOT);
  }

  @Override
  public String toString() { // properties may hold credentials
    return "CatalogSettings[" + name + ", " + type + ", " + uri + "]";
  }
}
