package dev.floe.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.floe.core.TableId;
import dev.floe.core.config.FloeConfig;
import dev.floe.core.config.S3Settings;
import dev.floe.sinks.delta.DeltaTableSink;
import io.delta.standalone.DeltaLog;
import io.delta.standalone.Snapshot;
import io.delta.standalone.actions.AddFile;
import io.delta.standalone.types.ArrayType;
import io.delta.standalone.types.DataType;
import io.delta.standalone.types.DecimalType;
import io.delta.standalone.types.MapType;
import io.delta.standalone.types.StructField;
import io.delta.standalone.types.StructType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.schema.PrimitiveType;

/**
 * Reads Delta tables back independently of Floe's writer: the log through delta-standalone (files,
 * partition values, txn versions), the values through parquet-hadoop's example reader, interpreted
 * by the table's Delta schema. Structs come back as maps by field name, binary as hex, dates as
 * LocalDate, timestamps as epoch micros.
 */
final class DeltaTables {
  private static final ObjectMapper JSON = new ObjectMapper();

  private DeltaTables() {}

  static DeltaLog log(FloeConfig config, String table) {
    return DeltaLog.forTable(
        hadoop(config), DeltaTableSink.uri(config.warehouse(), TableId.parse(table)));
  }

  /**
   * Local files, or Hadoop's S3A for an S3 warehouse, set up here from the config's s3 block rather
   * than by Floe's own code, so that the reader stays independent of the writer.
   */
  static Configuration hadoop(FloeConfig config) {
    Configuration conf = new Configuration();
    S3Settings s3 = config.s3();
    if (s3 != null) {
      conf.set("fs.s3a.endpoint", s3.endpoint());
      conf.set("fs.s3a.endpoint.region", "us-east-1");
      conf.setBoolean("fs.s3a.path.style.access", s3.pathStyleAccess());
      conf.setBoolean("fs.s3a.connection.ssl.enabled", false);
      conf.set("fs.s3a.access.key", s3.accessKeyId());
      conf.set("fs.s3a.secret.key", s3.secretAccessKey());
    }
    return conf;
  }

  /** Rows in the latest version, summed from the add actions' statistics (cheap to poll). */
  static long rowCount(FloeConfig config, String table) {
    DeltaLog log = log(config, table);
    Snapshot snapshot = log.update();
    if (snapshot.getVersion() < 0) {
      return 0;
    }
    long n = 0;
    for (AddFile f : snapshot.getAllFiles()) {
      try {
        n += JSON.readTree(f.getStats()).get("numRecords").asLong();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return n;
  }

  /** The next offset the table holds for a partition (its txn version), or -1. */
  static long txnVersion(FloeConfig config, String table, String topic, int partition) {
    DeltaLog log = log(config, table);
    log.update();
    return log.tableExists()
        ? log.startTransaction()
            .txnVersion("floe/" + config.groupId() + "/" + topic + "/" + partition)
        : -1;
  }

  static List<Map<String, Object>> rows(FloeConfig config, String table) {
    DeltaLog log = log(config, table);
    Snapshot snapshot = log.update();
    if (snapshot.getVersion() < 0) {
      return List.of();
    }
    StructType schema = snapshot.getMetadata().getSchema();
    List<String> partitionColumns = snapshot.getMetadata().getPartitionColumns();
    List<Map<String, Object>> rows = new ArrayList<>();
    for (AddFile file : snapshot.getAllFiles()) {
      org.apache.hadoop.fs.Path path =
          new org.apache.hadoop.fs.Path(
              log.getPath(), new org.apache.hadoop.fs.Path(URI.create(file.getPath())));
      try (ParquetReader<Group> reader =
          ParquetReader.builder(new GroupReadSupport(), path).withConf(hadoop(config)).build()) {
        for (Group g = reader.read(); g != null; g = reader.read()) {
          Map<String, Object> row = new LinkedHashMap<>();
          for (StructField f : schema.getFields()) {
            row.put(
                f.getName(),
                partitionColumns.contains(f.getName())
                    ? partitionValue(file.getPartitionValues().get(f.getName()), f.getDataType())
                    : field(g, f.getName(), f.getDataType()));
          }
          rows.add(row);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return rows;
  }

  /** The latest version's data files, relative to the table and decoded, as the log names them. */
  static Set<String> livePaths(FloeConfig config, String table) {
    Set<String> paths = new TreeSet<>();
    for (AddFile f : log(config, table).update().getAllFiles()) {
      paths.add(URI.create(f.getPath()).getPath());
    }
    return paths;
  }

  /**
   * The files under the table's directory outside {@code _delta_log}, relative to it, as Hadoop's
   * file system (S3A for an S3 warehouse) lists them: what VACUUM may delete.
   */
  static Set<String> filesOutsideTheLog(FloeConfig config, String table) {
    org.apache.hadoop.fs.Path root =
        new org.apache.hadoop.fs.Path(DeltaTableSink.uri(config.warehouse(), TableId.parse(table)));
    String prefix = root.toUri().getPath() + "/";
    Set<String> files = new TreeSet<>();
    try (FileSystem fs = FileSystem.newInstance(root.toUri(), hadoop(config))) {
      RemoteIterator<LocatedFileStatus> listed = fs.listFiles(root, true);
      while (listed.hasNext()) {
        String relative = listed.next().getPath().toUri().getPath().substring(prefix.length());
        if (!relative.startsWith("_delta_log/")) {
          files.add(relative);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + root, e);
    }
    return files;
  }

  /** The (partition, offset) of a row, from its {@code _kafka} column. */
  @SuppressWarnings("unchecked")
  static String position(Map<String, Object> row) {
    Map<String, Object> kafka = (Map<String, Object>) row.get("_kafka");
    return kafka.get("partition") + "/" + kafka.get("offset");
  }

  private static Object partitionValue(String text, DataType type) {
    if (text == null) {
      return null;
    }
    return switch (type.getTypeName()) {
      case "integer" -> Integer.parseInt(text);
      case "long" -> Long.parseLong(text);
      case "date" -> LocalDate.parse(text);
      default -> type instanceof DecimalType ? new BigDecimal(text) : text;
    };
  }

  private static Object field(Group g, String name, DataType type) {
    // a file written before the column was added lacks it: Delta readers read null
    if (!g.getType().containsField(name) || g.getFieldRepetitionCount(name) == 0) {
      return null;
    }
    if (type instanceof StructType s) {
      Group nested = g.getGroup(name, 0);
      Map<String, Object> out = new LinkedHashMap<>();
      for (StructField f : s.getFields()) {
        out.put(f.getName(), field(nested, f.getName(), f.getDataType()));
      }
      return out;
    }
    if (type instanceof ArrayType a) {
      Group list = g.getGroup(name, 0);
      List<Object> out = new ArrayList<>();
      for (int i = 0; i < list.getFieldRepetitionCount(0); i++) {
        out.add(field(list.getGroup(0, i), "element", a.getElementType()));
      }
      return out;
    }
    if (type instanceof MapType m) {
      Group map = g.getGroup(name, 0);
      Map<Object, Object> out = new LinkedHashMap<>();
      for (int i = 0; i < map.getFieldRepetitionCount(0); i++) {
        Group kv = map.getGroup(0, i);
        out.put(field(kv, "key", m.getKeyType()), field(kv, "value", m.getValueType()));
      }
      return out;
    }
    if (type instanceof DecimalType d) {
      PrimitiveType p = g.getType().getType(name).asPrimitiveType();
      BigInteger unscaled =
          switch (p.getPrimitiveTypeName()) {
            case INT32 -> BigInteger.valueOf(g.getInteger(name, 0));
            case INT64 -> BigInteger.valueOf(g.getLong(name, 0));
            default -> new BigInteger(g.getBinary(name, 0).getBytes());
          };
      return new BigDecimal(unscaled, d.getScale());
    }
    return switch (type.getTypeName()) {
      case "boolean" -> g.getBoolean(name, 0);
      case "integer" -> g.getInteger(name, 0);
      case "long", "timestamp" -> g.getLong(name, 0);
      case "float" -> g.getFloat(name, 0);
      case "double" -> g.getDouble(name, 0);
      case "string" -> g.getString(name, 0);
      case "binary" -> HexFormat.of().formatHex(g.getBinary(name, 0).getBytes());
      case "date" -> LocalDate.ofEpochDay(g.getInteger(name, 0));
      default -> throw new IllegalArgumentException("unexpected Delta type " + type);
    };
  }

  /** Parses a commitInfo-style offsets map, for messages. */
  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
