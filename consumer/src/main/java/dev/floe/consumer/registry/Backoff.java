package dev.floe.consumer.registry;

import java.time.Duration;
import org.slf4j.Logger;

/**
 * Bounded exponential backoff for one retry episode. Logs one line when the episode starts and one
 * when it ends, not one per attempt, so an outage does not flood the log.
 */
final class Backoff {
  private final long maxDelayMillis;
  private final long deadlineNanos;
  private long delayMillis;
  private int attempts;

  Backoff(Duration initial, Duration max, Duration giveUpAfter) {
    this.delayMillis = initial.toMillis();
    this.maxDelayMillis = max.toMillis();
    this.deadlineNanos = System.nanoTime() + giveUpAfter.toNanos();
  }

  /** Sleeps before the next attempt; false when the episode has lasted too long. */
  boolean pause(Logger log, String what, String failure) {
    long leftMillis = (deadlineNanos - System.nanoTime()) / 1_000_000;
    if (leftMillis <= 0) {
      return false;
    }
    if (attempts++ == 0) {
      log.warn("{} failed ({}); retrying with backoff", what, failure);
    }
    try {
      Thread.sleep(Math.min(delayMillis, leftMillis)); // give up on time, not up to one delay late
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    delayMillis = Math.min(maxDelayMillis, delayMillis * 2);
    return true;
  }

  void recovered(Logger log, String what) {
    if (attempts > 0) {
      log.info("{} reachable again after {} retries", what, attempts);
    }
  }
}
