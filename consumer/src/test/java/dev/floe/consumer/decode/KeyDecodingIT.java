package dev.floe.consumer.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import dev.floe.consumer.registry.SchemaRegistryClient;
import dev.floe.core.BadRecordException;
import dev.floe.core.config.ConfigParser;
import dev.floe.core.config.RegistrySettings;
import dev.floe.core.config.TableMapping;
import dev.floe.core.row.Field;
import dev.floe.core.row.Row;
import dev.floe.core.row.Type;
import dev.floe.testsupport.ConfluentAvroProducer;
import dev.floe.testsupport.SchemaRegistry;
import dev.floe.testsupport.SharedServices;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.apicurio.registry.serde.jsonschema.JsonSchemaKafkaSerializer;
import io.apicurio.registry.serde.protobuf.ProtobufKafkaSerializer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.IntegerSerializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Record keys decoded with their own schema: keys framed by Apicurio's serializers (Avro, Protobuf,
 * JSON Schema) against the real registry, and keys written by Kafka's own String, Long and Integer
 * serializers; into {@code _kafka.key} and, when the mapping says so, into key columns.
 */
class KeyDecodingIT {
  private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  private static final Schema VALUE =
      new Schema.Parser()
          .parse(
              """
              {"type": "record", "name": "Order", "fields": [
                {"name": "id", "type": "long"}, {"name": "item", "type": "string"}]}""");
  private static final Schema KEY =
      new Schema.Parser()
          .parse(
              """
              {"type": "record", "name": "OrderKey", "fields": [
                {"name": "region", "type": "string"}, {"name": "orderId", "type": "long"}]}""");

  private static SchemaRegistry registry;
  private static RecordDecoder decoder;
  @TempDir static Path dir;

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
  void anAvroRecordKeyIsFlattenedIntoPrefixedColumnsAndTypedInTheMetadata() {
    String topic = "keys-avro-" + RUN;
    TableMapping mapping = mapping(topic, "{format: confluent, flatten: true, prefix: key_}");
    GenericRecord key = new GenericData.Record(KEY);
    key.put("region", "eu");
    key.put("orderId", 42L);

    DecodedRecord r =
        decoder.decodeFor(record(topic, avro(topic, key, true), value(topic)), mapping);

    assertThat(r.schema().fields())
        .extracting(Field::name)
        .containsExactly("id", "item", "key_region", "key_orderId", "_kafka");
    assertThat(r.schema().fields().get(2))
        .isEqualTo(Field.optional("key_region", Type.Primitive.STRING));
    assertThat(r.row().get(0)).isEqualTo(7L);
    assertThat(r.row().get(2).toString()).isEqualTo("eu");
    assertThat(r.row().get(3)).isEqualTo(42L);
    Type.Struct meta = (Type.Struct) r.schema().fields().get(4).type();
    assertThat(meta.fields().get(meta.indexOf("key")).type())
        .isEqualTo(
            new Type.Struct(
                List.of(
                    Field.required("region", Type.Primitive.STRING),
                    Field.required("orderId", Type.Primitive.LONG))));
    Row metaKey = (Row) ((Row) r.row().get(4)).get(meta.indexOf("key"));
    assertThat(metaKey.get(0).toString()).isEqualTo("eu");
    assertThat(metaKey.get(1)).isEqualTo(42L);

    DecodedRecord again =
        decoder.decodeFor(record(topic, avro(topic, key, true), value(topic)), mapping);
    assertThat(again.schema()).isSameAs(r.schema()); // sinks cache by row type instance
  }

  @Test
  void anAvroStringKeyIsAScalarKeyColumn() {
    String topic = "keys-avro-string-" + RUN;
    TableMapping mapping = mapping(topic, "{format: confluent, flatten: true}");

    DecodedRecord r =
        decoder.decodeFor(record(topic, avro(topic, "order-7", true), value(topic)), mapping);

    assertThat(r.schema().fields().get(2)).isEqualTo(Field.optional("key", Type.Primitive.STRING));
    assertThat(r.row().get(2).toString()).isEqualTo("order-7");
  }

  @Test
  void aProtobufKeyDecodesIntoTheMetadataColumn() throws Exception {
    String topic = "keys-proto-" + RUN;
    TableMapping mapping = mapping(topic, "{format: confluent}");
    Descriptor keyType =
        FileDescriptor.buildFrom(
                FileDescriptorProto.newBuilder()
                    .setName("key.proto")
                    .setSyntax("proto3")
                    .addMessageType(
                        DescriptorProto.newBuilder()
                            .setName("OrderKey")
                            .addField(field("tenant", 1, FieldDescriptorProto.Type.TYPE_STRING))
                            .addField(field("id", 2, FieldDescriptorProto.Type.TYPE_UINT64)))
                    .build(),
                new FileDescriptor[0])
            .findMessageTypeByName("OrderKey");
    Message key =
        DynamicMessage.newBuilder(keyType)
            .setField(keyType.findFieldByName("tenant"), "acme")
            .setField(keyType.findFieldByName("id"), -1L) // 2^64 - 1
            .build();
    ProtobufKafkaSerializer<Message> serializer = new ProtobufKafkaSerializer<>();
    serializer.configure(ConfluentAvroProducer.serializerConfig(registry), true);
    byte[] keyBytes = serializer.serialize(topic, key);
    serializer.close();

    DecodedRecord r = decoder.decodeFor(record(topic, keyBytes, value(topic)), mapping);

    assertThat(r.schema().fields()).extracting(Field::name).containsExactly("id", "item", "_kafka");
    Row meta = (Row) r.row().get(2);
    Row k = (Row) meta.get(4);
    assertThat(k.get(0).toString()).isEqualTo("acme");
    assertThat(k.get(1)).isEqualTo(new java.math.BigDecimal("18446744073709551615"));
  }

  @Test
  void aJsonSchemaKeyFramedByApicurioIsFlattened() throws Exception {
    String topic = "keys-json-" + RUN;
    registry.register(
        topic + "-key",
        "JSON",
        """
        {"type": "object", "required": ["sku"], "properties": {"sku": {"type": "string"}}}""");
    TableMapping mapping = mapping(topic, "{format: confluent, flatten: true, prefix: k_}");
    JsonSchemaKafkaSerializer<com.fasterxml.jackson.databind.JsonNode> serializer =
        new JsonSchemaKafkaSerializer<>();
    java.util.Map<String, Object> config =
        new java.util.HashMap<>(ConfluentAvroProducer.serializerConfig(registry));
    config.put(io.apicurio.registry.serde.SerdeConfig.AUTO_REGISTER_ARTIFACT, false);
    config.put(io.apicurio.registry.serde.SerdeConfig.VALIDATION_ENABLED, false);
    serializer.configure(config, true);
    byte[] keyBytes =
        serializer.serialize(
            topic,
            new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"sku\": \"A-1\"}"));
    serializer.close();

    DecodedRecord r = decoder.decodeFor(record(topic, keyBytes, value(topic)), mapping);

    assertThat(r.schema().fields().get(2))
        .isEqualTo(Field.optional("k_sku", Type.Primitive.STRING));
    assertThat(r.row().get(2).toString()).isEqualTo("A-1");
  }

  @Test
  void keysOfKafkasOwnSerializersAndPlainJson() throws Exception {
    String topic = "keys-plain-" + RUN;
    byte[] value = value(topic);

    DecodedRecord s =
        decoder.decodeFor(
            record(topic, new StringSerializer().serialize(topic, "ü-1"), value),
            mapping(topic, "{format: string, flatten: true}"));
    assertThat(s.row().get(2)).isEqualTo("ü-1");
    assertThat(((Row) s.row().get(3)).get(4)).isEqualTo("ü-1");

    DecodedRecord l =
        decoder.decodeFor(
            record(topic, new LongSerializer().serialize(topic, -5L), value),
            mapping(topic, "{format: long, flatten: true}"));
    assertThat(l.schema().fields().get(2)).isEqualTo(Field.optional("key", Type.Primitive.LONG));
    assertThat(l.row().get(2)).isEqualTo(-5L);

    DecodedRecord i =
        decoder.decodeFor(
            record(topic, new IntegerSerializer().serialize(topic, 9), value),
            mapping(topic, "{format: int}"));
    assertThat(i.schema().fields()).extracting(Field::name).containsExactly("id", "item", "_kafka");
    assertThat(((Row) i.row().get(2)).get(4)).isEqualTo(9);

    Files.writeString(
        dir.resolve("key.json"),
        """
        {"type": "object", "properties": {"tenant": {"type": "string"}, "n": {"type": "integer"}}}""");
    TableMapping json = mapping(topic, "{format: json, schema: key.json, flatten: true}");
    DecodedRecord j =
        decoder.decodeFor(
            record(topic, "{\"n\": 3, \"tenant\": \"t\"}".getBytes(StandardCharsets.UTF_8), value),
            json);
    assertThat(j.schema().fields())
        .extracting(Field::name)
        .containsExactly("id", "item", "tenant", "n", "_kafka");
    assertThat(j.row().get(2)).isEqualTo("t");
    assertThat(j.row().get(3)).isEqualTo(3L);

    DecodedRecord nullKey = decoder.decodeFor(record(topic, null, value), json);
    assertThat(nullKey.schema()).isSameAs(j.schema()); // a null key still has its typed columns
    assertThat(nullKey.row().get(2)).isNull();
  }

  @Test
  void aNullConfluentKeyLeavesTheKeyColumnsOut() {
    String topic = "keys-null-" + RUN;
    DecodedRecord r =
        decoder.decodeFor(
            record(topic, null, value(topic)),
            mapping(topic, "{format: confluent, flatten: true}"));

    assertThat(r.schema().fields()).extracting(Field::name).containsExactly("id", "item", "_kafka");
    assertThat(((Type.Struct) r.schema().fields().get(2).type()).indexOf("key")).isNegative();
  }

  @Test
  void keysThatDoNotFitAreBadRecordsNamingTheKey() {
    String topic = "keys-bad-" + RUN;
    byte[] value = value(topic);

    assertThatThrownBy(
            () ->
                decoder.decodeFor(
                    record(topic, new byte[] {1, 2, 3}, value), mapping(topic, "{format: long}")))
        .isInstanceOf(BadRecordException.class)
        .hasMessageContaining("topic '" + topic + "' partition 0 offset 5")
        .hasMessageContaining("the key has 3 bytes, but key.format long needs exactly 8");
    assertThatThrownBy(
            () ->
                decoder.decodeFor(
                    record(topic, new byte[] {(byte) 0xC3}, value),
                    mapping(topic, "{format: string}")))
        .isInstanceOf(BadRecordException.class)
        .hasMessageContaining("not valid UTF-8");
    assertThatThrownBy(
            () ->
                decoder.decodeFor(
                    record(topic, "plain".getBytes(StandardCharsets.UTF_8), value),
                    mapping(topic, "{format: confluent}")))
        .isInstanceOf(BadRecordException.class)
        .hasMessageContaining("the key is not in the Confluent wire format");
  }

  @Test
  void aKeyColumnThatCollidesWithAValueColumnIsABadRecordThatSaysToSetAPrefix() throws Exception {
    String topic = "keys-collide-" + RUN;
    Files.writeString(
        dir.resolve("id-key.json"),
        """
        {"type": "object", "properties": {"ID": {"type": "integer"}}}""");
    assertThatThrownBy(
            () ->
                decoder.decodeFor(
                    record(topic, "{\"ID\": 1}".getBytes(StandardCharsets.UTF_8), value(topic)),
                    mapping(topic, "{format: json, schema: id-key.json, flatten: true}")))
        .isInstanceOf(BadRecordException.class)
        .hasMessageContaining("key column 'ID' has the name of a value field")
        .hasMessageContaining("key.prefix");
  }

  // --- fixtures

  private static TableMapping mapping(String topic, String key) {
    String yaml =
        """
        kafka: {bootstrap.servers: "localhost:1", group.id: g}
        schema-registry: {url: "http://localhost:1"}
        warehouse: w
        tables:
          - topics: [%s]
            table: raw.t
            key: %s
        """
            .formatted(topic, key);
    return new ConfigParser(k -> true, System::getenv).parse(yaml, dir).tables().get(0);
  }

  private static byte[] value(String topic) {
    GenericRecord v = new GenericData.Record(VALUE);
    v.put("id", 7L);
    v.put("item", "pen");
    return avro(topic, v, false);
  }

  private static byte[] avro(String topic, Object datum, boolean isKey) {
    AvroKafkaSerializer<Object> serializer = new AvroKafkaSerializer<>();
    serializer.configure(ConfluentAvroProducer.serializerConfig(registry), isKey);
    try {
      return serializer.serialize(topic, datum);
    } finally {
      serializer.close();
    }
  }

  private static ConsumerRecord<byte[], byte[]> record(String topic, byte[] key, byte[] value) {
    return new ConsumerRecord<>(topic, 0, 5L, key, value);
  }

  private static FieldDescriptorProto field(String name, int number, FieldDescriptorProto.Type t) {
    return FieldDescriptorProto.newBuilder().setName(name).setNumber(number).setType(t).build();
  }
}
