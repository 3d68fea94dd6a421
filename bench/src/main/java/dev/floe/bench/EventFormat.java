package dev.floe.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.google.protobuf.CodedOutputStream;
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
  },

  /**
   * proto3 with the event's fields in order; message index [0] (the single byte 0) picks PageEvent.
   */
  PROTOBUF(
      "PROTOBUF",
      """
      syntax = "proto3";
      package bench.web;
      message PageEvent {
        int64 event_id = 1; int64 user_id = 2; string session_id = 3; string event_type = 4;
        string page_url = 5; string referrer = 6; string country = 7; string device = 8;
        string browser = 9; int64 quantity = 10; double price = 11; double amount = 12;
        double score = 13; bool is_member = 14; int64 event_ts_ms = 15; string event_time = 16;
        Context ctx = 17;
        message Context { string app_version = 1; string os = 2; double lat = 3; double lon = 4; }
      }
      """) {
    @Override
    void write(GenericRecord e, ByteArrayOutputStream out) throws IOException {
      out.write(0); // message indexes: [0]
      CodedOutputStream c = CodedOutputStream.newInstance(out);
      c.writeInt64(1, (Long) e.get("event_id"));
      c.writeInt64(2, (Long) e.get("user_id"));
      int field = 3;
      for (String name :
          new String[] {
            "session_id", "event_type", "page_url", "referrer", "country", "device", "browser"
          }) {
        c.writeString(field++, e.get(name).toString());
      }
      c.writeInt64(10, (Long) e.get("quantity"));
      c.writeDouble(11, (Double) e.get("price"));
      c.writeDouble(12, (Double) e.get("amount"));
      c.writeDouble(13, (Double) e.get("score"));
      c.writeBool(14, (Boolean) e.get("is_member"));
      c.writeInt64(15, (Long) e.get("event_ts_ms"));
      c.writeString(16, e.get("event_time").toString());
      GenericRecord ctx = (GenericRecord) e.get("ctx");
      if (ctx != null) {
        ByteArrayOutputStream nested = new ByteArrayOutputStream(64);
        CodedOutputStream n = CodedOutputStream.newInstance(nested);
        n.writeString(1, ctx.get("app_version").toString());
        n.writeString(2, ctx.get("os").toString());
        n.writeDouble(3, (Double) ctx.get("lat"));
        n.writeDouble(4, (Double) ctx.get("lon"));
        n.flush();
        c.writeByteArray(17, nested.toByteArray());
      }
      c.flush();
    }
  },

  /** JSON Schema draft-07; an absent {@code ctx} is simply left out. */
  JSON(
      "JSON",
      """
      {"$schema": "http://json-schema.org/draft-07/schema#", "type": "object",
       "properties": {
         "event_id": {"type": "integer"}, "user_id": {"type": "integer"},
         "session_id": {"type": "string"}, "event_type": {"type": "string"},
         "page_url": {"type": "string"}, "referrer": {"type": "string"},
         "country": {"type": "string"}, "device": {"type": "string"}, "browser": {"type": "string"},
         "quantity": {"type": "integer"}, "price": {"type": "number"}, "amount": {"type": "number"},
         "score": {"type": "number"}, "is_member": {"type": "boolean"},
         "event_ts_ms": {"type": "integer"}, "event_time": {"type": "string"},
         "ctx": {"type": "object", "properties": {
           "app_version": {"type": "string"}, "os": {"type": "string"},
           "lat": {"type": "number"}, "lon": {"type": "number"}},
           "required": ["app_version", "os", "lat", "lon"]}
       },
       "required": ["event_id", "user_id", "session_id", "event_type", "page_url", "referrer", "country",
         "device", "browser", "quantity", "price", "amount", "score", "is_member", "event_ts_ms", "event_time"]}
      """) {
    private final JsonFactory json = new JsonFactory();

    @Override
    void write(GenericRecord e, ByteArrayOutputStream out) throws IOException {
      try (JsonGenerator g = json.createGenerator(out)) {
        writeObject(g, e);
      }
    }

    private void writeObject(JsonGenerator g, GenericRecord r) throws IOException {
      g.writeStartObject();
      for (org.apache.avro.Schema.Field f : r.getSchema().getFields()) {
        Object v = r.get(f.name());
        if (v == null) {
          continue;
        }
        g.writeFieldName(f.name());
        if (v instanceof GenericRecord nested) {
          writeObject(g, nested);
        } else if (v instanceof Long l) {
          g.writeNumber(l);
        } else if (v instanceof Double d) {
          g.writeNumber(d);
        } else if (v instanceof Boolean b) {
          g.writeBoolean(b);
        } else {
          g.writeString(v.toString());
        }
      }
      g.writeEndObject();
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
