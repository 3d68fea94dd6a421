package dev.floe.app;

import java.util.List;

/**
 * One table in one format as {@code floe status} shows it; also the JSON of {@code /status} and
 * {@code floe status --json}.
 *
 * @param lastCommitMillis epoch millis of the table's latest commit, null before one
 * @param rows rows in the table's data files (before deletes of upserted tables apply), null when
 *     the table does not exist yet
 * @param lag records of the source partitions not yet in the table
 * @param freshnessSeconds now minus the newest committed record timestamp: the running instance's,
 *     or the one the table's newest Floe commit recorded; null when neither is known
 * @param lastError the last bad record or commit failure seen by the running instance, else null
 */
record TableStatus(
    String table,
    String format,
    Long version,
    Long lastCommitMillis,
    Long rows,
    Long files,
    List<PartitionStatus> partitions,
    long lag,
    Double freshnessSeconds,
    String lastError) {

  /**
   * @param committed the next offset the table holds for the partition, null when none
   * @param end the partition's end offset (last stable offset under read_committed)
   */
  record PartitionStatus(String topic, int partition, Long committed, long end, long lag) {}
}
