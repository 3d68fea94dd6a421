package dev.floe.consumer.decode;

import dev.floe.consumer.registry.RegisteredSchema;
import dev.floe.consumer.registry.SchemaRegistryClient;
import dev.floe.core.row.Type;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;

/** Avro: one record type per schema id, decoded by {@link AvroMapping}'s compiled readers. */
final class AvroFormat implements PayloadFormat {
  /** Each worker thread re-targets its own decoder instead of allocating one per record. */
  private static final ThreadLocal<BinaryDecoder> DECODERS = new ThreadLocal<>();

  @Override
  public String schemaType() {
    return "AVRO";
  }

  /** Records decode as values do; any other schema (a {@code "string"} key) as a scalar. */
  @Override
  public KeyReader compileKey(RegisteredSchema registered, SchemaRegistryClient registry) {
    Schema schema = parse(registered);
    boolean record = schema.getType() == Schema.Type.RECORD;
    AvroMapping.Mapped m = record ? AvroMapping.record(schema, 0) : AvroMapping.scalar(schema);
    Type type = record ? KafkaMetadata.append((Type.Struct) m.type(), null) : m.type();
    AvroMapping.ValueReader reader = m.reader();
    return new KeyReader() {
      @Override
      public Key decode(byte[] bytes, int offset) throws java.io.IOException {
        BinaryDecoder in = decoder(bytes, offset);
        Object value = reader.read(in);
        ensureEnd(in, bytes.length - offset);
        return new Key(type, record ? dev.floe.core.row.Row.wrap((Object[]) value) : value);
      }

      @Override
      public Type type() {
        return type;
      }
    };
  }

  @Override
  public PayloadDecoder compile(
      RegisteredSchema registered, SchemaRegistryClient registry, String metadataColumn) {
    Schema schema = parse(registered);
    AvroMapping.Mapped m = AvroMapping.record(schema, metadataColumn == null ? 0 : 1);
    Type.Struct type = KafkaMetadata.append((Type.Struct) m.type(), metadataColumn);
    AvroMapping.ValueReader reader = m.reader();
    return new PayloadDecoder() {
      @Override
      public Decoded decode(byte[] value, int offset) throws java.io.IOException {
        BinaryDecoder in = decoder(value, offset);
        Object[] values = (Object[]) reader.read(in);
        ensureEnd(in, value.length - offset);
        return new PayloadDecoder.Decoded(type, values);
      }

      @Override
      public Type.Struct rowType() {
        return type;
      }
    };
  }

  private static Schema parse(RegisteredSchema registered) {
    try {
      return new Schema.Parser().setValidateDefaults(false).parse(registered.text());
    } catch (SchemaParseException e) {
      throw new IllegalArgumentException("not a valid Avro schema: " + e.getMessage(), e);
    }
  }

  private static BinaryDecoder decoder(byte[] bytes, int offset) {
    BinaryDecoder reuse = DECODERS.get();
    BinaryDecoder in =
        DecoderFactory.get().binaryDecoder(bytes, offset, bytes.length - offset, reuse);
    if (reuse == null) {
      DECODERS.set(in);
    }
    return in;
  }

  private static void ensureEnd(BinaryDecoder in, int length) throws java.io.IOException {
    if (!in.isEnd()) {
      throw new java.io.IOException(length + "-byte payload has bytes left after the value");
    }
  }
}
