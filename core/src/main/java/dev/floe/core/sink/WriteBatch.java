package dev.floe.core.sink;

import dev.floe.core.PartitionOffsets;
import dev.floe.core.row.Row;
import dev.floe.core.row.Type;

/**
 * Rows on their way into one table: written to data files as they arrive, made visible by one
 * atomic {@link #commit}. Not thread-safe.
 */
public interface WriteBatch {

  /**
   * Adds a row. {@code schema} is the row's own schema (the same instance for every row decoded
   * with one source schema, so implementations may cache per instance). For a table with key
   * columns ({@link TableSpec#upsert()}) the row replaces the table's row of the same key, and of
   * several rows of one key in a batch only the last is kept.
   */
  void write(Type.Struct schema, Row row);

  /**
   * Names the source schema of the rows that follow, e.g. {@code schema id 42}. When those rows
   * create the table or change its columns, the table records it ({@link
   * dev.floe.core.SchemaChangeException#TABLE_SOURCE_PROPERTY}), so that a later refused change can
   * name the schema the columns came from as well as the new one.
   */
  default void source(String schema) {}

  /**
   * The newest source timestamp (epoch millis) of the batch's records, recorded with the commit so
   * that a table's freshness can be read from the table alone ({@link TableSummary}).
   */
  default void newestRecord(long epochMillis) {}

  /**
   * Deletes the row of a key, for tables with key columns. {@code keySchema} holds the key columns
   * by name; a later {@link #write} of the key brings it back.
   *
   * @throws UnsupportedOperationException for append-only tables
   */
  default void delete(Type.Struct keySchema, Row key) {
    throw new UnsupportedOperationException("this table has no key columns to delete by");
  }

  /**
   * Whether the batch can go on after a write or delete failed: true when the failure was found
   * before anything was written (a bad key, a schema change the table refuses), false when a row
   * was half-written and the batch can only be aborted.
   */
  default boolean usable() {
    return true;
  }

  /** Schema changes (evolutions) the batch's commit applies to the table; for metrics. */
  default int schemaChanges() {
    return 0;
  }

  /** Rows written since the batch started. */
  long records();

  /** Estimated bytes written so far (used for the {@code commit.max-bytes} trigger). */
  long bytes();

  /**
   * Closes the open files and commits them in one table commit that also records {@code next} as
   * the group's offsets. Fencing: the commit goes through only if, for every partition in {@code
   * next}, the table's offset is still the one in {@code expected} (absent in both counts as
   * equal); otherwise the files are deleted and {@link dev.floe.core.CommitFencedException} is
   * thrown. Transient failures are retried inside; a batch is unusable after this call.
   */
  CommitResult commit(String group, PartitionOffsets expected, PartitionOffsets next);

  /** Drops the batch and deletes its files. Safe to call more than once and after a failure. */
  void abort();
}
