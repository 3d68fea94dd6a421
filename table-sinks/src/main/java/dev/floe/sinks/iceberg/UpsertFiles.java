package dev.floe.sinks.iceberg;

import dev.floe.core.Errors;
import dev.floe.core.TableId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.parquet.InternalWriter;
import org.apache.iceberg.deletes.EqualityDeleteWriter;
import org.apache.iceberg.deletes.PositionDelete;
import org.apache.iceberg.deletes.PositionDeleteWriter;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.StructLikeMap;

/**
 * The upsert side of a batch, as Flink's equality-delta writer does it on Iceberg format v2: every
 * key a batch writes or deletes gets one equality delete (removing its row from earlier commits;
 * equality deletes never apply to data of their own commit), and a row that a later row of the same
 * key replaces within the batch gets a position delete. Rows are first kept in memory by key, so
 * that of several rows of one key only the last is written at all; past {@link #BUFFER_ROWS}
 * distinct keys the buffer is written out, and keys seen again after that cost a position delete.
 */
final class UpsertFiles {
  /** Distinct keys held in memory before the buffered rows are written to data files. */
  static final int BUFFER_ROWS = 50_000;

  /** A buffered change: the row to write, or a delete (row null). */
  private record Change(RowStruct view, dev.floe.core.row.Row row) {}

  private final TableId id;
  private final Table table;
  private final PartitionedFiles data;
  private final int[] keyPositions; // top-level table positions of the key columns
  private final String[] keyNames;
  private final Schema deleteSchema;
  private final int[] equalityIds;
  private final PartitionKey partitionKey;
  private final Map<List<Object>, Change> buffer = new LinkedHashMap<>();
  private final Map<List<Object>, PartitionedFiles.Position> written = new HashMap<>();
  private final Set<List<Object>> deletedBefore = new HashSet<>();
  private final Map<StructLike, EqualityDeleteWriter<StructLike>> equalityWriters;
  private EqualityDeleteWriter<StructLike> unpartitionedEquality;
  private final Map<StructLike, List<PartitionedFiles.Position>> positionDeletes;
  private final List<PartitionedFiles.Position> unpartitionedPositions = new ArrayList<>();
  private long deletedRows;

  UpsertFiles(TableId id, Table table, PartitionedFiles data, List<String> keyColumns) {
    this.id = id;
    this.table = table;
    this.data = data;
    Schema schema = table.schema();
    this.keyPositions = new int[keyColumns.size()];
    this.keyNames = keyColumns.toArray(String[]::new);
    this.equalityIds = new int[keyColumns.size()];
    List<Types.NestedField> columns = schema.columns();
    for (int k = 0; k < keyNames.length; k++) {
      Types.NestedField column = schema.findField(keyNames[k]);
      if (column == null || !columns.contains(column)) {
        throw Errors.of(
            "Table " + id + " has no top-level column '" + keyNames[k] + "' to use as key column",
            "set key.columns to columns of the table: "
                + columns.stream().map(Types.NestedField::name).toList(),
            null);
      }
      if (!column.type().isPrimitiveType()) {
        throw Errors.of(
            "Key column '" + keyNames[k] + "' of table " + id + " is a " + column.type(),
            "use key columns of primitive types (string, long, uuid, ...)",
            null);
      }
      keyPositions[k] = columns.indexOf(column);
      equalityIds[k] = column.fieldId();
    }
    this.deleteSchema = schema.select(keyColumns);
    PartitionSpec spec = table.spec();
    this.partitionKey = spec.isUnpartitioned() ? null : new PartitionKey(spec, schema);
    this.equalityWriters =
        spec.isUnpartitioned() ? null : StructLikeMap.create(spec.partitionType());
    this.positionDeletes =
        spec.isUnpartitioned() ? null : StructLikeMap.create(spec.partitionType());
  }

  /** Buffers a row as its key's latest; {@code view} presents it as the table's struct. */
  void upsert(RowStruct view, dev.floe.core.row.Row row) {
    buffer.put(key(view.wrap(row)), new Change(view, row));
    spillIfFull();
  }

  /** Buffers the deletion of a key given as a struct of the table's key columns by name. */
  void delete(RowStruct keyView, dev.floe.core.row.Row key) {
    StructLike k = keyView.wrap(key);
    List<Object> values = new ArrayList<>(keyNames.length);
    for (int i = 0; i < keyNames.length; i++) {
      values.add(keyValue(k.get(i, Object.class), i));
    }
    buffer.put(values, new Change(null, null));
    spillIfFull();
  }

  /** The delete schema: the key columns, for presenting delete keys by name. */
  Types.StructType keyType() {
    return deleteSchema.asStruct();
  }

  int bufferedKeys() {
    return buffer.size();
  }

  private void spillIfFull() {
    if (buffer.size() >= BUFFER_ROWS) {
      spill();
    }
  }

  /** Writes the buffered rows and deletes. */
  void spill() {
    for (Map.Entry<List<Object>, Change> e : buffer.entrySet()) {
      List<Object> key = e.getKey();
      Change change = e.getValue();
      PartitionedFiles.Position earlier = written.remove(key);
      if (earlier != null) {
        positionDelete(earlier);
      }
      if (deletedBefore.add(key)) {
        equalityDelete(key);
      }
      if (change.row() != null) {
        written.put(key, data.writeTracked(change.view().wrap(change.row())));
      }
    }
    buffer.clear();
  }

  /** Rows deleted by this batch so far (position deletes written at close included). */
  long deletes() {
    return deletedRows;
  }

  /** Writes what is buffered and closes the delete files; the batch's delete files. */
  List<DeleteFile> close() {
    spill();
    List<DeleteFile> files = new ArrayList<>();
    if (partitionKey == null) {
      if (unpartitionedEquality != null) {
        files.add(closeEquality(unpartitionedEquality));
      }
      if (!unpartitionedPositions.isEmpty()) {
        files.add(writePositions(null, unpartitionedPositions));
      }
    } else {
      for (EqualityDeleteWriter<StructLike> w : equalityWriters.values()) {
        files.add(closeEquality(w));
      }
      for (Map.Entry<StructLike, List<PartitionedFiles.Position>> e : positionDeletes.entrySet()) {
        files.add(writePositions(e.getKey(), e.getValue()));
      }
    }
    return files;
  }

  private List<Object> key(StructLike row) {
    List<Object> values = new ArrayList<>(keyPositions.length);
    for (int i = 0; i < keyPositions.length; i++) {
      values.add(keyValue(row.get(keyPositions[i], Object.class), i));
    }
    return values;
  }

  /** A key value as a map key: text as String (Avro's Utf8 does not equal a String). */
  private Object keyValue(Object value, int column) {
    if (value == null) {
      throw Errors.of(
          "Key column '" + keyNames[column] + "' of table " + id + " is null",
          "every row of an upsert table needs all its key columns ("
              + String.join(", ", keyNames)
              + ")",
          null);
    }
    return value instanceof CharSequence cs ? cs.toString() : value;
  }

  private void equalityDelete(List<Object> key) {
    KeyStruct struct = new KeyStruct(key.toArray());
    EqualityDeleteWriter<StructLike> w;
    if (partitionKey == null) {
      if (unpartitionedEquality == null) {
        unpartitionedEquality = openEquality(null);
      }
      w = unpartitionedEquality;
    } else {
      partitionKey.partition(new SparseRow(table.schema().columns().size(), keyPositions, struct));
      w = equalityWriters.get(partitionKey);
      if (w == null) {
        PartitionKey copy = partitionKey.copy();
        w = openEquality(copy);
        equalityWriters.put(copy, w);
      }
    }
    w.write(struct);
  }

  private void positionDelete(PartitionedFiles.Position at) {
    deletedRows++;
    if (at.partition() == null) {
      unpartitionedPositions.add(at);
    } else {
      positionDeletes.computeIfAbsent(at.partition(), p -> new ArrayList<>()).add(at);
    }
  }

  private EqualityDeleteWriter<StructLike> openEquality(StructLike partition) {
    try {
      return Parquet.writeDeletes(data.newDeleteFile(partition))
          .forTable(table)
          .setAll(data.writeProperties())
          .withSpec(table.spec())
          .withPartition(partition)
          .rowSchema(deleteSchema)
          .equalityFieldIds(equalityIds)
          .createWriterFunc(type -> InternalWriter.create(deleteSchema.asStruct(), type))
          .overwrite()
          .buildEqualityWriter();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create an equality delete file for " + id, e);
    }
  }

  private DeleteFile closeEquality(EqualityDeleteWriter<StructLike> w) {
    try {
      w.close();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot close an equality delete file of " + id, e);
    }
    return w.toDeleteFile();
  }

  /** Position delete files must be sorted by file and position (Iceberg spec): sorted here. */
  private DeleteFile writePositions(StructLike partition, List<PartitionedFiles.Position> at) {
    at.sort(
        Comparator.comparing(PartitionedFiles.Position::path)
            .thenComparingLong(PartitionedFiles.Position::pos));
    PositionDeleteWriter<StructLike> w;
    try {
      w =
          Parquet.writeDeletes(data.newDeleteFile(partition))
              .setAll(data.writeProperties()) // not forTable: that would add a row schema
              .metricsConfig(org.apache.iceberg.MetricsConfig.forPositionDelete())
              .withSpec(table.spec())
              .withPartition(partition)
              .overwrite()
              .buildPositionWriter(); // path and position only
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create a position delete file for " + id, e);
    }
    PositionDelete<StructLike> delete = PositionDelete.create();
    try (w) {
      for (PartitionedFiles.Position p : at) {
        w.write(delete.set(p.path(), p.pos()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write a position delete file of " + id, e);
    }
    return w.toDeleteFile();
  }

  /** Key values as a struct of the delete schema. */
  private record KeyStruct(Object[] values) implements StructLike {
    @Override
    public int size() {
      return values.length;
    }

    @Override
    public <T> T get(int pos, Class<T> javaClass) {
      return javaClass.cast(values[pos]);
    }

    @Override
    public <T> void set(int pos, T value) {
      throw new UnsupportedOperationException();
    }
  }

  /** A table-wide row holding only the key columns, to compute a deleted key's partition. */
  private record SparseRow(int size, int[] keyPositions, KeyStruct key) implements StructLike {
    @Override
    public <T> T get(int pos, Class<T> javaClass) {
      for (int k = 0; k < keyPositions.length; k++) {
        if (keyPositions[k] == pos) {
          return javaClass.cast(key.values()[k]);
        }
      }
      return null;
    }

    @Override
    public <T> void set(int pos, T value) {
      throw new UnsupportedOperationException();
    }
  }
}
