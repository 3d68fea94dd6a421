package dev.floe.core.config;

import java.time.Duration;

/** When a table's open batch is committed: whichever limit is reached first. */
public record CommitPolicy(Duration interval, long maxRecords, long maxBytes) {
  public static final CommitPolicy DEFAULT =
      new CommitPolicy(Duration.ofSeconds(30), 1_000_000, 256L << 20);

  public CommitPolicy {
    if (interval.isNegative() || interval.isZero() || maxRecords <= 0 || maxBytes <= 0) {
      throw new IllegalArgumentException("commit limits must be positive");
    }
  }
}
