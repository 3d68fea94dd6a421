package dev.floe.consumer.decode;

import dev.floe.core.row.ColumnNames;
import dev.floe.core.row.Field;
import dev.floe.core.row.Row;
import dev.floe.core.row.Type;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.TimestampType;

/**
 * The {@code _kafka} column: where each row came from. Headers are a list, not a map, because Kafka
 * allows repeated header keys and their order can matter.
 */
final class KafkaMetadata {
  private static final Type.Struct HEADER =
      new Type.Struct(
          List.of(
              Field.required("key", Type.Primitive.STRING),
              Field.optional("value", Type.Primitive.BINARY)));

  static final Type.Struct TYPE =
      new Type.Struct(
          List.of(
              Field.required("topic", Type.Primitive.STRING),
              Field.required("partition", Type.Primitive.INT),
              Field.required("offset", Type.Primitive.LONG),
              Field.optional("timestamp", Type.Primitive.TIMESTAMPTZ),
              Field.optional("key", Type.Primitive.BINARY),
              Field.optional("headers", new Type.ListType(HEADER, false))));

  private KafkaMetadata() {}

  /**
   * The row type as tables get it: names made safe ({@link ColumnNames}) and the metadata column
   * appended when {@code column} is not null. Every payload format builds its row types with this.
   *
   * @throws IllegalArgumentException when the source already has a field of that name
   */
  static Type.Struct append(Type.Struct source, String column) {
    Type.Struct struct = ColumnNames.safe(source);
    if (column == null) {
      return struct;
    }
    if (struct.indexOf(column) >= 0) {
      throw new IllegalArgumentException(
          "the source has its own field '"
              + column
              + "', the name of the Kafka metadata column; rename the column with kafka-metadata.column");
    }
    List<Field> fields = new java.util.ArrayList<>(struct.fields());
    fields.add(field(column));
    return new Type.Struct(fields);
  }

  private static final Field FIELD =
      new Field(
          "_kafka",
          TYPE,
          false,
          "Kafka topic, partition, offset, timestamp, key and headers of the record",
          0);

  static Field field(String column) {
    return field(column, TYPE);
  }

  /**
   * The metadata type with a decoded key of {@code keyType}; without the key field when {@code
   * keyType} is null (a null key whose schema is unknown).
   */
  static Type.Struct typeWithKey(Type keyType) {
    List<Field> fields = new ArrayList<>(TYPE.fields());
    int key = TYPE.indexOf("key");
    if (keyType == null) {
      fields.remove(key);
    } else {
      fields.set(key, Field.optional("key", keyType));
    }
    return new Type.Struct(fields);
  }

  static Field field(String column, Type.Struct type) {
    return new Field(column, type, false, FIELD.doc(), 0);
  }

  /**
   * The metadata of a record whose key was decoded; {@code withKey} as for {@link #typeWithKey}.
   */
  static Row row(ConsumerRecord<byte[], byte[]> r, boolean withKey, Object key) {
    return withKey
        ? Row.wrap(r.topic(), r.partition(), r.offset(), timestamp(r), key, headers(r))
        : Row.wrap(r.topic(), r.partition(), r.offset(), timestamp(r), headers(r));
  }

  private static Long timestamp(ConsumerRecord<byte[], byte[]> r) {
    return r.timestampType() == TimestampType.NO_TIMESTAMP_TYPE || r.timestamp() < 0
        ? null
        : r.timestamp() * 1000L;
  }

  static Row row(ConsumerRecord<byte[], byte[]> r) {
    Long timestamp =
        r.timestampType() == TimestampType.NO_TIMESTAMP_TYPE || r.timestamp() < 0
            ? null
            : r.timestamp() * 1000L;
    return Row.wrap(
        r.topic(),
        r.partition(),
        r.offset(),
        timestamp,
        r.key() == null ? null : ByteBuffer.wrap(r.key()),
        headers(r));
  }

  private static List<Row> headers(ConsumerRecord<byte[], byte[]> r) {
    Header[] headers = r.headers().toArray();
    if (headers.length == 0) {
      return List.of();
    }
    List<Row> rows = new ArrayList<>(headers.length);
    for (Header h : headers) {
      rows.add(Row.wrap(h.key(), h.value() == null ? null : ByteBuffer.wrap(h.value())));
    }
    return rows;
  }
}
