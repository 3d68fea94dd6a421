package dev.floe.catalogsync;

import dev.floe.core.TableId;

/**
 * The newest committed state of one table, as a catalog should point at it.
 *
 * @param format {@code iceberg} or {@code delta}
 * @param location Iceberg: the metadata file; Delta: the table's root directory
 */
record TableState(TableId id, String format, String location) {
  boolean iceberg() {
    return format.equals("iceberg");
  }

  /** The table's root: Iceberg keeps its metadata files in {@code <root>/metadata/}. */
  String root() {
    return iceberg() ? MetadataFiles.tableRoot(location) : location;
  }
}
