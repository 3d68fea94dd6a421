package dev.floe.sinks.delta;

import static dev.floe.sinks.iceberg.WarehouseFiles.key;

import dev.floe.core.TableId;
import dev.floe.sinks.iceberg.WarehouseFiles;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.FileInfo;

/**
 * VACUUM: deletes the files under a Delta table that the latest version does not reference, that no
 * version removed within the retention window (readers of those versions may still open them), and
 * that were created before that window (a batch's files are written before its commit lands). Like
 * Delta's own VACUUM, it skips {@code _delta_log} and hidden paths ({@code _}, {@code .}). Files
 * are listed and deleted through the warehouse's FileIO, so a table on S3 is vacuumed like a local
 * one.
 */
final class DeltaVacuum {
  private static final String LOG_DIR = "_delta_log";

  private DeltaVacuum() {}

  /**
   * @param table the table's location: a directory, or {@code s3a://bucket/...} on S3 (the FileIO
   *     that writes its data files reads that scheme too)
   */
  static String run(
      TableId id, String table, FileIO io, TableLog log, Duration retention, boolean dryRun) {
    long start = System.nanoTime();
    if (!log.exists()) {
      return id + ": no Delta table yet, nothing to vacuum";
    }
    long cutoff = System.currentTimeMillis() - retention.toMillis();
    String root = key(table + "/");
    // listed before the log is read: a file committed meanwhile is then either referenced or
    // younger than the window
    List<FileInfo> listed = WarehouseFiles.under(io, table, id);
    Set<String> keep = new HashSet<>();
    for (String p : log.referencedPaths(cutoff)) {
      keep.add(logKey(p, root));
    }
    Set<String> nested = nestedTables(listed, root);
    List<String> unreferenced = new ArrayList<>();
    long bytes = 0;
    int files = 0;
    long bytesTotal = 0;
    for (FileInfo f : listed) {
      String k = key(f.location());
      if (!k.startsWith(root)) {
        continue; // not below the table: nothing a FileIO should list, and nothing to delete
      }
      String relative = k.substring(root.length());
      if (relative.isEmpty() || relative.endsWith("/") || hidden(relative)) {
        continue; // an S3 "directory" marker, or the log and hidden files
      }
      if (insideAny(relative, nested)) {
        continue; // another table's files: its own log references them
      }
      files++;
      bytesTotal += f.size();
      if (!keep.contains(k) && f.createdAtMillis() < cutoff) {
        unreferenced.add(f.location());
        bytes += f.size();
      }
    }
    if (!dryRun) {
      WarehouseFiles.delete(io, unreferenced, id);
    }
    return String.format(
        "%s: %s %d unreferenced files (%.1f MB) older than %s; %d files (%.1f MB) -> %d files"
            + " (%.1f MB), in %d ms",
        id,
        dryRun ? "would vacuum" : "vacuumed",
        unreferenced.size(),
        bytes / 1e6,
        dev.floe.core.Durations.format(retention),
        files,
        bytesTotal / 1e6,
        files - unreferenced.size(),
        (bytesTotal - bytes) / 1e6,
        (System.nanoTime() - start) / 1_000_000);
  }

  /**
   * The {@link WarehouseFiles#key} of a path as {@code add} and {@code remove} actions write it:
   * relative to the table and URI-encoded (a partition value's Hive escape {@code %2F} is written
   * {@code %252F}), or an absolute URI. The FileIO lists decoded keys, so the path is decoded.
   */
  private static String logKey(String path, String root) {
    URI uri = URI.create(path);
    if (!uri.isAbsolute()) {
      return key(root + uri.normalize().getPath());
    }
    String authority = uri.getAuthority() == null ? "" : "//" + uri.getAuthority();
    return key(uri.getScheme() + ":" + authority + uri.getPath());
  }

  /**
   * The directories of other tables nested in this one's (table {@code a.b.c} lives under {@code
   * a.b}'s directory), relative to it: those holding a {@code _delta_log}. A listing has no
   * directories, so a table is recognized by its log's files.
   */
  private static Set<String> nestedTables(List<FileInfo> listed, String root) {
    Set<String> tables = new HashSet<>();
    String log = "/" + LOG_DIR + "/";
    for (FileInfo f : listed) {
      String k = key(f.location());
      int at = k.startsWith(root) ? k.indexOf(log, root.length()) : -1;
      if (at > root.length()) {
        tables.add(k.substring(root.length(), at));
      }
    }
    return tables;
  }

  /** Whether {@code relative} lies in one of the {@code directories}. */
  private static boolean insideAny(String relative, Set<String> directories) {
    for (int slash = relative.indexOf('/'); slash > 0; slash = relative.indexOf('/', slash + 1)) {
      if (directories.contains(relative.substring(0, slash))) {
        return true;
      }
    }
    return false;
  }

  /** Whether a path segment starts with {@code _} or {@code .}: no partition directory does. */
  private static boolean hidden(String relative) {
    for (String segment : relative.split("/")) {
      if (segment.startsWith("_") || segment.startsWith(".")) {
        return true;
      }
    }
    return false;
  }
}
