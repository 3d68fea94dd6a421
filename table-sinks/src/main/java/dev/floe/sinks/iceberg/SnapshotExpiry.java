package dev.floe.sinks.iceberg;

import dev.floe.core.TableId;
import java.time.Duration;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;

/**
 * Expires snapshots older than a retention age, never the newest Floe commit: its summary holds
 * every group's offsets, which later snapshots (compactions, other tools) do not repeat, so the
 * cutoff moves back to it when needed. Unreferenced files of expired snapshots are deleted.
 */
final class SnapshotExpiry {
  private SnapshotExpiry() {}

  /** Expires and returns how many snapshots went. */
  static int run(TableId id, Table table, Duration olderThan) {
    table.refresh();
    Snapshot current = table.currentSnapshot();
    if (current == null) {
      return 0;
    }
    long cutoff = System.currentTimeMillis() - olderThan.toMillis();
    for (Snapshot s = current;
        s != null;
        s = s.parentId() == null ? null : table.snapshot(s.parentId())) {
      if (s.summary().containsKey(SnapshotOffsets.COMMIT_ID)) {
        cutoff = Math.min(cutoff, s.timestampMillis()); // keep the newest Floe commit
        break;
      }
    }
    int before = count(table);
    table.expireSnapshots().expireOlderThan(cutoff).retainLast(1).commit();
    table.refresh();
    return before - count(table);
  }

  private static int count(Table table) {
    int n = 0;
    for (Snapshot ignored : table.snapshots()) {
      n++;
    }
    return n;
  }
}
