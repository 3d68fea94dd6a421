package dev.floe.sinks.iceberg;

import static dev.floe.sinks.iceberg.WarehouseFiles.key;

import dev.floe.core.TableId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.ManifestContent;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.ManifestReader;
import org.apache.iceberg.PartitionStatisticsFile;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.StatisticsFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.FileInfo;

/**
 * Orphan-file removal without Spark: lists every file under the table location and deletes those
 * that no valid snapshot or metadata file reaches (manifest lists, manifests, data and delete files
 * of every snapshot, the current and previous metadata files, statistics) and that were created
 * before the safety window. Only the table's {@code data/} and {@code metadata/} directories are
 * candidates: another table may be nested under this one's location. The window protects the files
 * of a commit in progress: a batch writes its data files before its snapshot exists.
 */
final class OrphanFiles {
  private OrphanFiles() {}

  static String run(TableId id, Table table, Duration olderThan, boolean dryRun) {
    long start = System.nanoTime();
    table.refresh();
    FileIO io = table.io();
    long cutoff = System.currentTimeMillis() - olderThan.toMillis();
    // listed before the reachable set is read: a file committed meanwhile is then either reachable
    // or younger than the window
    String prefix = table.location().endsWith("/") ? table.location() : table.location() + "/";
    List<FileInfo> listed = WarehouseFiles.under(io, prefix, id);
    Set<String> reachable = reachable(table);
    List<FileInfo> orphans = new ArrayList<>();
    long bytes = 0;
    long bytesTotal = 0;
    int candidates = 0;
    String data = key(prefix + "data/");
    String metadata = key(prefix + "metadata/");
    for (FileInfo f : listed) {
      String k = key(f.location());
      if (!k.startsWith(data) && !k.startsWith(metadata)) {
        continue; // not Iceberg's layout: another table nested under this one (a.b.c under a.b)
      }
      candidates++;
      bytesTotal += f.size();
      if (f.createdAtMillis() < cutoff && !reachable.contains(k)) {
        orphans.add(f);
        bytes += f.size();
      }
    }
    if (!dryRun) {
      WarehouseFiles.delete(io, orphans.stream().map(FileInfo::location).toList(), id);
    }
    return String.format(
        "%s: %s %d orphan files (%.1f MB) older than %s; %d files (%.1f MB) -> %d files (%.1f MB),"
            + " in %d ms",
        id,
        dryRun ? "would remove" : "removed",
        orphans.size(),
        bytes / 1e6,
        dev.floe.core.Durations.format(olderThan),
        candidates,
        bytesTotal / 1e6,
        candidates - orphans.size(),
        (bytesTotal - bytes) / 1e6,
        (System.nanoTime() - start) / 1_000_000);
  }

  /** Every file the table's metadata reaches, as {@link #key}s. */
  static Set<String> reachable(Table table) {
    Set<String> files = new HashSet<>();
    TableMetadata meta = ((HasTableOperations) table).operations().current();
    files.add(key(meta.metadataFileLocation()));
    meta.previousFiles().forEach(e -> files.add(key(e.file())));
    for (StatisticsFile s : meta.statisticsFiles()) {
      files.add(key(s.path()));
    }
    for (PartitionStatisticsFile s : meta.partitionStatisticsFiles()) {
      files.add(key(s.path()));
    }
    Set<String> manifests = new HashSet<>();
    try {
      for (Snapshot s : table.snapshots()) {
        if (s.manifestListLocation() != null) {
          files.add(key(s.manifestListLocation()));
        }
        for (ManifestFile m : s.allManifests(table.io())) {
          if (!manifests.add(m.path())) {
            continue; // shared by several snapshots: read once
          }
          files.add(key(m.path()));
          if (m.content() == ManifestContent.DATA) {
            try (ManifestReader<DataFile> r = ManifestFiles.read(m, table.io(), table.specs())) {
              r.forEach(f -> files.add(key(f.location())));
            }
          } else {
            try (ManifestReader<DeleteFile> r =
                ManifestFiles.readDeleteManifest(m, table.io(), table.specs())) {
              r.forEach(f -> files.add(key(f.location())));
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the manifests of " + table.name(), e);
    }
    return files;
  }
}
