package dev.floe.core.sink;

import dev.floe.core.PartitionOffsets;

/**
 * Writes rows into the tables of one format (Iceberg, Delta) and commits them together with the
 * source offsets they cover. Implementations are thread-safe: several consumer workers in one
 * process share a sink, and the sink serializes commits per table.
 */
public interface TableSink extends AutoCloseable {

  /** The format name used in config, e.g. {@code iceberg}. */
  String format();

  /**
   * The offsets that the table's latest commit records for {@code group}: the next offset to read
   * per source partition. Empty when the table does not exist or holds nothing from the group.
   */
  PartitionOffsets committedOffsets(TableSpec table, String group);

  /**
   * Starts a batch of rows for one table. The table is created from the first row's schema when it
   * does not exist. The batch belongs to the calling thread.
   */
  WriteBatch newBatch(TableSpec table);

  /**
   * What the table holds as of its latest commit; null when the table does not exist or the format
   * cannot say.
   */
  default TableSummary summary(TableSpec table) {
    return null;
  }

  /**
   * Compacts a table now (small files bin-packed, deletes applied) and describes what it did in one
   * line; null when this format has no compaction yet. Safe beside ingestion.
   */
  default String compact(TableSpec table) {
    return null;
  }

  /**
   * Expires the table's snapshots older than {@code olderThan}, never the newest commit holding the
   * offsets; describes what it did in one line, or null when this format has no expiry yet.
   */
  default String expireSnapshots(TableSpec table, java.time.Duration olderThan) {
    return null;
  }

  /**
   * Runs one maintenance job on the table now and describes what it did (files and bytes before and
   * after, duration) in one line; null when this format has no such job. Safe beside ingestion.
   *
   * @throws dev.floe.core.TransientException when the job lost a race with a concurrent commit or
   *     storage failed; the table is as it was, and the job can run again
   */
  default String maintain(TableSpec table, MaintenanceJob job) {
    return switch (job.kind()) {
      case COMPACT -> job.dryRun() ? null : compact(table);
      case EXPIRE -> expireSnapshots(table, job.retention());
      default -> null;
    };
  }

  @Override
  void close();
}
