package dev.floe.sinks.delta;

import dev.floe.core.PartitionOffsets;
import dev.floe.core.TableId;
import dev.floe.core.config.PartitionField;
import dev.floe.core.row.Row;
import dev.floe.core.row.Type;
import dev.floe.core.sink.TableSpec;
import dev.floe.sinks.Offsets;
import io.delta.standalone.DeltaLog;
import io.delta.standalone.Snapshot;
import io.delta.standalone.actions.AddFile;
import io.delta.standalone.data.CloseableIterator;
import io.delta.standalone.data.RowRecord;
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
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;

/**
 * Specs, offsets and independent readers for Delta tables (delta-standalone's log replay, Parquet
 * readers), never Floe's writer code. Values are compared in one plain form: structs as lists,
 * binary as hex, timestamps as epoch micros, dates as LocalDate.
 */
final class DeltaFixtures {
  static final String GROUP = "floe-test";

  private DeltaFixtures() {}

  static TableSpec spec(String table, String... partitionBy) {
    return spec(table, Map.of(), partitionBy);
  }

  static TableSpec spec(String table, Map<String, String> properties, String... partitionBy) {
    return new TableSpec(
        TableId.parse(table),
        "local",
        Arrays.stream(partitionBy).map(PartitionField::parse).toList(),
        512L << 20,
        properties);
  }

  static PartitionOffsets offsets(Object... topicPartitionNext) {
    return Offsets.offsets(topicPartitionNext);
  }

  static DeltaLog log(Path warehouse, String table) {
    return DeltaLog.forTable(
        new Configuration(),
        DeltaTableSink.location(warehouse.toString(), TableId.parse(table)).toString());
  }

  /**
   * Every row of the table's latest snapshot, each as a map of column name to plain value: the
   * files and partition values from delta-standalone's log replay, the values from parquet-hadoop's
   * example reader, interpreted by the table's Delta schema. (delta-standalone's own row reader
   * cannot read decimal(38, 6); {@link #openWithStandalone} uses it where it can.)
   */
  static List<Map<String, Object>> read(Path warehouse, String table) {
    DeltaLog log = log(warehouse, table);
    Snapshot snapshot = log.update();
    StructType schema = snapshot.getMetadata().getSchema();
    List<String> partitionColumns = snapshot.getMetadata().getPartitionColumns();
    List<Map<String, Object>> rows = new ArrayList<>();
    for (AddFile file : snapshot.getAllFiles()) {
      org.apache.hadoop.fs.Path path =
          new org.apache.hadoop.fs.Path(
              log.getPath(), new org.apache.hadoop.fs.Path(URI.create(file.getPath())));
      try (ParquetReader<Group> reader =
          ParquetReader.builder(new GroupReadSupport(), path).build()) {
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

  /**
   * Some columns of the table's rows through delta-standalone's own reader (log replay, Parquet,
   * partition values). It decodes timestamps only from INT96, which Floe never writes (INT64
   * micros, as Delta's protocol allows and Spark, Trino and Kernel read), so leave those out.
   */
  static List<Map<String, Object>> openWithStandalone(
      Path warehouse, String table, String... columns) {
    Snapshot snapshot = log(warehouse, table).update();
    StructType schema = snapshot.getMetadata().getSchema();
    List<Map<String, Object>> rows = new ArrayList<>();
    try (CloseableIterator<RowRecord> it = snapshot.open()) {
      while (it.hasNext()) {
        RowRecord r = it.next();
        Map<String, Object> row = new LinkedHashMap<>();
        for (String c : columns) {
          row.put(c, plain(r, c, schema.get(c).getDataType()));
        }
        rows.add(row);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return rows;
  }

  private static Object partitionValue(String text, DataType type) {
    if (text == null) {
      return null;
    }
    return switch (type.getTypeName()) {
      case "integer" -> Integer.parseInt(text);
      case "long" -> Long.parseLong(text);
      case "boolean" -> Boolean.parseBoolean(text);
      case "date" -> LocalDate.parse(text);
      case "double" -> Double.parseDouble(text);
      case "float" -> Float.parseFloat(text);
      default -> type instanceof DecimalType ? new BigDecimal(text) : text;
    };
  }

  private static Object field(Group g, String name, DataType type) {
    if (g.getFieldRepetitionCount(name) == 0) {
      return null;
    }
    if (type instanceof StructType s) {
      Group nested = g.getGroup(name, 0);
      List<Object> out = new ArrayList<>();
      for (StructField f : s.getFields()) {
        out.add(field(nested, f.getName(), f.getDataType()));
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
      case "long" -> g.getLong(name, 0);
      case "float" -> g.getFloat(name, 0);
      case "double" -> g.getDouble(name, 0);
      case "string" -> g.getString(name, 0);
      case "binary" -> HexFormat.of().formatHex(g.getBinary(name, 0).getBytes());
      case "date" -> LocalDate.ofEpochDay(g.getInteger(name, 0));
      case "timestamp" -> timestampMicros(g, name);
      default -> throw new IllegalArgumentException("unexpected Delta type " + type);
    };
  }

  /** Micros of an INT64 timestamp, checking the annotation that tells readers the unit. */
  private static long timestampMicros(Group g, String name) {
    LogicalTypeAnnotation a = g.getType().getType(name).getLogicalTypeAnnotation();
    if (!(a instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation t)
        || t.getUnit() != LogicalTypeAnnotation.TimeUnit.MICROS
        || !t.isAdjustedToUTC()) {
      throw new AssertionError("column " + name + " is not TIMESTAMP(MICROS, UTC): " + a);
    }
    return g.getLong(name, 0);
  }

  private static Object plain(RowRecord r, String name, DataType type) {
    if (r.isNullAt(name)) {
      return null;
    }
    if (type instanceof StructType s) {
      RowRecord nested = r.getRecord(name);
      List<Object> out = new ArrayList<>();
      for (StructField f : s.getFields()) {
        out.add(plain(nested, f.getName(), f.getDataType()));
      }
      return out;
    }
    if (type instanceof ArrayType a) {
      List<Object> out = new ArrayList<>();
      for (Object v : r.getList(name)) {
        out.add(plainValue(v, a.getElementType()));
      }
      return out;
    }
    if (type instanceof MapType m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      r.getMap(name)
          .forEach(
              (k, v) -> out.put(plainValue(k, m.getKeyType()), plainValue(v, m.getValueType())));
      return out;
    }
    if (type instanceof DecimalType) {
      return r.getBigDecimal(name);
    }
    return switch (type.getTypeName()) {
      case "boolean" -> r.getBoolean(name);
      case "integer" -> r.getInt(name);
      case "long" -> r.getLong(name);
      case "float" -> r.getFloat(name);
      case "double" -> r.getDouble(name);
      case "string" -> r.getString(name);
      case "binary" -> HexFormat.of().formatHex(r.getBinary(name));
      case "date" -> r.getDate(name).toLocalDate();
      case "timestamp" -> micros(r.getTimestamp(name));
      default -> throw new IllegalArgumentException("unexpected Delta type " + type);
    };
  }

  /** Values inside arrays and maps come back as Java objects rather than through getters. */
  private static Object plainValue(Object v, DataType type) {
    if (v instanceof RowRecord nested && type instanceof StructType s) {
      List<Object> out = new ArrayList<>();
      for (StructField f : s.getFields()) {
        out.add(plain(nested, f.getName(), f.getDataType()));
      }
      return out;
    }
    if (v instanceof byte[] b) {
      return HexFormat.of().formatHex(b);
    }
    if (v instanceof Timestamp t) {
      return micros(t);
    }
    if (v instanceof java.sql.Date d) {
      return d.toLocalDate();
    }
    return v;
  }

  private static long micros(Timestamp t) {
    return Math.floorDiv(t.getTime(), 1000) * 1_000_000 + t.getNanos() / 1000;
  }

  /** A value of the row model in the plain form {@link #read} gives for Delta's representation. */
  static Object expected(Type type, Object value) {
    if (value == null) {
      return null;
    }
    if (type instanceof Type.Primitive p) {
      return switch (p) {
        case DATE -> LocalDate.ofEpochDay((Integer) value);
        case TIME -> TimeOfDay.format((Long) value);
        case UUID -> ((UUID) value).toString();
        case STRING -> value.toString();
        case BINARY -> hex((ByteBuffer) value);
        default -> value;
      };
    }
    if (type instanceof Type.Fixed) {
      return hex((ByteBuffer) value);
    }
    if (type instanceof Type.Decimal) {
      return (BigDecimal) value;
    }
    if (type instanceof Type.Struct s) {
      List<Object> fields = new ArrayList<>();
      for (int i = 0; i < s.fields().size(); i++) {
        fields.add(expected(s.fields().get(i).type(), ((Row) value).get(i)));
      }
      return fields;
    }
    if (type instanceof Type.ListType l) {
      List<Object> out = new ArrayList<>();
      ((List<?>) value).forEach(v -> out.add(expected(l.element(), v)));
      return out;
    }
    Type.MapType m = (Type.MapType) type;
    Map<Object, Object> out = new LinkedHashMap<>();
    ((Map<?, ?>) value).forEach((k, v) -> out.put(expected(m.key(), k), expected(m.value(), v)));
    return out;
  }

  /** A whole row in the plain form, by column name. */
  static Map<String, Object> expectedRow(Type.Struct type, Row row) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < type.fields().size(); i++) {
      out.put(type.fields().get(i).name(), expected(type.fields().get(i).type(), row.get(i)));
    }
    return out;
  }

  private static String hex(ByteBuffer b) {
    ByteBuffer d = b.duplicate();
    byte[] bytes = new byte[d.remaining()];
    d.get(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
