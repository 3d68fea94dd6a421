package dev.floe.app;

import java.io.PrintWriter;

/**
 * Start, progress and finish lines of a long one-off command ({@code floe maintain}, {@code floe
 * replay-dlq}) on stderr, so that stdout keeps only the result a script reads.
 */
final class JobProgress {
  private static final long EVERY_NANOS = 5_000_000_000L;

  private final PrintWriter err;
  private final String job;
  private final long startedNanos = System.nanoTime();
  private long reportedNanos = startedNanos;

  private JobProgress(PrintWriter err, String job) {
    this.err = err;
    this.job = job;
  }

  static JobProgress start(PrintWriter err, String job) {
    err.printf("%s: started%n", job);
    err.flush();
    return new JobProgress(err, job);
  }

  /** Prints {@code line} if the last progress line is at least 5 s old. */
  void update(java.util.function.Supplier<String> line) {
    long now = System.nanoTime();
    if (now - reportedNanos >= EVERY_NANOS) {
      reportedNanos = now;
      err.printf("%s: %s (%s elapsed)%n", job, line.get(), elapsed(now));
      err.flush();
    }
  }

  void finished(String outcome) {
    err.printf("%s: %s after %s%n", job, outcome, elapsed(System.nanoTime()));
    err.flush();
  }

  private String elapsed(long now) {
    return String.format("%.1f s", (now - startedNanos) / 1e9);
  }
}
