package dev.floe.core.sink;

import dev.floe.core.TableId;

/**
 * What one table commit did, for the commit log line, metrics and catalog sync.
 *
 * @param location where the committed state lives: for Iceberg the new metadata file, for Delta the
 *     table's root directory; null when nothing was committed
 * @param columns the table's columns after the commit, for catalogs that list them; empty when
 *     unknown
 */
public record CommitResult(
    TableId table,
    String format,
    long version,
    int dataFiles,
    long records,
    long bytes,
    long millis,
    String location,
    java.util.List<Column> columns) {

  public CommitResult {
    columns = columns == null ? java.util.List.of() : java.util.List.copyOf(columns);
  }

  /** A result without columns. */
  public CommitResult(
      TableId table,
      String format,
      long version,
      int dataFiles,
      long records,
      long bytes,
      long millis,
      String location) {
    this(table, format, version, dataFiles, records, bytes, millis, location, null);
  }

  /** This result with the table's columns. */
  public CommitResult withColumns(java.util.List<Column> tableColumns) {
    return new CommitResult(
        table, format, version, dataFiles, records, bytes, millis, location, tableColumns);
  }

  /** A result that names no location. */
  public CommitResult(
      TableId table,
      String format,
      long version,
      int dataFiles,
      long records,
      long bytes,
      long millis) {
    this(table, format, version, dataFiles, records, bytes, millis, null);
  }
}
