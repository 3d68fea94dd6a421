package dev.floe.consumer.decode;

import dev.floe.consumer.registry.RegisteredSchema;
import dev.floe.consumer.registry.SchemaRegistryClient;
import dev.floe.core.BadRecordException.Stage;
import dev.floe.core.Errors;
import dev.floe.core.SourcePosition;
import dev.floe.core.row.Field;
import dev.floe.core.row.Row;
import dev.floe.core.row.Type;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns Confluent-framed record values into rows: reads the schema id, fetches the schema once,
 * compiles it once, then decodes each payload straight into the row model and appends the Kafka
 * metadata column. Thread-safe; each worker thread keeps its own Avro decoder for reuse.
 */
public final class RecordDecoder {
  private final SchemaRegistryClient registry;
  private final Map<Key, Compiled> compiled = new ConcurrentHashMap<>();
  private final ThreadLocal<BinaryDecoder> decoders = new ThreadLocal<>();

  public RecordDecoder(SchemaRegistryClient registry) {
    this.registry = registry;
  }

  private record Key(int schemaId, String metadataColumn) {}

  private record Compiled(Type.Struct schema, AvroMapping.ValueReader reader) {}

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
    Compiled c = compiled(record, id, metadataColumn);
    BinaryDecoder reuse = decoders.get();
    BinaryDecoder in =
        DecoderFactory.get()
            .binaryDecoder(
                value,
                ConfluentFraming.PAYLOAD_OFFSET,
                value.length - ConfluentFraming.PAYLOAD_OFFSET,
                reuse);
    if (reuse == null) {
      decoders.set(in); // the factory re-targets the same decoder on later calls
    }
    Object[] values;
    try {
      values = (Object[]) c.reader().read(in);
      if (!in.isEnd()) {
        throw new IOException(
            (value.length - ConfluentFraming.PAYLOAD_OFFSET)
                + "-byte payload has bytes left after the record");
      }
    } catch (IOException | RuntimeException e) {
      throw Errors.badRecord(
          position(record),
          Stage.DECODE,
          "the Avro payload does not match its schema id " + id + " (" + e + ")",
          "check the producer's serializer and that it registered the schema it wrote with",
          e);
    }
    if (metadataColumn != null) {
      values[values.length - 1] = KafkaMetadata.row(record); // the slot the reader left free
    }
    return new DecodedRecord(c.schema(), Row.wrap(values), id);
  }

  private Compiled compiled(ConsumerRecord<byte[], byte[]> record, int id, String metadataColumn) {
    Key key = new Key(id, metadataColumn);
    Compiled c = compiled.get(key);
    if (c == null) {
      c = compile(record, id, metadataColumn);
      compiled.putIfAbsent(key, c);
    }
    return c;
  }

  private Compiled compile(ConsumerRecord<byte[], byte[]> record, int id, String metadataColumn) {
    RegisteredSchema registered;
    try {
      registered = registry.schema(id);
    } catch (SchemaRegistryClient.UnknownSchemaException e) {
      throw Errors.badRecord(position(record), Stage.DECODE, e.problem(), e.fix(), null);
    }
    if (!"AVRO".equals(registered.type())) {
      throw Errors.badRecord(
          position(record),
          Stage.DECODE,
          "schema id "
              + id
              + " is a "
              + registered.type()
              + " schema; this version of Floe decodes Avro only",
          "produce Avro for this topic",
          null);
    }
    try {
      Schema schema = new Schema.Parser().setValidateDefaults(false).parse(registered.text());
      AvroMapping.Mapped m = AvroMapping.record(schema, metadataColumn == null ? 0 : 1);
      Type.Struct struct = (Type.Struct) m.type();
      if (metadataColumn != null) {
        if (struct.indexOf(metadataColumn) >= 0) {
          throw new IllegalArgumentException(
              "the record has its own field '"
                  + metadataColumn
                  + "', the name of the Kafka metadata column; rename the column with kafka-metadata.column");
        }
        List<Field> fields = new ArrayList<>(struct.fields());
        fields.add(KafkaMetadata.field(metadataColumn));
        struct = new Type.Struct(fields);
      }
      return new Compiled(struct, m.reader());
    } catch (SchemaParseException | IllegalArgumentException e) {
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
