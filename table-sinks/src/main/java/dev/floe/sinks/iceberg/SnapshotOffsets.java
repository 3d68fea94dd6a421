package dev.floe.sinks.iceberg;

import dev.floe.core.Errors;
import dev.floe.core.PartitionOffsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;

/**
 * Floe's offsets in Iceberg snapshot summaries. Every Floe commit stores, per consumer group, the
 * group's whole offsets map ({@code floe.offsets.<group>} = {@code {"topic":{"0":123}}}), copied
 * forward from the previous Floe snapshot and overlaid with the batch's own partitions, so that the
 * newest Floe snapshot alone answers. Snapshots written by other tools (compaction, expiry of
 * deletes) carry no such key: readers walk back through their ancestors.
 */
final class SnapshotOffsets {
  static final String OFFSETS_PREFIX = "floe.offsets.";
  static final String GROUP = "floe.group";
  static final String COMMIT_ID = "floe.commit-id";

  /** The newest source record timestamp (epoch millis) of a Floe commit. */
  static final String NEWEST_RECORD = "floe.newest-record-ms";

  private SnapshotOffsets() {}

  /**
   * The group's offsets as of {@code snapshot}: from it, or from its nearest ancestor that has
   * them.
   */
  static PartitionOffsets read(Table table, Snapshot snapshot, String group) {
    String key = OFFSETS_PREFIX + group;
    for (Snapshot s = snapshot; s != null; s = parent(table, s)) {
      String json = s.summary().get(key);
      if (json != null) {
        return parse(table, s, json);
      }
    }
    return PartitionOffsets.empty();
  }

  /**
   * The summary entries of a new commit on top of {@code base}: every group's offsets from the
   * nearest Floe snapshot, with {@code group}'s overlaid by {@code next}.
   */
  static Map<String, String> summary(
      Table table, Snapshot base, String group, PartitionOffsets next, String commitId) {
    Map<String, String> summary = new HashMap<>();
    for (Snapshot s = base; s != null; s = parent(table, s)) {
      if (s.summary().containsKey(COMMIT_ID)) {
        s.summary()
            .forEach(
                (k, v) -> {
                  if (k.startsWith(OFFSETS_PREFIX)) {
                    summary.put(k, v);
                  }
                });
        break;
      }
    }
    PartitionOffsets merged = read(table, base, group).with(next);
    summary.put(OFFSETS_PREFIX + group, format(merged));
    summary.put(GROUP, group);
    summary.put(COMMIT_ID, commitId);
    return summary;
  }

  static String format(PartitionOffsets offsets) {
    return offsets.toJson();
  }

  private static PartitionOffsets parse(Table table, Snapshot s, String json) {
    try {
      return PartitionOffsets.fromJson(json);
    } catch (IllegalArgumentException e) {
      throw Errors.of(
          "Table "
              + table.name()
              + " snapshot "
              + s.snapshotId()
              + " has unreadable Floe offsets: "
              + json,
          "restore the summary or roll the table back to a snapshot Floe wrote",
          e);
    }
  }

  private static Snapshot parent(Table table, Snapshot s) {
    return s.parentId() == null ? null : table.snapshot(s.parentId()); // null once expired
  }
}
