package dev.floe.sinks.iceberg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.parquet.InternalWriter;
import org.apache.iceberg.encryption.EncryptedOutputFile;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.util.StructLikeMap;

/**
 * The open Parquet data files of one batch: one per table partition (fanout, since a stream is not
 * clustered by partition), each rolled over to a new file at the target size.
 */
final class PartitionedFiles {
  /** Sizes are checked every this many rows: a file's length sums the buffers of every column. */
  private static final int CHECK_EVERY = 1000;

  private final Table table;
  private final PartitionSpec spec;
  private final long targetFileSize;
  private final OutputFileFactory files;
  private final Map<String, String> writeProperties;
  private Schema schema; // the table's schema, or the one it is evolving to in this batch
  private PartitionKey key;
  private final Map<StructLike, RollingFile> byPartition;
  private final RollingFile unpartitioned;
  private final List<DataFile> done = new ArrayList<>();
  private final List<String> created = new ArrayList<>();
  private long doneBytes;
  private long openBytes;
  private long rows;

  PartitionedFiles(Table table, String operationId, long targetFileSize) {
    this.table = table;
    this.spec = table.spec();
    this.targetFileSize = targetFileSize;
    this.files =
        OutputFileFactory.builderFor(table, 0, 0)
            .format(FileFormat.PARQUET)
            .operationId(operationId)
            .build();
    this.writeProperties = writeProperties(table, targetFileSize);
    this.schema = table.schema();
    this.key = spec.isUnpartitioned() ? null : new PartitionKey(spec, schema);
    this.byPartition = spec.isUnpartitioned() ? null : StructLikeMap.create(spec.partitionType());
    this.unpartitioned = spec.isUnpartitioned() ? new RollingFile(null) : null;
  }

  /** Where a written row is: for position deletes of rows that a later row of its key replaces. */
  record Position(String path, long pos, StructLike partition) {}

  void write(StructLike row) {
    fileFor(row).write(row);
    if (++rows % CHECK_EVERY == 0) {
      openBytes = openLength();
    }
  }

  /** Writes a row and says where it went. */
  Position writeTracked(StructLike row) {
    RollingFile file = fileFor(row);
    Position at = file.writeTracked(row);
    if (++rows % CHECK_EVERY == 0) {
      openBytes = openLength();
    }
    return at;
  }

  private RollingFile fileFor(StructLike row) {
    RollingFile file;
    if (key == null) {
      file = unpartitioned;
    } else {
      key.partition(row);
      file = byPartition.get(key);
      if (file == null) {
        PartitionKey copy = key.copy(); // the key object is reused for the next row
        file = new RollingFile(copy);
        byPartition.put(copy, file);
      }
    }
    return file;
  }

  /**
   * Bytes in closed files plus an estimate (refreshed every {@value #CHECK_EVERY} rows) of open
   * ones.
   */
  long bytes() {
    return doneBytes + openBytes;
  }

  /**
   * Writes further rows with {@code evolved}, the schema the batch's commit gives the table; files
   * open until now are closed with the schema they were written with.
   */
  void evolve(Schema evolved) {
    closeOpen();
    this.schema = evolved;
    this.key = spec.isUnpartitioned() ? null : new PartitionKey(spec, evolved);
  }

  private void closeOpen() {
    if (unpartitioned != null) {
      unpartitioned.close();
    } else {
      byPartition.values().forEach(RollingFile::close);
      byPartition.clear();
    }
    openBytes = 0;
  }

  /** Closes every open file; the data files of the batch. */
  List<DataFile> close() {
    if (unpartitioned != null) {
      unpartitioned.close();
    } else {
      byPartition.values().forEach(RollingFile::close);
      byPartition.clear();
    }
    openBytes = 0;
    return List.copyOf(done);
  }

  /** Every file location this batch created, closed or not, for deletion on abort. */
  List<String> locations() {
    return created;
  }

  /** A new file for delete files of the batch, in {@code partition} (null: unpartitioned). */
  EncryptedOutputFile newDeleteFile(StructLike partition) {
    EncryptedOutputFile out =
        partition == null ? files.newOutputFile() : files.newOutputFile(spec, partition);
    created.add(out.encryptingOutputFile().location());
    return out;
  }

  Map<String, String> writeProperties() {
    return writeProperties;
  }

  private long openLength() {
    if (unpartitioned != null) {
      return unpartitioned.length();
    }
    long sum = 0;
    for (RollingFile f : byPartition.values()) {
      sum += f.length();
    }
    return sum;
  }

  private static Map<String, String> writeProperties(Table table, long targetFileSize) {
    Map<String, String> props = new java.util.HashMap<>(table.properties());
    long rowGroup =
        org.apache.iceberg.util.PropertyUtil.propertyAsLong(
            table.properties(),
            TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES,
            TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES_DEFAULT);
    // a row group is buffered in memory: never buffer more than a whole file may hold
    props.put(
        TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES,
        String.valueOf(Math.min(rowGroup, targetFileSize)));
    return props;
  }

  /** One partition's current file; a new one starts when it reaches the target size. */
  private final class RollingFile {
    private final StructLike partition;
    private DataWriter<StructLike> writer;
    private String location;
    private long fileRows;

    RollingFile(StructLike partition) {
      this.partition = partition;
    }

    void write(StructLike row) {
      if (writer == null) {
        writer = open();
      }
      writer.write(row);
      if (++fileRows % CHECK_EVERY == 0 && writer.length() >= targetFileSize) {
        close();
      }
    }

    /** Writes a row and says where it went (upserts only: appends need no position). */
    Position writeTracked(StructLike row) {
      if (writer == null) {
        writer = open();
      }
      Position at = new Position(location, fileRows, partition); // before a roll-over can follow
      write(row);
      return at;
    }

    long length() {
      return writer == null ? 0 : writer.length();
    }

    void close() {
      if (writer == null) {
        return;
      }
      try {
        writer.close();
      } catch (IOException e) {
        throw new UncheckedIOException("Failed to close data file", e);
      }
      DataFile file = writer.toDataFile();
      done.add(file);
      doneBytes += file.fileSizeInBytes();
      writer = null;
      fileRows = 0;
    }

    private DataWriter<StructLike> open() {
      EncryptedOutputFile out =
          partition == null ? files.newOutputFile() : files.newOutputFile(spec, partition);
      location = out.encryptingOutputFile().location();
      created.add(location);
      try {
        return Parquet.writeData(out)
            .forTable(table)
            .schema(schema)
            .setAll(writeProperties)
            .withSpec(spec)
            .withPartition(partition)
            .createWriterFunc(type -> InternalWriter.create(schema.asStruct(), type))
            .overwrite()
            .build();
      } catch (IOException e) {
        throw new UncheckedIOException(
            "Failed to create data file " + out.encryptingOutputFile().location(), e);
      }
    }
  }
}
