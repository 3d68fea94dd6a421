package dev.floe.consumer;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's transient faults as episodes: the first failure of an episode is logged with its
 * cause, later ones only every minute; each pause doubles (100 ms up to 30 s, short of the
 * consumer's poll interval); past {@code unhealthyAfter} the pipeline reports itself unhealthy, and
 * the first success ends the episode with one line saying how long it lasted. Not thread-safe: one
 * per worker.
 */
final class FaultEpisodes {
  private static final Logger LOG = LoggerFactory.getLogger(FaultEpisodes.class);
  private static final long FIRST_PAUSE_MS = 100;
  private static final long MAX_PAUSE_MS = 30_000;
  private static final long LOG_EVERY_NANOS = 60_000_000_000L;

  private final String worker;
  private final Duration unhealthyAfter;
  private final PipelineStats stats;
  private long startedNanos = -1;
  private long lastLogNanos;
  private int failures;
  private boolean unhealthy;

  FaultEpisodes(String worker, Duration unhealthyAfter, PipelineStats stats) {
    this.worker = worker;
    this.unhealthyAfter = unhealthyAfter;
    this.stats = stats;
  }

  /** Records a failure and waits before the next attempt. */
  void failed(RuntimeException e) throws InterruptedException {
    long now = System.nanoTime();
    failures++;
    if (startedNanos < 0) {
      startedNanos = now;
      lastLogNanos = now;
      LOG.warn(
          "{}: {}; dropping the open batches and retrying from the tables' offsets (nothing is"
              + " skipped)",
          worker,
          e.getMessage(),
          e);
    } else if (now - lastLogNanos >= LOG_EVERY_NANOS) {
      lastLogNanos = now;
      LOG.warn(
          "{}: still failing after {} attempts over {} s: {}",
          worker,
          failures,
          (now - startedNanos) / 1_000_000_000L,
          e.getMessage());
    }
    if (!unhealthy && now - startedNanos >= unhealthyAfter.toNanos()) {
      unhealthy = true;
      stats.unhealthy(worker);
      LOG.error(
          "{}: unhealthy: failing for more than {} (health.unhealthy-after); still retrying",
          worker,
          dev.floe.core.Durations.format(unhealthyAfter));
    }
    long pause = Math.min(MAX_PAUSE_MS, FIRST_PAUSE_MS << Math.min(failures - 1, 20));
    Thread.sleep(pause);
  }

  /** Ends the current episode, if any. */
  void succeeded() {
    if (startedNanos < 0) {
      return;
    }
    LOG.info(
        "{}: recovered after {} failed attempts over {} ms",
        worker,
        failures,
        (System.nanoTime() - startedNanos) / 1_000_000);
    if (unhealthy) {
      stats.healthy(worker);
    }
    startedNanos = -1;
    failures = 0;
    unhealthy = false;
  }
}
