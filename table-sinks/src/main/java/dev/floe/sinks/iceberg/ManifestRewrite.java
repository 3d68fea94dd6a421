package dev.floe.sinks.iceberg;

import dev.floe.core.TableId;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;

/**
 * Rewrites the current snapshot's data manifests into fewer, clustered by partition, when there are
 * more than a threshold: every commit adds one, and planning a scan reads them all. Iceberg's
 * {@code RewriteManifests} commits with optimistic concurrency and changes no rows.
 */
final class ManifestRewrite {
  private ManifestRewrite() {}

  static String run(TableId id, Table table, int above, boolean dryRun) {
    long start = System.nanoTime();
    table.refresh();
    Snapshot current = table.currentSnapshot();
    int before = current == null ? 0 : current.dataManifests(table.io()).size();
    long bytesBefore = bytes(table, current);
    if (current == null || before <= Math.max(above, 1)) {
      return String.format(
          "%s: %d data manifests, not more than %d: nothing to rewrite", id, before, above);
    }
    if (dryRun) {
      return String.format(
          "%s: would rewrite %d data manifests (%.1f KB)", id, before, bytesBefore / 1e3);
    }
    table
        .rewriteManifests()
        .clusterBy(f -> f.partition().toString())
        .set("floe.operation", "rewrite-manifests")
        .commit();
    table.refresh();
    Snapshot after = table.currentSnapshot();
    return String.format(
        "%s: rewrote %d data manifests (%.1f KB) -> %d (%.1f KB), in %d ms (snapshot %d)",
        id,
        before,
        bytesBefore / 1e3,
        after.dataManifests(table.io()).size(),
        bytes(table, after) / 1e3,
        (System.nanoTime() - start) / 1_000_000,
        after.snapshotId());
  }

  private static long bytes(Table table, Snapshot s) {
    return s == null
        ? 0
        : s.dataManifests(table.io()).stream().mapToLong(ManifestFile::length).sum();
  }
}
