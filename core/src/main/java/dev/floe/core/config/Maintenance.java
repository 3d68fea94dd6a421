package dev.floe.core.config;

import java.time.Duration;

/**
 * A mapping's {@code maintenance} block (or the top-level one it inherits): when its tables are
 * compacted, and what runs after each scheduled compaction.
 *
 * @param compact a Quartz cron expression, or null when the tables are not maintained on a schedule
 * @param expireSnapshots Iceberg snapshots, and Delta log versions before the latest checkpoint,
 *     older than this go; null keeps them
 * @param removeOrphans Iceberg files that no snapshot or metadata references and older than this
 *     go; null keeps them
 * @param vacuum Delta data files that the latest version does not reference, removed longer ago
 *     than this (or never added), go; null keeps them
 * @param rewriteManifestsAbove Iceberg manifests are rewritten when the current snapshot has more
 *     than this many; 0 never rewrites them
 */
public record Maintenance(
    String compact,
    Duration expireSnapshots,
    Duration removeOrphans,
    Duration vacuum,
    int rewriteManifestsAbove) {

  /** No scheduled maintenance. */
  public static final Maintenance NONE = new Maintenance(null, null, null, null, 0);

  /**
   * Orphan and vacuum retentions below this could delete the files of a commit in progress, or
   * files a reader of the previous version still opens; only {@code floe maintain --force} goes
   * lower.
   */
  public static final Duration MINIMUM_RETENTION = Duration.ofHours(1);

  /** Whether the tables are maintained on a schedule. */
  public boolean scheduled() {
    return compact != null;
  }
}
