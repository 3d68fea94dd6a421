package dev.floe.sinks.iceberg;

import dev.floe.core.sink.Column;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * An Iceberg schema as the columns a Hive-style catalog lists (Glue, Hive Metastore), in Hive's
 * type syntax, as Iceberg's own HiveSchemaUtil writes them: engines read the real schema from the
 * metadata; the columns let catalog browsers and {@code SHOW COLUMNS} show it.
 */
final class HiveColumns {
  private HiveColumns() {}

  static List<Column> of(Schema schema) {
    return schema.columns().stream().map(f -> new Column(f.name(), type(f.type()))).toList();
  }

  static String type(Type type) {
    return switch (type.typeId()) {
      case BOOLEAN -> "boolean";
      case INTEGER -> "int";
      case LONG -> "bigint";
      case FLOAT -> "float";
      case DOUBLE -> "double";
      case DATE -> "date";
      case TIMESTAMP, TIMESTAMP_NANO -> "timestamp";
      case STRING, UUID, TIME -> "string";
      case FIXED, BINARY -> "binary";
      case DECIMAL -> {
        Types.DecimalType d = (Types.DecimalType) type;
        yield "decimal(" + d.precision() + "," + d.scale() + ")";
      }
      case STRUCT ->
          type.asStructType().fields().stream()
              .map(f -> f.name() + ":" + type(f.type()))
              .collect(Collectors.joining(",", "struct<", ">"));
      case LIST -> "array<" + type(type.asListType().elementType()) + ">";
      case MAP ->
          "map<"
              + type(type.asMapType().keyType())
              + ","
              + type(type.asMapType().valueType())
              + ">";
      default -> "string"; // variant, geometry and other v3 types: no Hive equivalent
    };
  }
}
