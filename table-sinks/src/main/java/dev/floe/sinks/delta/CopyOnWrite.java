package dev.floe.sinks.delta;

import io.delta.standalone.actions.Action;
import io.delta.standalone.actions.AddFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.data.parquet.InternalReader;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.parquet.ParquetSchemaUtil;
import org.apache.iceberg.types.Types;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.schema.MessageType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copy-on-write for an upsert batch: the table's files that hold a key the batch changed (wrote or
 * deleted) are replaced by copies without those rows, as {@code remove} + {@code add} actions for
 * the batch's commit. Each file's key min/max statistics pick the files worth opening. A copy keeps
 * the file's own columns (older files lack columns added since; readers fill them with nulls).
 * Planned anew on every commit attempt, against the snapshot the attempt reads, so that a
 * concurrent rewrite of the same file makes the attempt conflict rather than revive a row.
 */
final class CopyOnWrite {
  private static final Logger LOG = LoggerFactory.getLogger(CopyOnWrite.class);

  private final String table;
  private final FileIO io;
  private final List<String> keyColumns;
  private final List<String> partitionColumns;
  private final Set<List<Object>> keys;
  private final String commitId;
  private final long targetFileSize;
  private final KeyRanges ranges;
  private final List<String> created = new ArrayList<>();
  private final List<String> attempt = new ArrayList<>();
  private int attempts;
  private long removedRows;
  private int filesOpened;

  /**
   * @param keys the changed keys, each as {@link KeyValues#normalize normalized} values of {@code
   *     keyColumns}
   */
  CopyOnWrite(
      String table,
      FileIO io,
      List<String> keyColumns,
      List<String> partitionColumns,
      Set<List<Object>> keys,
      String commitId,
      long targetFileSize) {
    this.table = table;
    this.io = io;
    this.keyColumns = keyColumns;
    this.partitionColumns = partitionColumns;
    this.keys = keys;
    this.commitId = commitId;
    this.targetFileSize = targetFileSize;
    this.ranges = new KeyRanges(keyColumns, keys);
  }

  boolean isEmpty() {
    return keys.isEmpty();
  }

  /** The removes and adds that take the changed keys' rows out of {@code files}. */
  List<Action> rewrite(Iterable<AddFile> files) {
    attempts++;
    attempt.clear();
    removedRows = 0;
    filesOpened = 0;
    List<Action> actions = new ArrayList<>();
    long now = System.currentTimeMillis();
    for (AddFile file : files) {
      if (!ranges.mayHoldAKey(file)) {
        continue;
      }
      filesOpened++;
      List<AddFile> copies = new ArrayList<>();
      long removed = copyWithout(file, copies);
      if (removed > 0) {
        removedRows += removed;
        actions.add(file.remove(now, true));
        actions.addAll(copies);
      }
    }
    LOG.debug(
        "Copy-on-write of {} keys: opened {} files, removed {} rows",
        keys.size(),
        filesOpened,
        removedRows);
    return actions;
  }

  /** Rows the last rewrite took out of the table. */
  long removedRows() {
    return removedRows;
  }

  /** Files the last rewrite opened (the candidates its statistics did not rule out). */
  int filesOpened() {
    return filesOpened;
  }

  /** Deletes the copies of the last attempt, which did not land (a conflict). */
  void discardAttempt() {
    for (String f : attempt) {
      try {
        io.deleteFile(f);
      } catch (RuntimeException e) {
        LOG.warn("Cannot delete copy {} of a conflicting commit", f, e);
      }
      created.remove(f);
    }
    attempt.clear();
  }

  /** Every copy written and not discarded, for deletion when the batch fails. */
  List<String> locations() {
    return created;
  }

  private long copyWithout(AddFile file, List<AddFile> copies) {
    String path = table + "/" + URI.create(file.getPath()).getPath();
    Schema schema = schema(path);
    int[] keyPositions = new int[keyColumns.size()];
    List<Types.NestedField> columns = schema.columns();
    for (int k = 0; k < keyPositions.length; k++) {
      keyPositions[k] = columns.indexOf(schema.findField(keyColumns.get(k)));
      if (keyPositions[k] < 0) { // its rows could never match a key: fail rather than keep them
        throw dev.floe.core.Errors.of(
            "Delta data file "
                + file.getPath()
                + " has no key column '"
                + keyColumns.get(k)
                + "', so its rows cannot be matched to the keys this batch changed",
            "key columns must be top-level columns in every data file of an upsert table; write"
                + " the table anew with key.columns it has had from the start",
            null);
      }
    }
    List<String> partition = new ArrayList<>();
    for (String c : partitionColumns) {
      partition.add(file.getPartitionValues().get(c));
    }
    DeltaDataFiles out =
        new DeltaDataFiles(
            table,
            io,
            schema,
            partitionColumns,
            commitId + "-cow" + attempts + "-" + filesOpened,
            targetFileSize);
    long removed = 0;
    try (CloseableIterable<StructLike> rows =
        Parquet.read(io.newInputFile(path))
            .project(schema)
            .createReaderFunc(type -> InternalReader.create(schema, type))
            .build()) {
      for (StructLike row : rows) {
        List<Object> key = new ArrayList<>(keyPositions.length);
        for (int p : keyPositions) {
          key.add(KeyValues.normalize(row.get(p, Object.class)));
        }
        if (keys.contains(key)) {
          removed++;
        } else {
          out.write(partition, row);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read Delta data file " + path, e);
    } finally {
      List<AddFile> written = out.close();
      attempt.addAll(out.locations());
      created.addAll(out.locations());
      if (!written.isEmpty()) {
        copies.addAll(written);
      }
    }
    if (removed == 0) { // the statistics could not rule the file out, but it holds no changed key
      discardCopies(out.locations());
      copies.clear();
    }
    return removed;
  }

  private void discardCopies(List<String> locations) {
    for (String f : List.copyOf(locations)) {
      try {
        io.deleteFile(f);
      } catch (RuntimeException e) {
        LOG.debug("Cannot delete unneeded copy {}", f, e);
      }
      attempt.remove(f);
      created.remove(f);
    }
  }

  Schema schema(String path) {
    return schema(io, path);
  }

  /** The file's own schema, with the field ids it was written with. */
  static Schema schema(org.apache.iceberg.io.FileIO io, String path) {
    try (ParquetFileReader reader =
        ParquetFileReader.open(ParquetInput.of(io.newInputFile(path)))) {
      MessageType type = reader.getFooter().getFileMetaData().getSchema();
      return ParquetSchemaUtil.convert(type);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the footer of Delta data file " + path, e);
    }
  }
}
