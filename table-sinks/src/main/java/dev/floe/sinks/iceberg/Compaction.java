package dev.floe.sinks.iceberg;

import dev.floe.core.Errors;
import dev.floe.core.TableId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.RewriteFiles;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericDeleteFilter;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.IdentityPartitionConverters;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.util.PartitionUtil;
import org.apache.iceberg.util.StructLikeMap;

/**
 * Bin-packs a table's small files and applies its deletes, partition by partition: every data file
 * of a partition that has deletes or several small files is read with its deletes applied and
 * written again into files of the target size, and the partition's delete files go. One {@code
 * RewriteFiles} commit, validated from the snapshot the job read, with the rewritten files keeping
 * that snapshot's data sequence number: equality deletes that ingestion commits meanwhile still
 * apply to them, so compaction never resurrects a deleted or replaced row. The commit carries no
 * offsets; readers of Floe's offsets walk back to the last ingestion commit.
 */
final class Compaction {
  private final TableId id;
  private final Table table;
  private final long targetFileSize;

  Compaction(TableId id, Table table, long targetFileSize) {
    this.id = id;
    this.table = table;
    this.targetFileSize = targetFileSize;
  }

  /** The files of one partition at the starting snapshot. */
  private static final class Group {
    final StructLike partition;
    final int specId;
    final List<FileScanTask> tasks = new ArrayList<>();
    final Set<String> seen = new HashSet<>();
    final Map<String, DeleteFile> deletes = new HashMap<>();
    int small;

    Group(StructLike partition, int specId) {
      this.partition = partition;
      this.specId = specId;
    }
  }

  CompactionReport run(boolean dryRun) {
    long start = System.nanoTime();
    table.refresh();
    Snapshot base = table.currentSnapshot();
    if (base == null) {
      return empty(start, dryRun);
    }
    List<Group> groups = plan(base);
    int dataBefore = 0;
    long bytesBefore = 0;
    int deleteFiles = 0;
    for (Group g : groups) {
      dataBefore += g.tasks.size();
      for (FileScanTask t : g.tasks) {
        bytesBefore += t.file().fileSizeInBytes();
      }
      deleteFiles += g.deletes.size();
    }
    if (groups.isEmpty() || dryRun) {
      return new CompactionReport(
          id.toString(),
          groups.size(),
          dataBefore,
          bytesBefore,
          deleteFiles,
          0,
          0,
          0,
          0,
          millis(start),
          -1,
          dryRun);
    }
    OutputFileFactory files =
        OutputFileFactory.builderFor(table, 0, 0)
            .format(FileFormat.PARQUET)
            .operationId("compaction-" + UUID.randomUUID())
            .build();
    GenericFileWriterFactory writers =
        new GenericFileWriterFactory.Builder(table)
            .dataFileFormat(FileFormat.PARQUET)
            .writerProperties(table.properties())
            .build();
    List<DataFile> written = new ArrayList<>();
    long rows = 0;
    long deleted = 0;
    try {
      for (Group g : groups) {
        long[] counts = rewrite(g, files, writers, written);
        rows += counts[0];
        deleted += counts[1];
      }
      RewriteFiles rewrite =
          table
              .newRewrite()
              .validateFromSnapshot(base.snapshotId())
              .dataSequenceNumber(base.sequenceNumber());
      for (Group g : groups) {
        g.tasks.forEach(t -> rewrite.deleteFile(t.file()));
        g.deletes.values().forEach(rewrite::deleteFile);
      }
      written.forEach(rewrite::addFile);
      rewrite.set("floe.operation", "compaction");
      rewrite.commit();
    } catch (RuntimeException e) {
      for (DataFile f : written) { // never referenced by the table: safe to remove
        try {
          table.io().deleteFile(f.location());
        } catch (RuntimeException ignored) {
          // orphan-file removal cleans it up
        }
      }
      throw Errors.transientFailure(
          "Compaction of table " + id + " failed: " + e.getMessage(),
          "nothing changed; it runs again at its next schedule (a conflict with a concurrent"
              + " commit is expected now and then)",
          e);
    }
    long bytesAfter = written.stream().mapToLong(DataFile::fileSizeInBytes).sum();
    table.refresh();
    return new CompactionReport(
        id.toString(),
        groups.size(),
        dataBefore,
        bytesBefore,
        deleteFiles,
        written.size(),
        bytesAfter,
        rows,
        deleted,
        millis(start),
        table.currentSnapshot().snapshotId(),
        false);
  }

  /** Partitions worth rewriting: with deletes to apply, or with two or more small files. */
  private List<Group> plan(Snapshot base) {
    Map<Integer, StructLikeMap<Group>> bySpec = new HashMap<>();
    try (CloseableIterable<FileScanTask> tasks =
        table.newScan().useSnapshot(base.snapshotId()).planFiles()) {
      for (FileScanTask task : tasks) {
        DataFile file = task.file();
        PartitionSpec spec = table.specs().get(file.specId());
        Group g =
            bySpec
                .computeIfAbsent(file.specId(), s -> StructLikeMap.create(spec.partitionType()))
                .computeIfAbsent(file.partition(), p -> new Group(file.partition(), file.specId()));
        if (!g.seen.add(file.location())) {
          continue; // a file split into several tasks is rewritten once
        }
        g.tasks.add(task);
        if (file.fileSizeInBytes() < targetFileSize * 3 / 4) {
          g.small++;
        }
        task.deletes().forEach(d -> g.deletes.putIfAbsent(d.location(), d));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Group> worth = new ArrayList<>();
    bySpec
        .values()
        .forEach(
            m ->
                m.values()
                    .forEach(
                        g -> {
                          if (!g.deletes.isEmpty() || g.small >= 2) {
                            worth.add(g);
                          }
                        }));
    addDeadDeletes(base, bySpec, worth);
    return worth;
  }

  /**
   * Adds to each rewritten partition every delete file it holds at the start snapshot, also those
   * that no task listed (equality deletes whose key ranges miss every file): once all of the
   * partition's data files are rewritten with the start snapshot's sequence number, no equality
   * delete of that snapshot applies to them and no position delete names them, so those files only
   * cost readers. Deletes committed meanwhile have higher sequence numbers and stay.
   */
  private void addDeadDeletes(
      Snapshot base, Map<Integer, StructLikeMap<Group>> bySpec, List<Group> worth) {
    if (worth.isEmpty()) {
      return;
    }
    Set<Group> rewritten = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    rewritten.addAll(worth);
    for (org.apache.iceberg.ManifestFile m : base.deleteManifests(table.io())) {
      try (org.apache.iceberg.ManifestReader<DeleteFile> reader =
          org.apache.iceberg.ManifestFiles.readDeleteManifest(m, table.io(), table.specs())) {
        for (DeleteFile d : reader) {
          StructLikeMap<Group> groups = bySpec.get(d.specId());
          Group g = groups == null ? null : groups.get(d.partition());
          if (g != null && rewritten.contains(g)) {
            g.deletes.putIfAbsent(d.location(), d.copyWithoutStats());
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /**
   * Rewrites one partition; returns {rows written, rows dropped by deletes}. Records carry the
   * {@code _pos} column the delete filter reads after the table's columns; writers ignore it.
   */
  private long[] rewrite(
      Group g, OutputFileFactory files, GenericFileWriterFactory writers, List<DataFile> out) {
    PartitionSpec spec = table.specs().get(g.specId);
    Schema schema = table.schema();
    long rows = 0;
    long read = 0;
    DataWriter<Record> writer = null;
    Map<String, Object> loaded = new HashMap<>(); // the partition's delete files, read once
    try {
      for (FileScanTask task : g.tasks) {
        GenericDeleteFilter deletes =
            new GenericDeleteFilter(table.io(), task, schema, schema) {
              @Override
              protected org.apache.iceberg.data.DeleteLoader newDeleteLoader() {
                return new CachingDeleteLoader(this::loadInputFile, loaded);
              }
            };
        Schema required = deletes.requiredSchema();
        Map<Integer, ?> constants =
            PartitionUtil.constantsMap(task, IdentityPartitionConverters::convertConstant);
        try (CloseableIterable<Record> all =
                Parquet.read(table.io().newInputFile(task.file().location()))
                    .project(required)
                    .createReaderFunc(
                        fileSchema ->
                            GenericParquetReaders.buildReader(required, fileSchema, constants))
                    .build();
            CloseableIterable<Record> live = deletes.filter(all)) {
          for (Record r : live) {
            if (writer == null) {
              writer =
                  writers.newDataWriter(files.newOutputFile(spec, g.partition), spec, g.partition);
            }
            writer.write(r);
            rows++;
            if (rows % 1000 == 0 && writer.length() >= targetFileSize) {
              writer.close();
              out.add(writer.toDataFile());
              writer = null;
            }
          }
        }
        read += task.file().recordCount();
      }
      if (writer != null) {
        writer.close();
        out.add(writer.toDataFile());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot rewrite a partition of " + id, e);
    }
    return new long[] {rows, read - rows};
  }

  private CompactionReport empty(long start, boolean dryRun) {
    return new CompactionReport(id.toString(), 0, 0, 0, 0, 0, 0, 0, 0, millis(start), -1, dryRun);
  }

  private static long millis(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }
}
