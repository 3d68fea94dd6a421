package dev.floe.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * The payload formats that {@link DecodeBench} measures: how the benchmark event is registered and
 * serialized in each. {@link DecodeBench} runs every constant, so a new format (Protobuf, JSON
 * Schema) is one more constant here with its registry schema and its serializer of the same event.
 */
public enum EventFormat {
  AVRO("AVRO", BenchEvents.SCHEMA.toString()) {
    private final GenericDatumWriter<GenericRecord> writer =
        new GenericDatumWriter<>(BenchEvents.SCHEMA);

    @Override
    void write(GenericRecord event, ByteArrayOutputStream out) throws IOException {
      BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
      writer.write(event, encoder);
      encoder.flush();
    }
  };

  final String schemaType;
  final String schema;

  EventFormat(String schemaType, String schema) {
    this.schemaType = schemaType;
    this.schema = schema;
  }

  /** Writes the event's payload, without the Confluent header. */
  abstract void write(GenericRecord event, ByteArrayOutputStream out) throws IOException;

  /** The event as a Confluent serializer frames it: magic byte 0, 4-byte schema id, payload. */
  byte[] framed(int schemaId, GenericRecord event) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    out.write(0);
    out.write(schemaId >>> 24);
    out.write(schemaId >>> 16);
    out.write(schemaId >>> 8);
    out.write(schemaId);
    try {
      write(event, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
