package dev.floe.core.sink;

import dev.floe.core.TableId;

/**
 * What one table commit did, for the commit log line, metrics and catalog sync.
 *
 * @param location where the committed state lives: for Iceberg the new metadata file, for Delta the
 *     table's root directory; null when nothing was committed
 */
public record CommitResult(
    TableId table,
    String format,
    long version,
    int dataFiles,
    long records,
    long bytes,
    long millis,
    String location) {

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
