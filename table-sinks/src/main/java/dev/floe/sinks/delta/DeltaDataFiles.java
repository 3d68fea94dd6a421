package dev.floe.sinks.delta;

import io.delta.standalone.actions.AddFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.MetricsConfig;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.parquet.InternalWriter;
import org.apache.iceberg.io.FileAppender;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.parquet.Parquet;

/**
 * The open Parquet data files of one Delta batch: one per partition (fanout, since a stream is not
 * clustered by partition), each rolled over at the target size, in Hive-style directories ({@code
 * order_ts_day=2024-05-17/}). Closed files become {@code add} actions with statistics.
 */
final class DeltaDataFiles {
  /** Sizes are checked every this many rows: a file's length sums the buffers of every column. */
  private static final int CHECK_EVERY = 1000;

  static final String NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__";

  private final String table;
  private Schema schema;
  private final List<String> partitionNames;
  private final String commitId;
  private final long targetFileSize;
  private final Map<String, String> properties;
  private final MetricsConfig metrics;
  private final FileIO io;
  private final Map<List<String>, RollingFile> open = new HashMap<>();
  private final List<AddFile> done = new ArrayList<>();
  private final List<String> created = new ArrayList<>();
  private long doneBytes;
  private long openBytes;
  private long rows;
  private int fileCount;

  /**
   * @param table the table's location (a directory or an {@code s3a://} URI)
   * @param io writes the data files: local files, or S3 with multipart uploads
   */
  DeltaDataFiles(
      String table,
      FileIO io,
      Schema schema,
      List<String> partitionNames,
      String commitId,
      long targetFileSize) {
    this.table = table;
    this.io = io;
    this.schema = schema;
    this.partitionNames = partitionNames;
    this.commitId = commitId;
    this.targetFileSize = targetFileSize;
    this.properties =
        Map.of(
            TableProperties.PARQUET_COMPRESSION,
            "zstd",
            // a row group is buffered in memory: never buffer more than a whole file may hold
            TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES,
            String.valueOf(
                Math.min(targetFileSize, TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES_DEFAULT)));
    this.metrics =
        MetricsConfig.fromProperties(
            Map.of(TableProperties.DEFAULT_WRITE_METRICS_MODE, FileStatistics.METRICS_MODE));
  }

  void write(List<String> partition, StructLike row) {
    RollingFile file = open.get(partition);
    if (file == null) {
      file = new RollingFile(partition);
      open.put(partition, file);
    }
    file.write(row);
    if (++rows % CHECK_EVERY == 0) {
      long sum = 0;
      for (RollingFile f : open.values()) {
        sum += f.length();
      }
      openBytes = sum;
    }
  }

  /**
   * Closes the open files and writes the next rows with {@code evolved}: a file holds one schema,
   * and Delta readers fill the columns older files lack with nulls.
   */
  void evolve(Schema evolved) {
    open.values().forEach(RollingFile::close);
    open.clear();
    openBytes = 0;
    schema = evolved;
  }

  long bytes() {
    return doneBytes + openBytes;
  }

  /** Closes every open file; the {@code add} actions of the batch. */
  List<AddFile> close() {
    open.values().forEach(RollingFile::close);
    open.clear();
    openBytes = 0;
    return List.copyOf(done);
  }

  /** Every file this batch created, closed or not, for deletion on abort. */
  List<String> locations() {
    return created;
  }

  /** Hive-style directory of a partition, relative to the table: {@code a=1/b=x%2Fy/}. */
  private String directory(List<String> values) {
    StringBuilder dir = new StringBuilder();
    for (int i = 0; i < partitionNames.size(); i++) {
      String v = values.get(i);
      dir.append(escape(partitionNames.get(i)))
          .append('=')
          .append(v == null ? NULL_PARTITION : escape(v))
          .append('/');
    }
    return dir.toString();
  }

  /** Hive's escaping: characters that paths or URIs treat specially become {@code %XX}. */
  static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      if (c < 0x20 || "\"#%'*/:=?\\\u007F{[]^ ".indexOf(c) >= 0) {
        out.append('%').append(String.format("%02X", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** One partition's current file; a new one starts when it reaches the target size. */
  private final class RollingFile {
    private final List<String> partition;
    private FileAppender<StructLike> writer;
    private String relative;
    private long fileRows;

    RollingFile(List<String> partition) {
      this.partition = partition;
    }

    void write(StructLike row) {
      if (writer == null) {
        writer = open();
      }
      writer.add(row);
      if (++fileRows % CHECK_EVERY == 0 && writer.length() >= targetFileSize) {
        close();
      }
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
        throw new UncheckedIOException("Failed to close data file " + relative, e);
      }
      long size = writer.length();
      Map<String, String> values = new LinkedHashMap<>();
      for (int i = 0; i < partitionNames.size(); i++) {
        values.put(partitionNames.get(i), partition.get(i));
      }
      done.add(
          AddFile.builder(uriPath(relative), values, size, System.currentTimeMillis(), true)
              .stats(FileStatistics.json(schema, writer.metrics()))
              .build());
      doneBytes += size;
      writer = null;
      fileRows = 0;
    }

    private FileAppender<StructLike> open() {
      relative =
          directory(partition) + String.format("part-%05d-%s.zstd.parquet", fileCount++, commitId);
      String location = table + "/" + relative;
      created.add(location);
      try {
        return Parquet.write(io.newOutputFile(location))
            .schema(schema)
            .setAll(properties)
            .metricsConfig(metrics)
            .createWriterFunc(type -> InternalWriter.create(schema.asStruct(), type))
            .overwrite()
            .build();
      } catch (IOException e) {
        throw new UncheckedIOException("Failed to create data file " + location, e);
      }
    }
  }

  /** The path of an {@code add} action: relative and URI-encoded (so '%' becomes "%25"). */
  private static String uriPath(String relative) {
    try {
      return new URI(null, null, relative, null).getRawPath();
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("Cannot encode data file path " + relative, e);
    }
  }
}
