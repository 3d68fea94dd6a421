package dev.floe.sinks.iceberg;

import dev.floe.core.Errors;
import dev.floe.core.TableId;
import dev.floe.core.config.PartitionField;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.transforms.Transform;
import org.apache.iceberg.transforms.Transforms;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * A mapping's {@code partition-by} entries as an Iceberg partition spec, checked against the
 * schema.
 */
final class PartitionSpecs {
  private PartitionSpecs() {}

  static PartitionSpec of(TableId table, Schema schema, List<PartitionField> fields) {
    PartitionSpec.Builder spec = PartitionSpec.builderFor(schema);
    for (PartitionField f : fields) {
      Types.NestedField column = column(table, schema, f);
      check(table, schema, f, column.type());
      String name = f.column();
      try {
        switch (f.transform()) {
          case IDENTITY -> spec.identity(name);
          case YEAR -> spec.year(name);
          case MONTH -> spec.month(name);
          case DAY -> spec.day(name);
          case HOUR -> spec.hour(name);
          case BUCKET -> spec.bucket(name, f.parameter());
          case TRUNCATE -> spec.truncate(name, f.parameter());
        }
      } catch (
          IllegalArgumentException e) { // a redundant or clashing entry, e.g. day(ts) and hour(ts)
        throw Errors.of(
            "Table "
                + table
                + ": partition entry '"
                + f
                + "' cannot be added to "
                + fields
                + ": "
                + e.getMessage(),
            "keep one time transform per column and no entry twice",
            e);
      }
    }
    return spec.build();
  }

  private static Types.NestedField column(TableId table, Schema schema, PartitionField f) {
    Types.NestedField column = schema.findField(f.column());
    // accessors exist only for fields reached through structs, never inside a list or map
    if (column == null || schema.accessorForField(column.fieldId()) == null) {
      throw Errors.of(
          "Table "
              + table
              + ": partition entry '"
              + f
              + "' names column '"
              + f.column()
              + "', which is not a column of the table (or sits inside a list or map). Available columns: "
              + String.join(", ", partitionable(schema)),
          "partition by one of the available columns; name nested columns as parent.child",
          null);
    }
    return column;
  }

  private static void check(TableId table, Schema schema, PartitionField f, Type type) {
    Transform<?, ?> transform =
        switch (f.transform()) {
          case IDENTITY -> Transforms.identity();
          case YEAR -> Transforms.year();
          case MONTH -> Transforms.month();
          case DAY -> Transforms.day();
          case HOUR -> Transforms.hour();
          case BUCKET -> Transforms.bucket(f.parameter());
          case TRUNCATE -> Transforms.truncate(f.parameter());
        };
    if (!type.isPrimitiveType() || !transform.canTransform(type)) {
      throw Errors.of(
          "Table "
              + table
              + ": partition entry '"
              + f
              + "' cannot apply "
              + f.transform().name().toLowerCase(Locale.ROOT)
              + " to column '"
              + f.column()
              + "' of type "
              + type
              + ". Available columns: "
              + String.join(", ", partitionable(schema)),
          fix(f.transform()),
          null);
    }
  }

  private static String fix(PartitionField.Transform transform) {
    return switch (transform) {
      case YEAR, MONTH, DAY -> "use a date or timestamp column";
      case HOUR -> "use a timestamp column";
      case TRUNCATE -> "use an int, long, decimal, string or binary column";
      default -> "use a primitive column (not a struct, list or map)";
    };
  }

  /**
   * Primitive columns reachable through structs, written {@code parent.child}, with their types.
   */
  static List<String> partitionable(Schema schema) {
    List<String> names = new ArrayList<>();
    collect(schema.asStruct(), "", names);
    return names;
  }

  private static void collect(Types.StructType struct, String prefix, List<String> names) {
    for (Types.NestedField f : struct.fields()) {
      if (f.type().isStructType()) {
        collect(f.type().asStructType(), prefix + f.name() + ".", names);
      } else if (f.type().isPrimitiveType()) {
        names.add(prefix + f.name() + " (" + f.type() + ")");
      }
    }
  }
}
