package dev.floe.sinks.delta;

import dev.floe.core.Errors;
import dev.floe.core.TableId;
import dev.floe.core.row.Row;
import dev.floe.core.row.Type;
import java.util.ArrayList;
import java.util.List;

/**
 * The key of a row of an upsert table, as values that compare equal whether they come from a row, a
 * delete or a data file read back: text as String (Avro's Utf8 does not equal a String), uuids as
 * their text (Delta stores them so), ints as longs (a long column holds int rows).
 */
final class KeyValues {
  private final TableId id;
  private final List<String> columns;

  KeyValues(TableId id, List<String> columns) {
    this.id = id;
    this.columns = columns;
  }

  /** The key of {@code row}, which has the key columns by name. */
  List<Object> of(Type.Struct schema, Row row) {
    List<Object> key = new ArrayList<>(columns.size());
    for (String c : columns) {
      int p = schema.indexOf(c);
      Object value = p < 0 ? null : row.get(p);
      if (value == null) {
        throw Errors.of(
            "Key column '" + c + "' of Delta table " + id + " is " + (p < 0 ? "missing" : "null"),
            "every row of an upsert table needs all its key columns ("
                + String.join(", ", columns)
                + ")",
            null);
      }
      key.add(normalize(value));
    }
    return key;
  }

  static Object normalize(Object value) {
    if (value instanceof CharSequence || value instanceof java.util.UUID) {
      return value.toString();
    }
    if (value instanceof Integer i) {
      return i.longValue();
    }
    return value;
  }
}
