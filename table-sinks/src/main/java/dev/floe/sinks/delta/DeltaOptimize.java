package dev.floe.sinks.delta;

import dev.floe.core.Errors;
import dev.floe.core.TableId;
import io.delta.standalone.OptimisticTransaction;
import io.delta.standalone.actions.Action;
import io.delta.standalone.actions.AddFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.data.parquet.InternalReader;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Types;

/**
 * OPTIMIZE for a Floe Delta table: per partition, the small files (under 3/4 of the target size)
 * are read and written again into files of the target size, committed as {@code remove} + {@code
 * add} actions with dataChange=false, so that streaming readers skip the commit. Files are grouped
 * by their own Parquet schema too: a file written before a column was added stays without it, as
 * the copy-on-write copies do. The commit is Delta's optimistic transaction from the version the
 * plan read: when an upsert removed one of the same files meanwhile, Delta's conflict check fails
 * it, the new files are deleted, and the job plans again on the winner's files, a few times, then
 * gives up cleanly (it runs again at its next time).
 */
final class DeltaOptimize {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(DeltaOptimize.class);

  /** Plans per run: a busy upsert table may win a few races in a row. */
  static final int ATTEMPTS = 3;

  private final TableId id;
  private final String table;
  private final org.apache.iceberg.io.FileIO io;
  private final TableLog log;
  private final long targetFileSize;

  DeltaOptimize(
      TableId id,
      String table,
      org.apache.iceberg.io.FileIO io,
      TableLog log,
      long targetFileSize) {
    this.id = id;
    this.table = table;
    this.io = io;
    this.log = log;
    this.targetFileSize = targetFileSize;
  }

  /** The small files of one partition that share one file schema. */
  private record Group(List<String> partition, Schema schema, List<AddFile> files) {}

  /**
   * Plans and commits; a commit that loses to an upsert of the same files is planned again on the
   * winner's files, up to {@link #ATTEMPTS} times, then the job gives up until its next run.
   */
  String run(boolean dryRun) {
    for (int attempt = 1; ; attempt++) {
      try {
        return attempt(dryRun);
      } catch (Lost e) {
        if (attempt >= ATTEMPTS) {
          throw failure(e.conflict);
        }
        LOG.debug("Optimize of Delta table {} lost a race, planning again", id, e.conflict);
      }
    }
  }

  /** A commit that lost to a concurrent one; its files are already deleted. */
  private static final class Lost extends Exception {
    final RuntimeException conflict;

    Lost(RuntimeException conflict) {
      super(null, null, false, false);
      this.conflict = conflict;
    }
  }

  private String attempt(boolean dryRun) throws Lost {
    long start = System.nanoTime();
    if (!log.exists()) {
      return id + ": no Delta table yet, nothing to optimize";
    }
    OptimisticTransaction txn = log.startRewrite();
    List<String> partitionColumns = txn.metadata().getPartitionColumns();
    List<AddFile> all = log.files(txn);
    List<Group> groups;
    try {
      groups = plan(all, partitionColumns);
    } catch (RuntimeException e) { // a file whose footer cannot be read, say
      throw failure(e);
    }
    int filesBefore = 0;
    long bytesBefore = 0;
    for (Group g : groups) {
      filesBefore += g.files().size();
      bytesBefore += g.files().stream().mapToLong(AddFile::getSize).sum();
    }
    if (groups.isEmpty() || dryRun) {
      return String.format(
          "%s: %s %d small files (%.1f MB) in %d partition(s) of %d files, in %d ms",
          id,
          dryRun ? "would optimize" : "nothing to optimize:",
          filesBefore,
          bytesBefore / 1e6,
          groups.size(),
          all.size(),
          millis(start));
    }
    String runId = "optimize-" + UUID.randomUUID();
    List<String> written = new ArrayList<>();
    List<Action> actions = new ArrayList<>();
    long rows = 0;
    int filesAfter = 0;
    long bytesAfter = 0;
    long now = System.currentTimeMillis();
    try {
      for (int i = 0; i < groups.size(); i++) {
        Group g = groups.get(i);
        DeltaDataFiles out =
            new DeltaDataFiles(
                table, io, g.schema(), partitionColumns, runId + "-" + i, targetFileSize);
        try {
          for (AddFile f : g.files()) {
            rows += copy(f, g, out);
          }
        } finally {
          List<AddFile> adds = out.close();
          written.addAll(out.locations());
          for (AddFile a : adds) {
            actions.add(unchanged(a));
            filesAfter++;
            bytesAfter += a.getSize();
          }
        }
        g.files().forEach(f -> actions.add(f.remove(now, false)));
      }
      long version = log.commitRewrite(txn, actions, "floe optimize " + runId);
      long ms = millis(start);
      return String.format(
          "%s: optimized %d partition(s): %d files (%.1f MB) -> %d files (%.1f MB), %d rows,"
              + " %.1f MB/s, in %d ms (version %d)",
          id,
          groups.size(),
          filesBefore,
          bytesBefore / 1e6,
          filesAfter,
          bytesAfter / 1e6,
          rows,
          bytesBefore / 1e6 / Math.max(ms, 1) * 1000,
          ms,
          version);
    } catch (io.delta.standalone.exceptions.DeltaConcurrentModificationException e) {
      discard(written);
      throw new Lost(e);
    } catch (RuntimeException e) {
      discard(written);
      throw failure(e);
    }
  }

  private RuntimeException failure(RuntimeException e) {
    return Errors.transientFailure(
        "Optimize of Delta table " + id + " failed: " + e.getMessage(),
        "nothing changed; it runs again at its next schedule (a conflict with a concurrent"
            + " upsert that rewrote one of the same files is expected now and then)",
        e);
  }

  /** Partitions (and file schemas) with two or more small files. */
  private List<Group> plan(List<AddFile> files, List<String> partitionColumns) {
    Map<List<Object>, Group> groups = new LinkedHashMap<>();
    for (AddFile f : files) {
      if (f.getSize() >= targetFileSize * 3 / 4) {
        continue;
      }
      List<String> partition = new ArrayList<>();
      for (String c : partitionColumns) {
        partition.add(f.getPartitionValues().get(c));
      }
      Schema schema = CopyOnWrite.schema(io, path(f));
      Types.StructType struct = schema.asStruct();
      groups
          .computeIfAbsent(
              List.of(partition, struct), k -> new Group(partition, schema, new ArrayList<>()))
          .files()
          .add(f);
    }
    return groups.values().stream().filter(g -> g.files().size() >= 2).toList();
  }

  private long copy(AddFile file, Group g, DeltaDataFiles out) {
    long rows = 0;
    try (CloseableIterable<StructLike> read =
        Parquet.read(io.newInputFile(path(file)))
            .project(g.schema())
            .createReaderFunc(type -> InternalReader.create(g.schema(), type))
            .build()) {
      for (StructLike row : read) {
        out.write(g.partition(), row);
        rows++;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read Delta data file " + file.getPath(), e);
    }
    return rows;
  }

  /** The same file as an {@code add} that changes no rows: streaming readers skip it. */
  private static AddFile unchanged(AddFile a) {
    return new AddFile(
        a.getPath(),
        a.getPartitionValues(),
        a.getSize(),
        a.getModificationTime(),
        false,
        a.getStats(),
        a.getTags());
  }

  private String path(AddFile f) {
    return table + "/" + URI.create(f.getPath()).getPath();
  }

  private void discard(List<String> written) {
    for (String f : written) { // never referenced by the log: safe to delete
      try {
        io.deleteFile(f);
      } catch (RuntimeException ignored) {
        // VACUUM removes it later
      }
    }
  }

  private static long millis(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }
}
