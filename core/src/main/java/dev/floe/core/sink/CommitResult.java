package dev.floe.core.sink;

import dev.floe.core.TableId;

/** What one table commit did, for the commit log line and metrics. */
public record CommitResult(
    TableId table,
    String format,
    long version,
    int dataFiles,
    long records,
    long bytes,
    long millis) {}
