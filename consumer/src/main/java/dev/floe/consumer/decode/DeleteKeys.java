package dev.floe.consumer.decode;

import dev.floe.core.config.KeySettings;
import dev.floe.core.row.Field;
import dev.floe.core.row.Row;
import dev.floe.core.row.Type;
import java.util.ArrayList;
import java.util.List;

/** Picks the key columns out of decoded Kafka keys of one type, for tombstones. */
final class DeleteKeys {
  private final Type.Struct schema;
  private final int[] positions; // position in the key struct per key column; null: scalar key

  private DeleteKeys(Type.Struct schema, int[] positions) {
    this.schema = schema;
    this.positions = positions;
  }

  /**
   * @throws IllegalArgumentException when keys of {@code keyType} do not hold every key column
   */
  static DeleteKeys of(Type keyType, KeySettings settings) {
    List<String> columns = settings.columns();
    if (!(keyType instanceof Type.Struct struct)) {
      if (columns.size() != 1) {
        throw new IllegalArgumentException(
            "its key is a single "
                + keyType
                + " but there are "
                + columns.size()
                + " key columns "
                + columns);
      }
      return new DeleteKeys(
          new Type.Struct(List.of(Field.required(columns.get(0), keyType))), null);
    }
    String prefix = settings.flatten() ? settings.prefix() : "";
    List<Field> fields = new ArrayList<>(columns.size());
    int[] positions = new int[columns.size()];
    for (int i = 0; i < columns.size(); i++) {
      String column = columns.get(i);
      int p = column.startsWith(prefix) ? struct.indexOf(column.substring(prefix.length())) : -1;
      if (p < 0) {
        throw new IllegalArgumentException(
            "its key has no field for key column '"
                + column
                + "' (the key's fields are "
                + struct.fields().stream().map(Field::name).toList()
                + (prefix.isEmpty() ? "" : ", prefixed with '" + prefix + "'")
                + ")");
      }
      Field f = struct.fields().get(p);
      fields.add(new Field(column, f.type(), f.optional(), f.doc(), f.sourceId()));
      positions[i] = p;
    }
    return new DeleteKeys(new Type.Struct(fields), positions);
  }

  DecodedKey apply(Object key) {
    if (positions == null) {
      return new DecodedKey(schema, Row.wrap(key));
    }
    Row row = (Row) key;
    Object[] values = new Object[positions.length];
    for (int i = 0; i < positions.length; i++) {
      values[i] = row.get(positions[i]);
    }
    return new DecodedKey(schema, Row.wrap(values));
  }
}
