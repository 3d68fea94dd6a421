package dev.floe.consumer.decode;

import dev.floe.consumer.registry.RegisteredSchema;
import dev.floe.consumer.registry.SchemaRegistryClient;
import dev.floe.core.BadRecordException.Stage;
import dev.floe.core.Errors;
import dev.floe.core.SourcePosition;
import dev.floe.core.config.TableMapping;
import dev.floe.core.row.Row;
import dev.floe.core.row.Type;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns Confluent-framed record values into rows: reads the schema id, fetches the schema once,
 * compiles it once with the format the registry names (Avro, Protobuf, JSON Schema), then decodes
 * each payload straight into the row model and fills in the Kafka metadata column. Plain JSON
 * values (a mapping's value-schema instead of a registry) go through the JSON Schema format too.
 * Thread-safe.
 */
public final class RecordDecoder {
  private final SchemaRegistryClient registry;
  private final Map<String, PayloadFormat> formats;
  private final Map<Key, PayloadDecoder> compiled = new ConcurrentHashMap<>();
  private final KeyDecoder keys;
  private final Map<KeyedRows.Shape, KeyedRows> keyed = new ConcurrentHashMap<>();
  private final Map<KeyedRows.Shape, DeleteKeys> deleteKeys = new ConcurrentHashMap<>();
  private final CdcEvents cdc = new CdcEvents();

  public RecordDecoder(SchemaRegistryClient registry) {
    this(registry, List.of(new AvroFormat(), new ProtobufFormat(), new JsonSchemaFormat()));
  }

  RecordDecoder(SchemaRegistryClient registry, List<PayloadFormat> formats) {
    this.registry = registry;
    this.formats =
        formats.stream().collect(Collectors.toMap(PayloadFormat::schemaType, Function.identity()));
    this.keys = new KeyDecoder(registry, this.formats);
  }

  private record Key(int schemaId, String metadataColumn) {}

  /**
   * Plain JSON decoders by mapping index: a mapping fixes both the schema and the metadata column.
   */
  private final Map<Integer, PayloadDecoder> plain = new ConcurrentHashMap<>();

  /**
   * Decodes a record's value as the mapping says: Confluent-framed with a registered schema, or
   * plain JSON described by the mapping's {@code value-schema}. A null value (tombstone) yields
   * null.
   */
  public DecodedRecord decodeFor(ConsumerRecord<byte[], byte[]> record, TableMapping mapping) {
    if (mapping.key().decoded()) {
      return decodeKeyed(record, mapping);
    }
    if (mapping.valueFormat() == TableMapping.ValueFormat.CONFLUENT) {
      return decode(record, mapping.kafkaMetadataColumn());
    }
    byte[] value = record.value();
    if (value == null) {
      return null;
    }
    PayloadDecoder decoder =
        plain.computeIfAbsent(mapping.index(), k -> compilePlain(record, mapping));
    return finish(record, decoder, value, 0, 0, mapping.kafkaMetadataColumn() != null);
  }

  /**
   * A value decoded without the metadata slot, then joined with its decoded key: the key's columns
   * (when flattened) and the metadata column holding the typed key.
   */
  private DecodedRecord decodeKeyed(ConsumerRecord<byte[], byte[]> record, TableMapping mapping) {
    byte[] value = record.value();
    if (value == null) {
      return null;
    }
    PayloadDecoder decoder;
    int offset;
    int id;
    if (mapping.valueFormat() == TableMapping.ValueFormat.CONFLUENT) {
      id = schemaId(record, value);
      decoder = compiled(record, id, null);
      offset = ConfluentFraming.PAYLOAD_OFFSET;
    } else {
      id = 0;
      decoder = plain.computeIfAbsent(mapping.index(), k -> compilePlain(record, mapping));
      offset = 0;
    }
    PayloadDecoder.Decoded decoded = decodeValue(record, decoder, value, offset, id);
    KeyDecoder.Decoded key = keys.decode(record, mapping);
    KeyedRows.Shape shape = new KeyedRows.Shape(mapping, decoded.type(), key.type());
    KeyedRows rows = keyed.get(shape);
    if (rows == null) {
      try {
        rows = KeyedRows.of(decoded.type(), key.type(), mapping);
      } catch (IllegalArgumentException e) {
        throw Errors.badRecord(
            position(record),
            Stage.DECODE,
            mapping.label() + ": " + e.getMessage(),
            "set key.prefix so that the key columns get names of their own",
            e);
      }
      keyed.putIfAbsent(shape, rows);
    }
    return new DecodedRecord(rows.type(), rows.row(decoded.values(), key.value(), record), id);
  }

  /**
   * The row type records written with {@code schema} get in {@code mapping}'s table: the value's
   * columns and the metadata column (with the key as bytes, or left out when the mapping decodes
   * keys, whose type depends on the key schema). For previews such as {@code floe plan-schema}.
   *
   * @throws IllegalArgumentException when the schema cannot become a table schema
   */
  public Type.Struct rowType(RegisteredSchema schema, TableMapping mapping) {
    PayloadFormat format = formats.get(schema.type());
    if (format == null) {
      throw new IllegalArgumentException(
          "a " + schema.type() + " schema, which Floe does not decode (" + formats.keySet() + ")");
    }
    String metadata = mapping.key().decoded() ? null : mapping.kafkaMetadataColumn();
    Type.Struct type = format.compile(schema, registry, metadata).rowType();
    if (mapping.mode() == TableMapping.Mode.CDC) {
      int after = type.indexOf("after");
      if (after >= 0 && type.fields().get(after).type() instanceof Type.Struct s) {
        return s;
      }
    }
    return type;
  }

  /**
   * Decodes a change event of a {@code mode: cdc} mapping into the upsert or delete it stands for.
   * A tombstone yields null: Debezium writes one after each delete event, for log compaction, and
   * the delete event itself has already removed the row.
   */
  public Change decodeChange(ConsumerRecord<byte[], byte[]> record, TableMapping mapping) {
    DecodedRecord envelope = decodeFor(record, mapping);
    if (envelope == null) {
      return null;
    }
    return cdc.apply(record, mapping, envelope, () -> deleteKey(record, mapping));
  }

  /**
   * The key columns of a tombstone of an upsert mapping, from its Kafka key: the key's fields of
   * the key columns' names ({@code key.prefix} applied when flattened), or, for a scalar key and
   * one key column, the key itself.
   *
   * @throws dev.floe.core.BadRecordException when the key is null or lacks a key column
   */
  public DecodedKey deleteKey(ConsumerRecord<byte[], byte[]> record, TableMapping mapping) {
    KeyDecoder.Decoded key = keys.decode(record, mapping);
    if (key.value() == null) {
      throw Errors.badRecord(
          position(record),
          Stage.DECODE,
          "a tombstone (null value) without a key cannot delete a row of "
              + mapping.label()
              + ", whose mode is upsert",
          "produce tombstones with the key of the row to delete",
          null);
    }
    KeyedRows.Shape shape = new KeyedRows.Shape(mapping, null, key.type());
    DeleteKeys projection = deleteKeys.get(shape);
    if (projection == null) {
      try {
        projection = DeleteKeys.of(key.type(), mapping.key());
      } catch (IllegalArgumentException e) {
        throw Errors.badRecord(
            position(record),
            Stage.DECODE,
            "a tombstone of " + mapping.label() + " cannot delete: " + e.getMessage(),
            "key tombstones by the key columns: give the Kafka key fields named like key.columns"
                + " (key.format tells how to read the key)",
            e);
      }
      deleteKeys.putIfAbsent(shape, projection);
    }
    return projection.apply(key.value());
  }

  private PayloadDecoder compilePlain(ConsumerRecord<byte[], byte[]> record, TableMapping mapping) {
    PayloadFormat json = formats.get("JSON");
    if (json == null) {
      throw Errors.badRecord(
          position(record),
          Stage.DECODE,
          "plain JSON values need the JSON Schema decoder, which this build does not have",
          null,
          null);
    }
    try {
      return json.compile(
          new RegisteredSchema(0, "JSON", mapping.valueSchema()),
          registry,
          mapping.key().decoded() ? null : mapping.kafkaMetadataColumn());
    } catch (IllegalArgumentException e) {
      throw Errors.badRecord(
          position(record),
          Stage.DECODE,
          mapping.label() + " value-schema cannot become a table schema: " + e.getMessage(),
          "fix the JSON Schema file",
          e);
    }
  }

  /**
   * Decodes a record's value. A null value (tombstone) yields null.
   *
   * @param metadataColumn name of the Kafka metadata column to append, or null for none
   * @throws dev.floe.core.BadRecordException when the record cannot be decoded
   */
  public DecodedRecord decode(ConsumerRecord<byte[], byte[]> record, String metadataColumn) {
    byte[] value = record.value();
    if (value == null) {
      return null;
    }
    int id = schemaId(record, value);
    return finish(
        record,
        compiled(record, id, metadataColumn),
        value,
        ConfluentFraming.PAYLOAD_OFFSET,
        id,
        metadataColumn != null);
  }

  private static int schemaId(ConsumerRecord<byte[], byte[]> record, byte[] value) {
    int id = ConfluentFraming.schemaId(value);
    if (id < 0) {
      throw Errors.badRecord(
          position(record),
          Stage.DECODE,
          "the value is not in the Confluent wire format (it must start with magic byte 0 and a 4-byte schema id; first byte is "
              + (value.length == 0 ? "absent" : String.format("0x%02x", value[0]))
              + ")",
          "produce with a Schema Registry serializer (Confluent wire format)",
          null);
    }
    return id;
  }

  private DecodedRecord finish(
      ConsumerRecord<byte[], byte[]> record,
      PayloadDecoder decoder,
      byte[] value,
      int offset,
      int id,
      boolean withMetadata) {
    PayloadDecoder.Decoded decoded = decodeValue(record, decoder, value, offset, id);
    Object[] values = decoded.values();
    if (withMetadata) {
      values[values.length - 1] = KafkaMetadata.row(record); // the slot the decoder left free
    }
    return new DecodedRecord(decoded.type(), Row.wrap(values), id);
  }

  private static PayloadDecoder.Decoded decodeValue(
      ConsumerRecord<byte[], byte[]> record,
      PayloadDecoder decoder,
      byte[] value,
      int offset,
      int id) {
    try {
      return decoder.decode(value, offset);
    } catch (UnmappableSchemaException e) {
      throw Errors.badRecord(
          position(record),
          Stage.DECODE,
          (id > 0 ? "schema id " + id : "the mapping's value-schema")
              + " cannot become a table schema: "
              + e.getMessage(),
          "change the schema or route the topic elsewhere",
          e);
    } catch (IOException | RuntimeException e) {
      throw Errors.badRecord(
          position(record),
          Stage.DECODE,
          (id > 0
                  ? "the payload does not match its schema id " + id
                  : "the value does not match the mapping's value-schema")
              + " ("
              + e
              + ")",
          id > 0
              ? "check the producer's serializer and that it registered the schema it wrote with"
              : "fix the producer or the value-schema",
          e);
    }
  }

  private PayloadDecoder compiled(
      ConsumerRecord<byte[], byte[]> record, int id, String metadataColumn) {
    Key key = new Key(id, metadataColumn);
    PayloadDecoder decoder = compiled.get(key);
    if (decoder == null) {
      decoder = compile(record, id, metadataColumn);
      compiled.putIfAbsent(key, decoder);
    }
    return decoder;
  }

  private PayloadDecoder compile(
      ConsumerRecord<byte[], byte[]> record, int id, String metadataColumn) {
    RegisteredSchema registered;
    try {
      registered = registry.schema(id);
    } catch (SchemaRegistryClient.UnknownSchemaException e) {
      throw Errors.badRecord(position(record), Stage.DECODE, e.problem(), e.fix(), null);
    }
    PayloadFormat format = formats.get(registered.type());
    if (format == null) {
      throw Errors.badRecord(
          position(record),
          Stage.DECODE,
          "schema id "
              + id
              + " is a "
              + registered.type()
              + " schema, which this version of Floe does not decode"
              + " (it decodes "
              + String.join(", ", formats.keySet())
              + ")",
          "produce one of those formats for this topic",
          null);
    }
    try {
      return format.compile(registered, registry, metadataColumn);
    } catch (IllegalArgumentException e) {
      throw Errors.badRecord(
          position(record),
          Stage.DECODE,
          "schema id " + id + " cannot become a table schema: " + e.getMessage(),
          "change the schema or route the topic elsewhere",
          e);
    }
  }

  private static SourcePosition position(ConsumerRecord<?, ?> r) {
    return new SourcePosition(r.topic(), r.partition(), r.offset());
  }
}
