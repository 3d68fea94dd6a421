package dev.floe.sinks.delta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.delta.standalone.actions.Action;
import io.delta.standalone.actions.AddFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.data.parquet.InternalReader;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.parquet.ParquetSchemaUtil;
import org.apache.iceberg.types.Types;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
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
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path table;
  private final List<String> keyColumns;
  private final List<String> partitionColumns;
  private final Set<List<Object>> keys;
  private final String commitId;
  private final long targetFileSize;
  private final NavigableMap<Comparable<Object>, List<List<Object>>> byFirstColumn;
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
      Path table,
      List<String> keyColumns,
      List<String> partitionColumns,
      Set<List<Object>> keys,
      String commitId,
      long targetFileSize) {
    this.table = table;
    this.keyColumns = keyColumns;
    this.partitionColumns = partitionColumns;
    this.keys = keys;
    this.commitId = commitId;
    this.targetFileSize = targetFileSize;
    this.byFirstColumn = index(keys);
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
      if (!mayHoldAKey(file)) {
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
        Files.deleteIfExists(Path.of(f));
      } catch (IOException e) {
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
    Path path = table.resolve(URI.create(file.getPath()).getPath());
    Schema schema = schema(path);
    int[] keyPositions = new int[keyColumns.size()];
    List<Types.NestedField> columns = schema.columns();
    for (int k = 0; k < keyPositions.length; k++) {
      keyPositions[k] = columns.indexOf(schema.findField(keyColumns.get(k)));
    }
    List<String> partition = new ArrayList<>();
    for (String c : partitionColumns) {
      partition.add(file.getPartitionValues().get(c));
    }
    DeltaDataFiles out =
        new DeltaDataFiles(
            table,
            schema,
            partitionColumns,
            commitId + "-cow" + attempts + "-" + filesOpened,
            targetFileSize);
    long removed = 0;
    try (CloseableIterable<StructLike> rows =
        Parquet.read(new dev.floe.sinks.iceberg.LocalFileIO().newInputFile(path.toString()))
            .project(schema)
            .createReaderFunc(type -> InternalReader.create(schema, type))
            .build()) {
      for (StructLike row : rows) {
        List<Object> key = new ArrayList<>(keyPositions.length);
        for (int p : keyPositions) {
          key.add(KeyValues.normalize(p < 0 ? null : row.get(p, Object.class)));
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
        Files.deleteIfExists(Path.of(f));
      } catch (IOException e) {
        LOG.debug("Cannot delete unneeded copy {}", f, e);
      }
      attempt.remove(f);
      created.remove(f);
    }
  }

  /** The file's own schema, with the field ids it was written with. */
  private static Schema schema(Path path) {
    try (ParquetFileReader reader =
        ParquetFileReader.open(
            HadoopInputFile.fromPath(
                new org.apache.hadoop.fs.Path(path.toUri()), new Configuration()))) {
      MessageType type = reader.getFooter().getFileMetaData().getSchema();
      return ParquetSchemaUtil.convert(type);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the footer of Delta data file " + path, e);
    }
  }

  /** Whether the file's statistics leave room for one of the changed keys. */
  private boolean mayHoldAKey(AddFile file) {
    JsonNode stats = stats(file.getStats());
    if (stats == null) {
      return true;
    }
    Map.Entry<Comparable<Object>, Comparable<Object>> first = range(stats, 0);
    if (first == null
        || byFirstColumn == null
        || byFirstColumn.isEmpty()
        || !comparable(first.getKey(), byFirstColumn.firstKey())) {
      return true;
    }
    for (List<List<Object>> candidates :
        byFirstColumn.subMap(first.getKey(), true, first.getValue(), true).values()) {
      for (List<Object> key : candidates) {
        if (otherColumnsInRange(stats, key)) {
          return true;
        }
      }
    }
    return false;
  }

  private boolean otherColumnsInRange(JsonNode stats, List<Object> key) {
    for (int k = 1; k < keyColumns.size(); k++) {
      Map.Entry<Comparable<Object>, Comparable<Object>> r = range(stats, k);
      if (r != null
          && key.get(k) instanceof Comparable<?> c
          && comparable(r.getKey(), c)
          && (r.getKey().compareTo(key.get(k)) > 0 || r.getValue().compareTo(key.get(k)) < 0)) {
        return false;
      }
    }
    return true;
  }

  private static boolean comparable(Object bound, Object value) {
    return bound.getClass() == value.getClass();
  }

  /** The min and max of key column {@code k} as the key values compare, or null when unknown. */
  @SuppressWarnings("unchecked")
  private Map.Entry<Comparable<Object>, Comparable<Object>> range(JsonNode stats, int k) {
    JsonNode min = stats.path("minValues").get(keyColumns.get(k));
    JsonNode max = stats.path("maxValues").get(keyColumns.get(k));
    if (min == null || max == null) {
      return null;
    }
    if (min.isIntegralNumber() && max.isIntegralNumber()) {
      return Map.entry(
          (Comparable<Object>) (Object) min.asLong(), (Comparable<Object>) (Object) max.asLong());
    }
    if (min.isTextual() && max.isTextual() && keys.iterator().next().get(k) instanceof String) {
      return Map.entry(
          (Comparable<Object>) (Object) min.asText(), (Comparable<Object>) (Object) max.asText());
    }
    return null; // dates, timestamps, decimals: not worth parsing here; the file is opened
  }

  private static JsonNode stats(String value) {
    if (value == null) {
      return null;
    }
    try {
      JsonNode node = JSON.readTree(value);
      return node.isTextual()
          ? JSON.readTree(node.asText())
          : node; // quoted as the protocol has it
    } catch (IOException e) {
      return null;
    }
  }

  /** The changed keys by their first column, when that column's values compare (long, string). */
  @SuppressWarnings("unchecked")
  private static NavigableMap<Comparable<Object>, List<List<Object>>> index(
      Set<List<Object>> keys) {
    NavigableMap<Comparable<Object>, List<List<Object>>> index = new TreeMap<>();
    Class<?> type = null;
    for (List<Object> key : keys) {
      Object first = key.get(0);
      if (!(first instanceof Long || first instanceof String)
          || (type != null && type != first.getClass())) {
        return null;
      }
      type = first.getClass();
      index.computeIfAbsent((Comparable<Object>) first, f -> new ArrayList<>()).add(key);
    }
    return index;
  }
}
