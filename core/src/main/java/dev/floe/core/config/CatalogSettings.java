package dev.floe.core.config;

import java.util.Map;

/**
 * An Iceberg catalog Floe commits to.
 *
 * @param type {@code jdbc} or {@code rest}
 * @param uri JDBC URL or REST base URI
 * @param warehouse JDBC: the table root, null for Floe's warehouse; REST: the warehouse name the
 *     server expects, null for the server's default
 * @param properties further catalog properties passed through unchanged (credentials included)
 */
public record CatalogSettings(
    String name, Type type, String uri, String warehouse, Map<String, String> properties) {
  public enum Type {
    JDBC,
    REST
  }

  public CatalogSettings {
    properties = Map.copyOf(properties);
  }

  @Override
  public String toString() { // properties may hold credentials
    return "CatalogSettings[" + name + ", " + type + ", " + uri + "]";
  }
}
