package dev.floe.app;

import dev.floe.consumer.PipelineStats;
import java.time.Duration;

/**
 * How far {@code floe run} is through its backlog: records read and committed, the backlog (the
 * records of the assigned partitions not yet in all of their tables), the read rate since the last
 * report and the time the backlog takes at that rate. Not thread-safe: one per reporting thread.
 */
final class CatchUpProgress {
  /** A backlog worth a live progress line on a terminal. */
  static final long LARGE_BACKLOG = 10_000;

  private final PipelineStats stats;
  private long lastRead = -1;
  private long lastNanos;

  CatchUpProgress(PipelineStats stats) {
    this.stats = stats;
  }

  /** The progress line; the rate is over the time since the previous call. */
  String line() {
    long now = System.nanoTime();
    long read = stats.recordsRead();
    long backlog = stats.totalLag();
    StringBuilder line =
        new StringBuilder()
            .append("Progress: ")
            .append(read)
            .append(" records read, ")
            .append(stats.totalRowsCommitted())
            .append(" rows committed in ")
            .append(stats.commits())
            .append(" commits; backlog ")
            .append(backlog)
            .append(" records");
    if (lastRead >= 0 && now > lastNanos) {
      double rate = (read - lastRead) * 1e9 / (now - lastNanos);
      line.append(String.format(", %.0f records/s", rate));
      if (backlog > 0) {
        line.append(", ETA ").append(rate < 1 ? "unknown" : eta(backlog / rate));
      }
    }
    lastRead = read;
    lastNanos = now;
    return line.toString();
  }

  boolean largeBacklog() {
    return stats.totalLag() >= LARGE_BACKLOG;
  }

  static String eta(double seconds) {
    Duration d = Duration.ofSeconds((long) Math.ceil(seconds));
    if (d.toHours() > 0) {
      return d.toHours() + "h" + d.toMinutesPart() + "m";
    }
    return d.toMinutes() > 0 ? d.toMinutes() + "m" + d.toSecondsPart() + "s" : d.toSeconds() + "s";
  }
}
