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

  @Override
  public PayloadDecoder compile(
      RegisteredSchema registered, SchemaRegistryClient registry, String metadataColumn) {
    Schema schema;
    try {
      schema = new Schema.Parser().setValidateDefaults(false).parse(registered.text());
    } catch (SchemaParseException e) {
      throw new IllegalArgumentException("not a valid Avro schema: " + e.getMessage(), e);
    }
    AvroMapping.Mapped m = AvroMapping.record(schema, metadataColumn == null ? 0 : 1);
    Type.Struct type = KafkaMetadata.append((Type.Struct) m.type(), metadataColumn);
    AvroMapping.ValueReader reader = m.reader();
    return (value, offset) -> {
      BinaryDecoder reuse = DECODERS.get();
      BinaryDecoder in =
          DecoderFactory.get().binaryDecoder(value, offset, value.length - offset, reuse);
      if (reuse == null) {
        DECODERS.set(in);
      }
      Object[] values = (Object[]) reader.read(in);
      if (!in.isEnd()) {
        throw new java.io.IOException(
            (value.length - offset) + "-byte payload has bytes left after the record");
      }
      return new PayloadDecoder.Decoded(type, values);
    };
  }
}
