package dev.floe.sinks.delta;

import dev.floe.core.TableId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * VACUUM: deletes the files under a Delta table that the latest version does not reference, that no
 * version removed within the retention window (readers of those versions may still open them), and
 * that were last modified before that window (a batch's files are written before its commit lands).
 * Like Delta's own VACUUM, it skips {@code _delta_log} and hidden paths ({@code _}, {@code .}).
 */
final class DeltaVacuum {
  private DeltaVacuum() {}

  static String run(TableId id, Path table, TableLog log, Duration retention, boolean dryRun) {
    long start = System.nanoTime();
    if (!log.exists()) {
      return id + ": no Delta table yet, nothing to vacuum";
    }
    long cutoff = System.currentTimeMillis() - retention.toMillis();
    Set<Path> keep = new HashSet<>();
    for (String p : log.referencedPaths(cutoff)) {
      URI uri = URI.create(p);
      keep.add(uri.isAbsolute() ? Path.of(uri) : table.resolve(uri.getPath()).normalize());
    }
    List<Path> unreferenced = new ArrayList<>();
    long bytes = 0;
    int files = 0;
    long bytesTotal = 0;
    try {
      for (Path f : candidates(table)) {
        files++;
        long size = Files.size(f);
        bytesTotal += size;
        if (!keep.contains(f.normalize()) && Files.getLastModifiedTime(f).toMillis() < cutoff) {
          unreferenced.add(f);
          bytes += size;
        }
      }
      if (!dryRun) {
        for (Path f : unreferenced) {
          Files.deleteIfExists(f);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot vacuum Delta table " + id + " at " + table, e);
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
   * The files under the table, skipping hidden paths ({@code _delta_log}, {@code .crc} files; no
   * partition directory starts with {@code _} or {@code .}) and the directories of other tables
   * nested inside it: table {@code a.b.c} lives under {@code a.b}'s directory.
   */
  private static List<Path> candidates(Path table) throws IOException {
    List<Path> found = new ArrayList<>();
    Files.walkFileTree(
        table,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            if (dir.equals(table)) {
              return FileVisitResult.CONTINUE;
            }
            return hidden(dir) || Files.isDirectory(dir.resolve("_delta_log"))
                ? FileVisitResult.SKIP_SUBTREE
                : FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            if (attrs.isRegularFile() && !hidden(file)) {
              found.add(file);
            }
            return FileVisitResult.CONTINUE;
          }
        });
    return found;
  }

  private static boolean hidden(Path p) {
    String name = p.getFileName().toString();
    return name.startsWith("_") || name.startsWith(".");
  }
}
