package dev.floe.catalogsync;

import dev.floe.core.TableId;
import dev.floe.core.sink.Column;
import java.util.List;

/**
 * The newest committed state of one table, as a catalog should point at it.
 *
 * @param format {@code iceberg} or {@code delta}
 * @param location Iceberg: the metadata file; Delta: the table's root directory
 * @param columns the table's columns in Hive type syntax, for Glue and Hive; empty when unknown
 */
record TableState(TableId id, String format, String location, List<Column> columns) {
  TableState(TableId id, String format, String location) {
    this(id, format, location, List.of());
  }

  boolean iceberg() {
    return format.equals("iceberg");
  }

  /** The table's root: Iceberg keeps its metadata files in {@code <root>/metadata/}. */
  String root() {
    return iceberg() ? MetadataFiles.tableRoot(location) : location;
  }
}
