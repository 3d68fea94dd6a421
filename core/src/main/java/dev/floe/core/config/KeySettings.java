package dev.floe.core.config;

/**
 * How a mapping reads the Kafka record key: its encoding, and whether its fields also become
 * top-level columns (which upserts by the Kafka key need).
 *
 * @param schema for {@link KeyFormat#JSON}: the JSON Schema document of the keys; else null
 * @param flatten whether the key's fields (or, for a scalar key, the key itself as column {@code
 *     key}) become top-level columns besides {@code _kafka.key}
 * @param prefix put before the names of flattened key columns, so that they cannot collide with
 *     value columns
 * @param columns the table's key columns for upserts (value columns or flattened key columns);
 *     empty in append mode
 */
public record KeySettings(
    KeyFormat format,
    String schema,
    boolean flatten,
    String prefix,
    java.util.List<String> columns) {

  /** Keys as they are: bytes in {@code _kafka.key}, no key columns. */
  public static final KeySettings DEFAULT =
      new KeySettings(KeyFormat.BYTES, null, false, "", java.util.List.of());

  public KeySettings {
    columns = java.util.List.copyOf(columns);
  }

  /** How record keys are encoded. */
  public enum KeyFormat {
    /** Opaque bytes, kept as binary. */
    BYTES,
    /** UTF-8 text (Kafka's StringSerializer). */
    STRING,
    /** 8-byte big-endian (Kafka's LongSerializer). */
    LONG,
    /** 4-byte big-endian (Kafka's IntegerSerializer). */
    INT,
    /** Confluent wire format: Avro, Protobuf or JSON Schema, with a schema id in the registry. */
    CONFLUENT,
    /** Plain JSON described by the mapping's {@code key.schema}. */
    JSON
  }

  /** Whether keys are decoded into rows (anything but the default of raw bytes without columns). */
  public boolean decoded() {
    return format != KeyFormat.BYTES || flatten;
  }

  /** The same settings with {@code columns} as key columns. */
  public KeySettings withColumns(java.util.List<String> keyColumns) {
    return new KeySettings(format, schema, flatten, prefix, keyColumns);
  }
}
