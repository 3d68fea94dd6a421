package dev.floe.consumer.decode;

import dev.floe.consumer.registry.RegisteredSchema;
import dev.floe.consumer.registry.SchemaRegistryClient;
import dev.floe.core.BadRecordException.Stage;
import dev.floe.core.Errors;
import dev.floe.core.SourcePosition;
import dev.floe.core.config.KeySettings;
import dev.floe.core.config.TableMapping;
import dev.floe.core.row.Type;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Decodes record keys as a mapping's {@code key.format} says: fixed-width numbers and UTF-8 as
 * Kafka's own serializers write them, Confluent-framed keys with their registered schema (compiled
 * once per schema id), plain JSON with the mapping's key schema. Thread-safe.
 */
final class KeyDecoder {
  /** Marks a decoded key's source schema: no registry schema, or a null key. */
  static final int NO_SCHEMA = 0;

  static final int NULL_KEY = -1;

  /** A decoded key; {@code type} is null only for a null Confluent key, whose schema is unknown. */
  record Decoded(Type type, Object value, int schemaId) {}

  private final SchemaRegistryClient registry;
  private final Map<String, PayloadFormat> formats;
  private final Map<Integer, KeyReader> confluent = new ConcurrentHashMap<>();
  private final Map<MappingKey, KeyReader> plain = new ConcurrentHashMap<>();

  /** A mapping by identity: cheaper than a record's deep hash, per record. */
  private record MappingKey(TableMapping mapping) {
    @Override
    public boolean equals(Object o) {
      return o instanceof MappingKey k && k.mapping == mapping;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(mapping);
    }
  }

  KeyDecoder(SchemaRegistryClient registry, Map<String, PayloadFormat> formats) {
    this.registry = registry;
    this.formats = formats;
  }

  /**
   * Decodes the key of {@code record} as {@code mapping} says.
   *
   * @throws dev.floe.core.BadRecordException when the key cannot be decoded
   */
  Decoded decode(ConsumerRecord<byte[], byte[]> record, TableMapping mapping) {
    KeySettings settings = mapping.key();
    byte[] key = record.key();
    return switch (settings.format()) {
      case BYTES ->
          new Decoded(Type.Primitive.BINARY, key == null ? null : ByteBuffer.wrap(key), 0);
      case STRING -> new Decoded(Type.Primitive.STRING, key == null ? null : utf8(record, key), 0);
      case LONG ->
          new Decoded(
              Type.Primitive.LONG, key == null ? null : fixedWidth(record, key, 8).getLong(), 0);
      case INT ->
          new Decoded(
              Type.Primitive.INT, key == null ? null : fixedWidth(record, key, 4).getInt(), 0);
      case JSON -> json(record, mapping, key);
      case CONFLUENT -> confluent(record, key);
    };
  }

  private Decoded json(ConsumerRecord<byte[], byte[]> record, TableMapping mapping, byte[] key) {
    KeyReader reader =
        plain.computeIfAbsent(
            new MappingKey(mapping),
            i ->
                compile(
                    record,
                    "JSON",
                    r ->
                        r.compileKey(
                            new RegisteredSchema(0, "JSON", mapping.key().schema()), registry),
                    mapping.label() + " key.schema"));
    if (key == null) {
      return new Decoded(reader.type(), null, NO_SCHEMA); // known from the mapping's key.schema
    }
    return read(record, reader, key, 0, NO_SCHEMA);
  }

  private Decoded confluent(ConsumerRecord<byte[], byte[]> record, byte[] key) {
    if (key == null) {
      return new Decoded(null, null, NULL_KEY);
    }
    int id = ConfluentFraming.schemaId(key);
    if (id < 0) {
      throw Errors.badRecord(
          position(record),
          Stage.DECODE,
          "the key is not in the Confluent wire format (it must start with magic byte 0 and a"
              + " 4-byte schema id; first byte is "
              + (key.length == 0 ? "absent" : String.format("0x%02x", key[0]))
              + ")",
          "produce keys with a Schema Registry serializer, or set the mapping's key.format to"
              + " how the keys are written (bytes, string, long, int, json)",
          null);
    }
    KeyReader reader = confluent.get(id);
    if (reader == null) {
      reader = compileConfluent(record, id);
      confluent.putIfAbsent(id, reader);
    }
    return read(record, reader, key, ConfluentFraming.PAYLOAD_OFFSET, id);
  }

  private KeyReader compileConfluent(ConsumerRecord<byte[], byte[]> record, int id) {
    RegisteredSchema registered;
    try {
      registered = registry.schema(id);
    } catch (SchemaRegistryClient.UnknownSchemaException e) {
      throw Errors.badRecord(position(record), Stage.DECODE, "key: " + e.problem(), e.fix(), null);
    }
    return compile(
        record, registered.type(), f -> f.compileKey(registered, registry), "key schema id " + id);
  }

  private KeyReader compile(
      ConsumerRecord<byte[], byte[]> record,
      String type,
      Function<PayloadFormat, KeyReader> compiler,
      String what) {
    PayloadFormat format = formats.get(type);
    if (format == null) {
      throw Errors.badRecord(
          position(record),
          Stage.DECODE,
          what + " is a " + type + " schema, which this version of Floe does not decode",
          "produce keys in one of " + String.join(", ", formats.keySet()),
          null);
    }
    try {
      return compiler.apply(format);
    } catch (IllegalArgumentException e) {
      throw Errors.badRecord(
          position(record),
          Stage.DECODE,
          what + " cannot become key columns: " + e.getMessage(),
          "change the key schema, or read keys as bytes (key.format: bytes)",
          e);
    }
  }

  private static Decoded read(
      ConsumerRecord<byte[], byte[]> record, KeyReader reader, byte[] key, int offset, int id) {
    try {
      KeyReader.Key k = reader.decode(key, offset);
      return new Decoded(k.type(), k.value(), id);
    } catch (java.io.IOException | RuntimeException e) {
      throw Errors.badRecord(
          position(record),
          Stage.DECODE,
          "the key does not match "
              + (id > 0 ? "its schema id " + id : "the mapping's key.schema")
              + " ("
              + e
              + ")",
          "check the key serializer of the producer",
          e);
    }
  }

  private static String utf8(ConsumerRecord<byte[], byte[]> record, byte[] key) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(key))
          .toString();
    } catch (CharacterCodingException e) {
      throw Errors.badRecord(
          position(record),
          Stage.DECODE,
          "the key is not valid UTF-8 text (" + e + ")",
          "set the mapping's key.format to how the keys are written (bytes keeps them as they are)",
          e);
    }
  }

  private static ByteBuffer fixedWidth(ConsumerRecord<byte[], byte[]> record, byte[] key, int n) {
    if (key.length != n) {
      throw Errors.badRecord(
          position(record),
          Stage.DECODE,
          "the key has "
              + key.length
              + " bytes, but key.format "
              + (n == 8 ? "long" : "int")
              + " needs exactly "
              + n
              + " (big-endian, as Kafka's "
              + (n == 8 ? "Long" : "Integer")
              + "Serializer writes)",
          "set the mapping's key.format to how the keys are written",
          null);
    }
    return ByteBuffer.wrap(key);
  }

  private static SourcePosition position(ConsumerRecord<?, ?> r) {
    return new SourcePosition(r.topic(), r.partition(), r.offset());
  }
}
