package dev.floe.sinks.iceberg;

import dev.floe.core.row.Field;
import dev.floe.core.row.Type;
import java.util.HashMap;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.types.Types;

/**
 * The source ids (Protobuf field numbers) of a table's columns, kept in the table property {@value
 * #PROPERTY} as {@code icebergFieldId:sourceId} pairs. Iceberg assigns its own field ids when it
 * creates a table, so the source's ids cannot be the column ids; this map lets a renamed Protobuf
 * field (same number, new name) find its column again.
 */
final class SourceIds {
  static final String PROPERTY = "floe.source-ids";

  private SourceIds() {}

  /** The map recorded in {@code table}; empty when it has none. */
  static Map<Integer, Integer> read(Table table) {
    String text = table.properties().get(PROPERTY);
    Map<Integer, Integer> ids = new HashMap<>();
    if (text == null || text.isBlank()) {
      return ids;
    }
    for (String pair : text.split(",")) {
      int colon = pair.indexOf(':');
      ids.put(
          Integer.parseInt(pair.substring(0, colon).trim()),
          Integer.parseInt(pair.substring(colon + 1).trim()));
    }
    return ids;
  }

  /**
   * Records the source ids of {@code row}'s fields for the columns of the same names, when the
   * table has no record yet and the row has ids. Done once, right after Floe creates the table.
   */
  static void record(Table table, Type.Struct row) {
    if (table.properties().containsKey(PROPERTY)) {
      return;
    }
    StringBuilder text = new StringBuilder();
    collect(table.schema().asStruct(), row, text);
    if (text.length() > 0) {
      table.updateProperties().set(PROPERTY, text.toString()).commit();
    }
  }

  /**
   * {@code ids} plus the source ids of {@code row}'s fields for the columns of {@code schema} they
   * land in by name (new columns after an evolution).
   */
  static Map<Integer, Integer> merge(
      Map<Integer, Integer> ids, org.apache.iceberg.Schema schema, Type.Struct row) {
    Map<Integer, Integer> merged = new HashMap<>(ids);
    StringBuilder added = new StringBuilder();
    collect(schema.asStruct(), row, added);
    if (added.length() > 0) {
      for (String pair : added.toString().split(",")) {
        int colon = pair.indexOf(':');
        merged.putIfAbsent(
            Integer.parseInt(pair.substring(0, colon)),
            Integer.parseInt(pair.substring(colon + 1)));
      }
    }
    return merged;
  }

  static String format(Map<Integer, Integer> ids) {
    StringBuilder out = new StringBuilder();
    new java.util.TreeMap<>(ids)
        .forEach(
            (f, s) -> out.append(out.length() == 0 ? "" : ",").append(f).append(':').append(s));
    return out.toString();
  }

  private static void collect(Types.StructType table, Type.Struct row, StringBuilder out) {
    for (Field f : row.fields()) {
      Types.NestedField column = table.field(f.name());
      if (column == null) {
        continue;
      }
      if (f.sourceId() > 0) {
        out.append(out.length() == 0 ? "" : ",").append(column.fieldId()).append(':');
        out.append(f.sourceId());
      }
      collectNested(column.type(), f.type(), out);
    }
  }

  private static void collectNested(
      org.apache.iceberg.types.Type column, Type type, StringBuilder out) {
    if (type instanceof Type.Struct s && column.isStructType()) {
      collect(column.asStructType(), s, out);
    } else if (type instanceof Type.ListType l && column.isListType()) {
      collectNested(column.asListType().elementType(), l.element(), out);
    } else if (type instanceof Type.MapType m && column.isMapType()) {
      collectNested(column.asMapType().valueType(), m.value(), out);
    }
  }
}
