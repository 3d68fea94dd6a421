package dev.floe.sinks.delta;

import dev.floe.core.TableId;
import dev.floe.sinks.iceberg.WarehouseFiles;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.FileInfo;

/**
 * Log cleanup: deletes the commit and checkpoint files of the versions before the latest checkpoint
 * that are older than a retention, as Delta's {@code delta.logRetentionDuration} does, with one
 * more rule: the newest Floe commit stays, since its {@code commitInfo} lists the partitions whose
 * offsets the table holds. Readers of the latest version start from the checkpoint and never need
 * what goes; time travel before it does. The log is listed and cleaned through the warehouse's
 * FileIO, on a local disk or on S3 alike.
 */
final class DeltaLogCleanup {
  private static final Pattern LOG_FILE =
      Pattern.compile("\\.?(\\d{20})\\.(json|checkpoint(\\.\\d+\\.\\d+)?\\.parquet)(\\.crc)?");

  private DeltaLogCleanup() {}

  /**
   * @param table the table's location: a directory, or {@code s3a://bucket/...} on S3
   */
  static String run(
      TableId id, String table, FileIO io, TableLog log, Duration retention, boolean dryRun) {
    long start = System.nanoTime();
    if (!log.exists()) {
      return id + ": no Delta table yet, no log to clean up";
    }
    long cutoff = System.currentTimeMillis() - retention.toMillis();
    List<LogFile> listed = list(id, table, io);
    long checkpoint = latestCheckpoint(listed, cutoff);
    long floeCommit = log.newestFloeCommit();
    long keepFrom = floeCommit < 0 ? checkpoint : Math.min(checkpoint, floeCommit);
    List<String> expired = new ArrayList<>();
    for (LogFile f : listed) {
      if (f.version() < keepFrom && f.createdAtMillis() < cutoff) {
        expired.add(f.location());
      }
    }
    if (!dryRun) {
      WarehouseFiles.delete(io, expired, id);
    }
    return String.format(
        "%s: %s %d log files of versions before %d older than %s; %d -> %d log files, in %d ms",
        id,
        dryRun ? "would delete" : "deleted",
        expired.size(),
        Math.max(keepFrom, 0),
        dev.floe.core.Durations.format(retention),
        listed.size(),
        listed.size() - expired.size(),
        (System.nanoTime() - start) / 1_000_000);
  }

  /** A commit, checkpoint (part) or checksum file of the log. */
  private record LogFile(String location, long version, boolean checkpoint, long createdAtMillis) {}

  /**
   * The commit and checkpoint files directly in {@code _delta_log}: a listing reaches every depth,
   * and what lies deeper (Delta's {@code _commits/} of newer protocols) is not this job's.
   */
  private static List<LogFile> list(TableId id, String table, FileIO io) {
    List<LogFile> files = new ArrayList<>();
    String dir = WarehouseFiles.key(table + "/_delta_log/");
    for (FileInfo f : WarehouseFiles.under(io, table + "/_delta_log", id)) {
      String k = WarehouseFiles.key(f.location());
      if (!k.startsWith(dir)) {
        continue;
      }
      Matcher m = LOG_FILE.matcher(k.substring(dir.length()));
      if (m.matches()) {
        files.add(
            new LogFile(
                f.location(),
                Long.parseLong(m.group(1)),
                m.group(2).startsWith("checkpoint") && m.group(4) == null,
                f.createdAtMillis()));
      }
    }
    return files;
  }

  /**
   * The version of the newest checkpoint written before {@code cutoff}, or -1: without one, every
   * commit is needed. Not simply the newest: a reader that listed the log just before a newer
   * checkpoint appeared still reads the one before it, so that one goes only once it is older than
   * the retention too.
   */
  private static long latestCheckpoint(List<LogFile> files, long cutoff) {
    long latest = -1;
    for (LogFile f : files) {
      if (f.checkpoint() && f.createdAtMillis() < cutoff) {
        latest = Math.max(latest, f.version());
      }
    }
    return latest;
  }
}
