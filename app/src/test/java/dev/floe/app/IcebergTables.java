package dev.floe.app;

import dev.floe.core.config.FloeConfig;
import dev.floe.sinks.iceberg.IcebergCatalogs;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;

/**
 * Reads tables back with Iceberg's own generic reader: the independent check of what Floe wrote.
 */
final class IcebergTables {
  private IcebergTables() {}

  static Table load(FloeConfig config, String table) {
    Catalog catalog = IcebergCatalogs.load(config, config.tables().get(0).catalog());
    try {
      return catalog.loadTable(TableIdentifier.parse(table));
    } finally {
      closeQuietly(catalog);
    }
  }

  static boolean exists(FloeConfig config, String table) {
    Catalog catalog = IcebergCatalogs.load(config, config.tables().get(0).catalog());
    try {
      return catalog.tableExists(TableIdentifier.parse(table));
    } finally {
      closeQuietly(catalog);
    }
  }

  /** Rows in the table's current snapshot, from its summary (cheap enough to poll); 0 if none. */
  static long rowCount(FloeConfig config, String table) {
    if (!exists(config, table)) {
      return 0;
    }
    var snapshot = load(config, table).currentSnapshot();
    return snapshot == null
        ? 0
        : Long.parseLong(snapshot.summary().getOrDefault("total-records", "0"));
  }

  /** The offsets the table's latest commit records for the config's group. */
  static dev.floe.core.PartitionOffsets committed(FloeConfig config, String table) {
    try (dev.floe.sinks.iceberg.IcebergTableSink sink =
        new dev.floe.sinks.iceberg.IcebergTableSink(config)) {
      return sink.committedOffsets(
          new dev.floe.core.sink.TableSpec(
              dev.floe.core.TableId.parse(table),
              config.tables().get(0).catalog(),
              List.of(),
              1,
              java.util.Map.of()),
          config.groupId());
    }
  }

  static List<Record> rows(FloeConfig config, String table) {
    if (!exists(config, table)) {
      return List.of();
    }
    List<Record> rows = new ArrayList<>();
    try (CloseableIterable<Record> records = IcebergGenerics.read(load(config, table)).build()) {
      records.forEach(r -> rows.add(r.copy()));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return rows;
  }

  /** The (partition, offset) of a row, from its {@code _kafka} column. */
  static String position(Record row) {
    Record kafka = (Record) row.getField("_kafka");
    return kafka.getField("partition") + "/" + kafka.getField("offset");
  }

  private static void closeQuietly(Catalog catalog) {
    if (catalog instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception ignored) {
        // read-only use; nothing to lose
      }
    }
  }
}
