package dev.floe.app;

import dev.floe.core.TableId;
import dev.floe.core.config.CatalogSettings;
import dev.floe.core.config.FloeConfig;
import dev.floe.sinks.delta.DeltaTableSink;
import dev.floe.testsupport.SparkSql;

/** Spark 4.0 local, pointed at a config's embedded catalog and warehouse. */
final class SparkReads {
  private SparkReads() {}

  /** A Spark reader that finds Iceberg tables by name in the config's local catalog. */
  static SparkSql spark(FloeConfig config) {
    CatalogSettings local = config.catalogs().get("local");
    return SparkSql.withIcebergCatalog(
        local.name(),
        local.uri(),
        local.warehouse() != null ? local.warehouse() : config.warehouse());
  }

  /** The Spark SQL name of a mapping's Iceberg table: by name, through the catalog. */
  static String iceberg(String table) {
    return "local." + table;
  }

  /** The Spark SQL name of a mapping's Delta table: by path. */
  static String delta(FloeConfig config, String table) {
    return SparkSql.delta(DeltaTableSink.location(config.warehouse(), TableId.parse(table)));
  }
}
