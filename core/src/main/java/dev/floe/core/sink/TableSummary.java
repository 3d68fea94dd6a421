package dev.floe.core.sink;

/**
 * What a table holds as of its latest commit, for {@code floe status}.
 *
 * @param version the snapshot id (Iceberg) or log version (Delta) of the latest commit
 * @param lastCommitMillis epoch millis of the latest commit
 * @param rows rows in the table's data files (before deletes of upserted tables are applied)
 * @param files data files
 * @param newestRecordMillis the newest source record timestamp a Floe commit recorded, 0 if none
 * @param location where the latest state lives, as {@link CommitResult#location()} names it
 */
public record TableSummary(
    String format,
    long version,
    long lastCommitMillis,
    long rows,
    long files,
    long newestRecordMillis,
    String location) {}
