package dev.floe.sinks.iceberg;

/**
 * What one compaction of a table did (or, in a dry run, would do).
 *
 * @param snapshotId the compaction's snapshot, or -1 when nothing was committed
 */
public record CompactionReport(
    String table,
    int partitions,
    int dataFilesBefore,
    long bytesBefore,
    int deleteFilesRemoved,
    int dataFilesAfter,
    long bytesAfter,
    long rowsWritten,
    long deletesApplied,
    long millis,
    long snapshotId,
    boolean dryRun) {

  /** One line for the log and the command line. */
  public String describe() {
    if (partitions == 0) {
      return table + ": nothing to compact";
    }
    return String.format(
        "%s: %s %d partition(s): %d data files (%.1f MB) and %d delete files -> %d data files"
            + " (%.1f MB), %d rows, %d deleted rows dropped, in %d ms%s",
        table,
        dryRun ? "would compact" : "compacted",
        partitions,
        dataFilesBefore,
        bytesBefore / 1e6,
        deleteFilesRemoved,
        dataFilesAfter,
        bytesAfter / 1e6,
        rowsWritten,
        deletesApplied,
        millis,
        snapshotId >= 0 ? " (snapshot " + snapshotId + ")" : "");
  }
}
