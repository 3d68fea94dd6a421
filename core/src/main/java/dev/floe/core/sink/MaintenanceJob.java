package dev.floe.core.sink;

import java.time.Duration;

/**
 * One maintenance job to run on a table now, as {@code floe maintain} or a schedule asks for it.
 *
 * @param retention for the jobs that delete (expire, orphans, vacuum): what is older than this
 *     goes; ignored by the others
 * @param manifestsAbove for {@link Kind#REWRITE_MANIFESTS}: rewrite only when the current snapshot
 *     has more manifests than this (0: always)
 * @param dryRun only report what the job would do
 */
public record MaintenanceJob(Kind kind, Duration retention, int manifestsAbove, boolean dryRun) {

  /** The jobs; a format that has no such job answers null. */
  public enum Kind {
    /** Bin-pack small files, apply deletes (Iceberg) / OPTIMIZE (Delta). */
    COMPACT,
    /** Expire Iceberg snapshots / clean up Delta log versions before the latest checkpoint. */
    EXPIRE,
    /** Delete files under the table that nothing references (Iceberg orphans, Delta VACUUM). */
    ORPHANS,
    /** Write a Delta checkpoint of the latest version. */
    CHECKPOINT,
    /** Delta VACUUM; on Iceberg the same as {@link #ORPHANS}. */
    VACUUM,
    /** Rewrite Iceberg manifests into fewer. */
    REWRITE_MANIFESTS
  }

  public static MaintenanceJob of(Kind kind) {
    return new MaintenanceJob(kind, null, 0, false);
  }
}
