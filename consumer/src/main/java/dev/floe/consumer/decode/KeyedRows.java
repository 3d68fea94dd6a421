package dev.floe.consumer.decode;

import dev.floe.core.config.KeySettings;
import dev.floe.core.config.TableMapping;
import dev.floe.core.row.Field;
import dev.floe.core.row.Row;
import dev.floe.core.row.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Rows of one value type joined with keys of one key type: the value's columns, then the key's
 * columns when the mapping flattens the key, then the metadata column with the typed key. One per
 * (mapping, value type, key type), so that the row type stays one instance per combination.
 */
final class KeyedRows {
  /** Identity of the combination: types are compared as instances, which decoders keep stable. */
  record Shape(TableMapping mapping, Type.Struct value, Type key) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Shape s && s.mapping == mapping && s.value == value && s.key == key;
    }

    @Override
    public int hashCode() {
      return (31 * System.identityHashCode(mapping) + System.identityHashCode(value)) * 31
          + System.identityHashCode(key);
    }
  }

  private final Type.Struct type;
  private final int valueSize;
  private final int keyColumns; // 0, 1 for a scalar key, or the key struct's size
  private final boolean scalarKey;
  private final boolean metadata;
  private final boolean metadataKey;

  private KeyedRows(
      Type.Struct type,
      int valueSize,
      int keyColumns,
      boolean scalarKey,
      boolean metadata,
      boolean metadataKey) {
    this.type = type;
    this.valueSize = valueSize;
    this.keyColumns = keyColumns;
    this.scalarKey = scalarKey;
    this.metadata = metadata;
    this.metadataKey = metadataKey;
  }

  /**
   * @param key the key's type, or null for a null key whose schema is unknown: then the row has
   *     neither key columns nor {@code _kafka.key}, which the table fills with nulls
   * @throws IllegalArgumentException when a key column would take a value column's name
   */
  static KeyedRows of(Type.Struct value, Type key, TableMapping mapping) {
    KeySettings settings = mapping.key();
    List<Field> fields = new ArrayList<>(value.fields());
    Map<String, String> taken = new HashMap<>();
    for (Field f : value.fields()) {
      taken.put(f.name().toLowerCase(Locale.ROOT), "value field");
    }
    int keyColumns = 0;
    boolean scalar = key != null && !(key instanceof Type.Struct);
    if (settings.flatten() && key != null) {
      List<Field> keyFields =
          key instanceof Type.Struct s ? s.fields() : List.of(Field.optional("key", key));
      for (Field f : keyFields) {
        String name = settings.prefix() + f.name();
        claim(taken, name, "key column");
        fields.add(new Field(name, f.type(), true, f.doc(), f.sourceId()));
      }
      keyColumns = keyFields.size();
    }
    String column = mapping.kafkaMetadataColumn();
    if (column != null) {
      claim(taken, column, "Kafka metadata column");
      fields.add(KafkaMetadata.field(column, KafkaMetadata.typeWithKey(key)));
    }
    return new KeyedRows(
        new Type.Struct(fields),
        value.fields().size(),
        keyColumns,
        scalar,
        column != null,
        key != null);
  }

  private static void claim(Map<String, String> taken, String name, String what) {
    String previous = taken.putIfAbsent(name.toLowerCase(Locale.ROOT), what);
    if (previous != null) {
      throw new IllegalArgumentException(
          "the "
              + what
              + " '"
              + name
              + "' has the name of a "
              + previous
              + " (table formats compare names without case)");
    }
  }

  Type.Struct type() {
    return type;
  }

  /** The row of a decoded value (without metadata slot) and its decoded key. */
  Row row(Object[] value, Object key, ConsumerRecord<byte[], byte[]> record) {
    Object[] values = new Object[type.fields().size()];
    System.arraycopy(value, 0, values, 0, valueSize);
    if (keyColumns > 0 && key != null) {
      if (scalarKey) {
        values[valueSize] = key;
      } else {
        Row k = (Row) key;
        for (int i = 0; i < keyColumns; i++) {
          values[valueSize + i] = k.get(i);
        }
      }
    }
    if (metadata) {
      values[values.length - 1] = KafkaMetadata.row(record, metadataKey, key);
    }
    return Row.wrap(values);
  }
}
