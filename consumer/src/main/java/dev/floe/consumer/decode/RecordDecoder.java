package dev.floe.consumer.decode;

import dev.floe.consumer.registry.RegisteredSchema;
import dev.floe.consumer.registry.SchemaRegistryClient;
import dev.floe.core.BadRecordException.Stage;
import dev.floe.core.Errors;
import dev.floe.core.SourcePosition;
import dev.floe.core.row.Row;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns Confluent-framed record values into rows: reads the schema id, fetches the schema once,
 * compiles it once with the format the registry names (Avro, JSON Schema), then decodes each
 * payload straight into the row model and fills in the Kafka metadata column. Thread-safe.
 */
public final class RecordDecoder {
  private final SchemaRegistryClient registry;
  private final Map<String, PayloadFormat> formats;
  private final Map<Key, PayloadDecoder> compiled = new ConcurrentHashMap<>();

  public RecordDecoder(SchemaRegistryClient registry) {
    this(registry, List.of(new AvroFormat(), new JsonSchemaFormat()));
  }

  RecordDecoder(SchemaRegistryClient registry, List<PayloadFormat> formats) {
    this.registry = registry;
    this.formats =
        formats.stream().collect(Collectors.toMap(PayloadFormat::schemaType, Function.identity()));
  }

  private record Key(int schemaId, String metadataColumn) {}

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
    PayloadDecoder decoder = compiled(record, id, metadataColumn);
    PayloadDecoder.Decoded decoded;
    try {
      decoded = decoder.decode(value, ConfluentFraming.PAYLOAD_OFFSET);
    } catch (IOException | RuntimeException e) {
      throw Errors.badRecord(
          position(record),
          Stage.DECODE,
          "the payload does not match its schema id " + id + " (" + e + ")",
          "check the producer's serializer and that it registered the schema it wrote with",
          e);
    }
    Object[] values = decoded.values();
    if (metadataColumn != null) {
      values[values.length - 1] = KafkaMetadata.row(record); // the slot the decoder left free
    }
    return new DecodedRecord(decoded.type(), Row.wrap(values), id);
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
