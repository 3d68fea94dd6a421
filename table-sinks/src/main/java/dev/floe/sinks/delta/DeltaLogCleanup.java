package dev.floe.sinks.delta;

import dev.floe.core.TableId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Log cleanup: deletes the commit and checkpoint files of the versions before the latest checkpoint
 * that are older than a retention, as Delta's {@code delta.logRetentionDuration} does, with one
 * more rule: the newest Floe commit stays, since its {@code commitInfo} lists the partitions whose
 * offsets the table holds. Readers of the latest version start from the checkpoint and never need
 * what goes; time travel before it does.
 */
final class DeltaLogCleanup {
  private static final Pattern LOG_FILE =
      Pattern.compile("\\.?(\\d{20})\\.(json|checkpoint(\\.\\d+\\.\\d+)?\\.parquet)(\\.crc)?");

  private DeltaLogCleanup() {}

  static String run(TableId id, Path table, TableLog log, Duration retention, boolean dryRun) {
    long start = System.nanoTime();
    if (!log.exists()) {
      return id + ": no Delta table yet, no log to clean up";
    }
    Path dir = table.resolve("_delta_log");
    long cutoff = System.currentTimeMillis() - retention.toMillis();
    long checkpoint = latestCheckpoint(dir, cutoff);
    long floeCommit = log.newestFloeCommit();
    long keepFrom = floeCommit < 0 ? checkpoint : Math.min(checkpoint, floeCommit);
    List<Path> expired = new ArrayList<>();
    int files = 0;
    try (Stream<Path> list = Files.list(dir)) {
      for (Path f : (Iterable<Path>) list::iterator) {
        Matcher m = LOG_FILE.matcher(f.getFileName().toString());
        if (!m.matches()) {
          continue;
        }
        files++;
        if (Long.parseLong(m.group(1)) < keepFrom
            && Files.getLastModifiedTime(f).toMillis() < cutoff) {
          expired.add(f);
        }
      }
      if (!dryRun) {
        for (Path f : expired) {
          Files.deleteIfExists(f);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot clean up the log of Delta table " + id, e);
    }
    return String.format(
        "%s: %s %d log files of versions before %d older than %s; %d -> %d log files, in %d ms",
        id,
        dryRun ? "would delete" : "deleted",
        expired.size(),
        Math.max(keepFrom, 0),
        dev.floe.core.Durations.format(retention),
        files,
        files - expired.size(),
        (System.nanoTime() - start) / 1_000_000);
  }

  /**
   * The version of the newest checkpoint written before {@code cutoff}, or -1: without one, every
   * commit is needed. Not simply the newest: a reader that listed the log just before a newer
   * checkpoint appeared still reads the one before it, so that one goes only once it is older than
   * the retention too.
   */
  private static long latestCheckpoint(Path dir, long cutoff) {
    long latest = -1;
    try (Stream<Path> list = Files.list(dir)) {
      for (Path f : (Iterable<Path>) list::iterator) {
        Matcher m = LOG_FILE.matcher(f.getFileName().toString());
        if (m.matches()
            && m.group(2).startsWith("checkpoint")
            && m.group(4) == null
            && Files.getLastModifiedTime(f).toMillis() < cutoff) {
          latest = Math.max(latest, Long.parseLong(m.group(1)));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list the log of Delta table at " + dir, e);
    }
    return latest;
  }
}
