package dev.floe.consumer.decode;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.CodedOutputStream;
import dev.floe.consumer.registry.SchemaRegistryClient;
import dev.floe.core.config.ConfigParser;
import dev.floe.core.config.RegistrySettings;
import dev.floe.core.config.TableMapping;
import dev.floe.core.row.Field;
import dev.floe.core.row.Row;
import dev.floe.testsupport.ConfluentAvroProducer;
import dev.floe.testsupport.SchemaRegistry;
import dev.floe.testsupport.SharedServices;
import io.apicurio.registry.serde.SerdeConfig;
import io.apicurio.registry.serde.jsonschema.JsonSchemaKafkaSerializer;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debezium change events in JSON Schema and Protobuf (Avro runs end to end in the app's CdcIT),
 * shaped as Debezium's converters write them, against the real registry.
 */
class CdcEnvelopesIT {
  private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  private static SchemaRegistry registry;
  private static RecordDecoder decoder;
  @TempDir static Path dir;

  /** What the JSON Schema converter registers for dbserver1.inventory.customers (trimmed). */
  static final String JSON_ENVELOPE =
      """
      {"type": "object", "title": "dbserver1.inventory.customers.Envelope",
       "properties": {
        "before": {"oneOf": [{"type": "null"}, {"$ref": "#/definitions/Value"}]},
        "after": {"oneOf": [{"type": "null"}, {"$ref": "#/definitions/Value"}]},
        "source": {"type": "object", "title": "io.debezium.connector.postgresql.Source",
          "properties": {"version": {"type": "string"}, "connector": {"type": "string"},
            "ts_ms": {"type": "integer", "connect.type": "int64"}, "lsn": {"oneOf": [{"type": "null"},
            {"type": "integer", "connect.type": "int64"}]}},
          "required": ["version", "connector", "ts_ms"]},
        "op": {"type": "string"},
        "ts_ms": {"oneOf": [{"type": "null"}, {"type": "integer", "connect.type": "int64"}]}},
       "required": ["source", "op"],
       "definitions": {"Value": {"type": "object", "title": "dbserver1.inventory.customers.Value",
         "properties": {"id": {"type": "integer", "connect.type": "int32"},
           "email": {"oneOf": [{"type": "null"}, {"type": "string"}]}},
         "required": ["id"]}}}""";

  static final String PROTO_ENVELOPE =
      """
      syntax = "proto3";
      package dbserver1.inventory.customers;

      message Envelope {
        Value before = 1;
        Value after = 2;
        Source source = 3;
        string op = 4;
        optional int64 ts_ms = 5;

        message Value {
          int32 id = 1;
          optional string email = 2;
        }
        message Source {
          string version = 1;
          string connector = 2;
          int64 ts_ms = 3;
        }
      }
      """;

  @BeforeAll
  static void connect() {
    registry = SharedServices.registry();
    decoder =
        new RecordDecoder(
            new SchemaRegistryClient(
                new RegistrySettings(
                    registry.url(),
                    null,
                    null,
                    null,
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(30))));
  }

  @Test
  void jsonSchemaEnvelopesBecomeUpsertsAndDeletes() throws Exception {
    String topic = "cdc-json-" + RUN;
    registry.register(topic + "-value", "JSON", JSON_ENVELOPE);
    TableMapping mapping = mapping(topic);

    Change create =
        decoder.decodeChange(
            record(
                topic,
                json(
                    topic,
                    "{\"after\": {\"id\": 7, \"email\": \"a@x\"}, \"op\": \"c\","
                        + " \"ts_ms\": 1700000000500, \"source\": {\"version\": \"3.0\", \"connector\":"
                        + " \"postgresql\", \"ts_ms\": 1700000000000}}")),
            mapping);
    assertThat(create.row().schema().fields())
        .extracting(Field::name)
        .containsExactly("id", "email", "__op", "__ts_ms", "_kafka");
    assertThat(values(create.row().row(), 4)).containsExactly(7, "a@x", "c", 1700000000500L);

    Change delete =
        decoder.decodeChange(
            record(
                topic,
                json(
                    topic,
                    "{\"before\": {\"id\": 7, \"email\": \"a@x\"}, \"after\": null,"
                        + " \"op\": \"d\", \"source\": {\"version\": \"3.0\", \"connector\": \"postgresql\","
                        + " \"ts_ms\": 1}}")),
            mapping);
    assertThat(delete.row()).isNull();
    assertThat(delete.delete().schema().fields()).extracting(Field::name).containsExactly("id");
    assertThat(delete.delete().row().get(0)).isEqualTo(7);

    assertThat(decoder.decodeChange(record(topic, null), mapping)).as("tombstone").isNull();
  }

  @Test
  void protobufEnvelopesBecomeUpsertsAndDeletes() throws Exception {
    String topic = "cdc-proto-" + RUN;
    int id = registry.register(topic + "-value", "PROTOBUF", PROTO_ENVELOPE);
    TableMapping mapping = mapping(topic);

    byte[] value = customer(7, "b@x");
    Change update = decoder.decodeChange(record(topic, envelope(id, value, value, "u")), mapping);
    assertThat(values(update.row().row(), 4)).containsExactly(7, "b@x", "u", 1700000000500L);

    Change delete = decoder.decodeChange(record(topic, envelope(id, value, null, "d")), mapping);
    assertThat(delete.delete().row().get(0)).isEqualTo(7);
  }

  // --- fixtures

  private static TableMapping mapping(String topic) {
    String yaml =
        """
        kafka: {bootstrap.servers: "localhost:1", group.id: g}
        schema-registry: {url: "http://localhost:1"}
        warehouse: w
        tables:
          - topics: [%s]
            table: raw.t
            mode: cdc
            key: {columns: [id]}
            cdc: {keep-op: true}
        """
            .formatted(topic);
    return new ConfigParser(k -> true, System::getenv).parse(yaml, dir).tables().get(0);
  }

  private static Object[] values(Row row, int n) {
    Object[] v = new Object[n];
    for (int i = 0; i < n; i++) {
      Object x = row.get(i);
      v[i] = x instanceof CharSequence cs ? cs.toString() : x;
    }
    return v;
  }

  private static byte[] json(String topic, String value) throws Exception {
    JsonSchemaKafkaSerializer<com.fasterxml.jackson.databind.JsonNode> serializer =
        new JsonSchemaKafkaSerializer<>();
    Map<String, Object> config = new HashMap<>(ConfluentAvroProducer.serializerConfig(registry));
    config.put(SerdeConfig.AUTO_REGISTER_ARTIFACT, false);
    config.put(SerdeConfig.VALIDATION_ENABLED, false);
    serializer.configure(config, false);
    try {
      return serializer.serialize(topic, new ObjectMapper().readTree(value));
    } finally {
      serializer.close();
    }
  }

  private static byte[] customer(int id, String email) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.writeInt32(1, id);
    out.writeString(2, email);
    out.flush();
    return bytes.toByteArray();
  }

  /** Confluent framing (schema id, message index [0]) of an Envelope. */
  private static byte[] envelope(int schemaId, byte[] before, byte[] after, String op)
      throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    if (before != null) {
      out.writeByteArray(1, before);
    }
    if (after != null) {
      out.writeByteArray(2, after);
    }
    out.writeString(4, op);
    out.writeInt64(5, 1700000000500L);
    out.flush();
    byte[] message = bytes.toByteArray();
    return ByteBuffer.allocate(6 + message.length)
        .put((byte) 0)
        .putInt(schemaId)
        .put((byte) 0)
        .put(message)
        .array();
  }

  private static ConsumerRecord<byte[], byte[]> record(String topic, byte[] value) {
    return new ConsumerRecord<>(topic, 0, 3L, null, value);
  }
}
