package dev.floe.sinks.delta;

import dev.floe.core.row.Field;
import dev.floe.core.row.Type;
import io.delta.standalone.types.ArrayType;
import io.delta.standalone.types.BinaryType;
import io.delta.standalone.types.BooleanType;
import io.delta.standalone.types.DataType;
import io.delta.standalone.types.DateType;
import io.delta.standalone.types.DecimalType;
import io.delta.standalone.types.DoubleType;
import io.delta.standalone.types.FloatType;
import io.delta.standalone.types.IntegerType;
import io.delta.standalone.types.LongType;
import io.delta.standalone.types.MapType;
import io.delta.standalone.types.StringType;
import io.delta.standalone.types.StructField;
import io.delta.standalone.types.StructType;
import io.delta.standalone.types.TimestampType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.types.Types.NestedField;

/**
 * Neutral row types as Delta types (protocol 1, 2), and as the Iceberg types that Iceberg's Parquet
 * writer needs to write exactly that Delta representation. Where Delta has no such type:
 *
 * <ul>
 *   <li>fixed → binary (same bytes);
 *   <li>uuid → string, the canonical 36-character form;
 *   <li>time of day → string {@code HH:mm:ss.SSSSSS} (fixed width, so it sorts and its statistics
 *       skip like the time would);
 *   <li>timestamp without zone → timestamp holding the wall-clock time as if it were UTC: protocol
 *       (1, 2) has no timestamp_ntz, and delta-standalone cannot write the table feature.
 * </ul>
 */
final class DeltaSchemas {
  private DeltaSchemas() {}

  static StructType toDelta(Type.Struct struct) {
    return struct(struct, false);
  }

  static DataType toDelta(Type type) {
    return toDelta(type, false);
  }

  /**
   * @param inContainer whether the type sits inside an array or map, where Delta allows no NOT NULL
   *     struct fields: there they are nullable (the values are still never null)
   */
  private static StructType struct(Type.Struct struct, boolean inContainer) {
    List<StructField> fields = new ArrayList<>(struct.fields().size());
    for (Field f : struct.fields()) {
      fields.add(
          new StructField(f.name(), toDelta(f.type(), inContainer), f.optional() || inContainer));
    }
    return new StructType(fields.toArray(StructField[]::new));
  }

  /** As {@link #toDelta(Type)}; structs inside arrays or maps have only nullable fields. */
  static DataType toDelta(Type type, boolean inContainer) {
    if (type instanceof Type.Primitive p) {
      return switch (p) {
        case BOOLEAN -> new BooleanType();
        case INT -> new IntegerType();
        case LONG -> new LongType();
        case FLOAT -> new FloatType();
        case DOUBLE -> new DoubleType();
        case STRING, UUID, TIME -> new StringType();
        case BINARY -> new BinaryType();
        case DATE -> new DateType();
        case TIMESTAMP, TIMESTAMPTZ -> new TimestampType();
      };
    } else if (type instanceof Type.Decimal d) {
      return new DecimalType(d.precision(), d.scale());
    } else if (type instanceof Type.Fixed) {
      return new BinaryType();
    } else if (type instanceof Type.Struct s) {
      return struct(s, inContainer);
    } else if (type instanceof Type.ListType l) {
      return new ArrayType(toDelta(l.element(), true), l.elementOptional());
    }
    Type.MapType m = (Type.MapType) type;
    return new MapType(toDelta(m.key(), true), toDelta(m.value(), true), m.valueOptional());
  }

  /**
   * The Iceberg schema of a data file holding {@code columns}: timestamps as UTC-adjusted micros,
   * 3-level lists and maps, so that Iceberg's Parquet writer and metrics produce Delta's physical
   * layout. Field ids are only used to look statistics up.
   */
  static Schema fileSchema(StructType columns) {
    return new Schema(struct(columns, new AtomicInteger()).fields());
  }

  private static Types.StructType struct(StructType struct, AtomicInteger ids) {
    StructField[] columns = struct.getFields();
    int first = ids.get() + 1;
    ids.addAndGet(columns.length); // a struct's own fields take the ids before any child's
    List<NestedField> fields = new ArrayList<>(columns.length);
    for (int i = 0; i < columns.length; i++) {
      StructField f = columns[i];
      fields.add(
          NestedField.of(first + i, f.isNullable(), f.getName(), fileType(f.getDataType(), ids)));
    }
    return Types.StructType.of(fields);
  }

  private static org.apache.iceberg.types.Type fileType(DataType type, AtomicInteger ids) {
    if (type instanceof StructType s) {
      return struct(s, ids);
    } else if (type instanceof ArrayType a) {
      int elementId = ids.incrementAndGet();
      org.apache.iceberg.types.Type element = fileType(a.getElementType(), ids);
      return a.containsNull()
          ? Types.ListType.ofOptional(elementId, element)
          : Types.ListType.ofRequired(elementId, element);
    } else if (type instanceof MapType m) {
      int keyId = ids.incrementAndGet();
      int valueId = ids.incrementAndGet();
      org.apache.iceberg.types.Type key = fileType(m.getKeyType(), ids);
      org.apache.iceberg.types.Type value = fileType(m.getValueType(), ids);
      return m.valueContainsNull()
          ? Types.MapType.ofOptional(keyId, valueId, key, value)
          : Types.MapType.ofRequired(keyId, valueId, key, value);
    } else if (type instanceof DecimalType d) {
      return Types.DecimalType.of(d.getPrecision(), d.getScale());
    }
    return switch (type.getTypeName()) {
      case "boolean" -> Types.BooleanType.get();
      case "integer" -> Types.IntegerType.get();
      case "long" -> Types.LongType.get();
      case "float" -> Types.FloatType.get();
      case "double" -> Types.DoubleType.get();
      case "string" -> Types.StringType.get();
      case "binary" -> Types.BinaryType.get();
      case "date" -> Types.DateType.get();
      case "timestamp" -> Types.TimestampType.withZone();
      default ->
          throw new IllegalArgumentException(
              "Delta type " + type.getTypeName() + " is not written by Floe");
    };
  }
}
