package dev.floe.consumer;

/**
 * One table's progress in this process since start, in one format: what {@code floe status} and
 * {@code /status} show.
 *
 * @param lastCommitMillis epoch millis of this process's last commit to the table, 0 before one
 * @param newestRecordMillis the newest Kafka record timestamp committed to the table, 0 before one
 * @param lastError the last bad record or commit failure for the table, null when none
 */
public record TableProgress(
    String table,
    String format,
    long commits,
    long rowsWritten,
    long bytesWritten,
    long lastCommitMillis,
    long newestRecordMillis,
    long deadLetters,
    long skipped,
    long schemaEvolutions,
    long bufferedBytes,
    String lastError) {}
