package dev.floe.sinks.iceberg;

import dev.floe.core.row.Field;
import dev.floe.core.row.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.types.Types.NestedField;

/**
 * Neutral row types to Iceberg types. Field ids are assigned fresh, in Iceberg's order (a struct's
 * fields before their children), as the catalog would assign them when it creates the table.
 */
final class SchemaMapping {
  private SchemaMapping() {}

  static Schema toSchema(Type.Struct struct) {
    return new Schema(toStruct(struct, new AtomicInteger()).fields());
  }

  /** The Iceberg type of a neutral type, with ids from {@code ids}. */
  static org.apache.iceberg.types.Type toType(Type type, AtomicInteger ids) {
    if (type instanceof Type.Primitive p) {
      return primitive(p);
    } else if (type instanceof Type.Decimal d) {
      return Types.DecimalType.of(d.precision(), d.scale());
    } else if (type instanceof Type.Fixed f) {
      return Types.FixedType.ofLength(f.length());
    } else if (type instanceof Type.Struct s) {
      return toStruct(s, ids);
    } else if (type instanceof Type.ListType l) {
      int elementId = ids.incrementAndGet();
      org.apache.iceberg.types.Type element = toType(l.element(), ids);
      return l.elementOptional()
          ? Types.ListType.ofOptional(elementId, element)
          : Types.ListType.ofRequired(elementId, element);
    }
    Type.MapType m = (Type.MapType) type;
    int keyId = ids.incrementAndGet();
    int valueId = ids.incrementAndGet();
    org.apache.iceberg.types.Type key = toType(m.key(), ids);
    org.apache.iceberg.types.Type value = toType(m.value(), ids);
    return m.valueOptional()
        ? Types.MapType.ofOptional(keyId, valueId, key, value)
        : Types.MapType.ofRequired(keyId, valueId, key, value);
  }

  private static Types.StructType toStruct(Type.Struct struct, AtomicInteger ids) {
    int first = ids.get() + 1;
    ids.addAndGet(struct.fields().size()); // a struct's own fields take the ids before any child's
    List<NestedField> fields = new ArrayList<>(struct.fields().size());
    for (int i = 0; i < struct.fields().size(); i++) {
      Field f = struct.fields().get(i);
      fields.add(NestedField.of(first + i, f.optional(), f.name(), toType(f.type(), ids), f.doc()));
    }
    return Types.StructType.of(fields);
  }

  private static org.apache.iceberg.types.Type primitive(Type.Primitive p) {
    return switch (p) {
      case BOOLEAN -> Types.BooleanType.get();
      case INT -> Types.IntegerType.get();
      case LONG -> Types.LongType.get();
      case FLOAT -> Types.FloatType.get();
      case DOUBLE -> Types.DoubleType.get();
      case STRING -> Types.StringType.get();
      case BINARY -> Types.BinaryType.get();
      case DATE -> Types.DateType.get();
      case TIME -> Types.TimeType.get();
      case TIMESTAMP -> Types.TimestampType.withoutZone();
      case TIMESTAMPTZ -> Types.TimestampType.withZone();
      case UUID -> Types.UUIDType.get();
    };
  }
}
