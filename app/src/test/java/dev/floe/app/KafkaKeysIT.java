package dev.floe.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import dev.floe.core.config.FloeConfig;
import dev.floe.embedded.KafkaBroker;
import dev.floe.testsupport.ConfluentAvroProducer;
import dev.floe.testsupport.SchemaRegistry;
import dev.floe.testsupport.SharedServices;
import io.apicurio.registry.serde.SerdeConfig;
import io.apicurio.registry.serde.jsonschema.JsonSchemaKafkaSerializer;
import io.apicurio.registry.serde.protobuf.ProtobufKafkaSerializer;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys decoded with their own registered schema (framed by Apicurio's Avro serializer as keys) land
 * in the table twice: typed in {@code _kafka.key} and flattened into prefixed key columns.
 */
class KafkaKeysIT {
  static final KafkaBroker broker = SharedServices.broker();
  static final SchemaRegistry registry = SharedServices.registry();
  static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();
  @TempDir Path dir;

  private static final Schema KEY =
      new Schema.Parser()
          .parse(
              """
              {"type": "record", "name": "AccountKey", "namespace": "it.keys", "fields": [
                {"name": "region", "type": "string"}, {"name": "account", "type": "long"}]}""");
  private static final Schema VALUE =
      new Schema.Parser()
          .parse(
              """
              {"type": "record", "name": "Balance", "namespace": "it.keys", "fields": [
                {"name": "amount", "type": "long"}]}""");

  @Test
  void avroKeysLandTypedInTheMetadataAndAsKeyColumns() throws Exception {
    broker.createTopic("balances", 2);
    Map<Long, Long> amounts = new HashMap<>(); // account -> amount
    try (AvroKeys keys = new AvroKeys(registry);
        ConfluentAvroProducer producer =
            new ConfluentAvroProducer(broker.bootstrapServers(), registry)) {
      for (long account = 0; account < 200; account++) {
        GenericRecord key = new GenericData.Record(KEY);
        key.put("region", account % 2 == 0 ? "eu" : "us");
        key.put("account", account);
        GenericRecord value = new GenericData.Record(VALUE);
        value.put("amount", account * 10 + 1);
        producer.send("balances", null, keys.serialize("balances", key), value, null);
        amounts.put(account, account * 10 + 1);
      }
      producer.flush();
    }
    FloeConfig config =
        TestConfigs.parse(
            dir,
            broker,
            registry,
            """
        tables:
          - topics: [balances]
            table: finance.balances
            key: { format: confluent, flatten: true, prefix: key_ }
            commit: { interval: 1s }
        """);

    Throwable failure =
        Pipelines.runUntil(
            config,
            Duration.ofSeconds(60),
            () -> IcebergTables.rowCount(config, "finance.balances") >= amounts.size());
    assertThat(failure).isNull();

    assertThat(IcebergTables.load(config, "finance.balances").schema().columns())
        .extracting(Types.NestedField::name)
        .containsExactly("amount", "key_region", "key_account", "_kafka");
    List<Record> rows = IcebergTables.rows(config, "finance.balances");
    assertThat(rows).hasSize(amounts.size());
    Map<Long, Record> byAccount =
        rows.stream().collect(Collectors.toMap(r -> (Long) r.getField("key_account"), r -> r));
    assertThat(byAccount.keySet()).isEqualTo(amounts.keySet());
    byAccount.forEach(
        (account, row) -> {
          String region = account % 2 == 0 ? "eu" : "us";
          assertThat(row.getField("amount")).isEqualTo(amounts.get(account));
          assertThat(row.getField("key_region")).isEqualTo(region);
          Record key = (Record) ((Record) row.getField("_kafka")).getField("key");
          assertThat(key.getField("region")).isEqualTo(region);
          assertThat(key.getField("account")).isEqualTo(account);
        });
  }

  @Test
  void aTableWhoseFirstRecordHasANullKeyGainsTheKeyColumnsWithTheFirstKey() throws Exception {
    broker.createTopic("balances-late-keys", 1);
    try (AvroKeys keys = new AvroKeys(registry);
        ConfluentAvroProducer producer =
            new ConfluentAvroProducer(broker.bootstrapServers(), registry)) {
      for (long account = 0; account < 4; account++) {
        GenericRecord value = new GenericData.Record(VALUE);
        value.put("amount", account);
        byte[] key = null;
        if (account > 0) { // the first record has no key: the table is created without key columns
          GenericRecord k = new GenericData.Record(KEY);
          k.put("region", "eu");
          k.put("account", account);
          key = keys.serialize("balances-late-keys", k);
        }
        producer.send("balances-late-keys", 0, key, value, null).get();
      }
    }
    FloeConfig config =
        TestConfigs.parse(
            dir,
            broker,
            registry,
            """
        tables:
          - topics: [balances-late-keys]
            table: finance.late_keys
            key: { format: confluent, flatten: true, prefix: key_ }
            commit: { interval: 500ms, max-records: 1 }
        """);

    assertThat(
            Pipelines.runUntil(
                config,
                Duration.ofSeconds(60),
                () -> IcebergTables.rowCount(config, "finance.late_keys") >= 4))
        .isNull();

    Map<Long, Object> accounts = new HashMap<>();
    for (Record r : IcebergTables.rows(config, "finance.late_keys")) {
      accounts.put((Long) r.getField("amount"), r.getField("key_account"));
    }
    Map<Long, Object> expected = new HashMap<>();
    expected.put(0L, null);
    expected.put(1L, 1L);
    expected.put(2L, 2L);
    expected.put(3L, 3L);
    assertThat(accounts).isEqualTo(expected);
  }

  @Test
  void scalarAndNullKeysHeadersAndTimestampsLandInARenamedMetadataColumn() throws Exception {
    String topic = "keyed-strings";
    broker.createTopic(topic, 1);
    RecordHeaders headers = new RecordHeaders();
    headers.add("h", new byte[] {1});
    headers.add("h", new byte[] {2}); // repeated keys are kept, in order
    headers.add("x", new byte[0]);
    headers.add("n", null);
    try (ConfluentAvroProducer values =
            new ConfluentAvroProducer(broker.bootstrapServers(), registry);
        KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(
                Map.of("bootstrap.servers", broker.bootstrapServers()),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
      byte[] key = new StringSerializer().serialize(topic, "ü-1");
      producer
          .send(
              new ProducerRecord<>(
                  topic, 0, 1_700_000_000_123L, key, values.serialize(topic, balance(1)), headers))
          .get();
      producer
          .send(
              new ProducerRecord<>(
                  topic, 0, 1_700_000_000_456L, null, values.serialize(topic, balance(2))))
          .get();
    }
    FloeConfig config =
        TestConfigs.parse(
            dir,
            broker,
            registry,
            """
        tables:
          - topics: [keyed-strings]
            table: finance.keyed
            key: { format: string, flatten: true }
            kafka-metadata: { column: meta }
            commit: { interval: 500ms }
          - topics: [keyed-strings]
            table: finance.bare
            kafka-metadata: { enabled: false }
            commit: { interval: 500ms }
        """);

    assertThat(
            Pipelines.runUntil(
                config,
                Duration.ofSeconds(60),
                () ->
                    IcebergTables.rowCount(config, "finance.keyed") == 2
                        && IcebergTables.rowCount(config, "finance.bare") == 2))
        .isNull();

    assertThat(IcebergTables.load(config, "finance.keyed").schema().columns())
        .extracting(Types.NestedField::name)
        .containsExactly("amount", "key", "meta");
    assertThat(IcebergTables.load(config, "finance.bare").schema().columns())
        .extracting(Types.NestedField::name)
        .containsExactly("amount");
    Map<Long, Record> rows =
        IcebergTables.rows(config, "finance.keyed").stream()
            .collect(Collectors.toMap(r -> (Long) r.getField("amount"), r -> r));
    Record keyed = rows.get(1L);
    assertThat(keyed.getField("key")).isEqualTo("ü-1");
    Record meta = (Record) keyed.getField("meta");
    assertThat(meta.getField("topic")).isEqualTo(topic);
    assertThat(meta.getField("partition")).isEqualTo(0);
    assertThat(meta.getField("offset")).isEqualTo(0L);
    assertThat(meta.getField("timestamp"))
        .isEqualTo(OffsetDateTime.parse("2023-11-14T22:13:20.123Z"));
    assertThat(meta.getField("key")).isEqualTo("ü-1");
    assertThat((List<?>) meta.getField("headers"))
        .extracting(h -> ((Record) h).getField("key"), h -> ((Record) h).getField("value"))
        .containsExactly(
            tuple("h", ByteBuffer.wrap(new byte[] {1})),
            tuple("h", ByteBuffer.wrap(new byte[] {2})),
            tuple("x", ByteBuffer.allocate(0)),
            tuple("n", null));
    Record unkeyed = rows.get(2L);
    assertThat(unkeyed.getField("key")).isNull();
    Record unkeyedMeta = (Record) unkeyed.getField("meta");
    assertThat(unkeyedMeta.getField("key")).isNull();
    assertThat(unkeyedMeta.getField("offset")).isEqualTo(1L);
    assertThat((List<?>) unkeyedMeta.getField("headers")).isEmpty();
    assertThat(IcebergTables.rows(config, "finance.bare"))
        .extracting(r -> r.getField("amount"))
        .containsExactlyInAnyOrder(1L, 2L);
  }

  @Test
  void protobufJsonSchemaLongAndPlainJsonKeysLandAsKeyColumns() throws Exception {
    Descriptor orderKey =
        FileDescriptor.buildFrom(
                FileDescriptorProto.newBuilder()
                    .setName("order_key.proto")
                    .setPackage("it.keys")
                    .setSyntax("proto3")
                    .addMessageType(
                        DescriptorProto.newBuilder()
                            .setName("OrderKey")
                            .addField(field("tenant", 1, FieldDescriptorProto.Type.TYPE_STRING))
                            .addField(field("id", 2, FieldDescriptorProto.Type.TYPE_UINT64)))
                    .build(),
                new FileDescriptor[0])
            .findMessageTypeByName("OrderKey");
    Message protoKey =
        DynamicMessage.newBuilder(orderKey)
            .setField(orderKey.findFieldByName("tenant"), "acme")
            .setField(orderKey.findFieldByName("id"), -1L) // 2^64 - 1
            .build();
    ProtobufKafkaSerializer<Message> protoKeys = new ProtobufKafkaSerializer<>();
    protoKeys.configure(ConfluentAvroProducer.serializerConfig(registry), true);
    registry.register(
        "keys-json-key",
        "JSON",
        """
        {"type": "object", "required": ["sku"], "properties": {
          "sku": {"type": "string"}, "day": {"type": "string", "format": "date"}}}""");
    Map<String, Object> jsonConfig = ConfluentAvroProducer.serializerConfig(registry);
    jsonConfig.put(SerdeConfig.AUTO_REGISTER_ARTIFACT, false);
    jsonConfig.put(SerdeConfig.FIND_LATEST_ARTIFACT, true);
    jsonConfig.put(SerdeConfig.VALIDATION_ENABLED, true);
    JsonSchemaKafkaSerializer<JsonNode> jsonKeys = new JsonSchemaKafkaSerializer<>();
    jsonKeys.configure(jsonConfig, true);
    Files.writeString(
        dir.resolve("key.json"),
        """
        {"type": "object", "properties": {"tenant": {"type": "string"}, "n": {"type": "integer"}}}""");
    for (String topic : List.of("keys-proto", "keys-json", "keys-long", "keys-plain")) {
      broker.createTopic(topic, 1);
    }
    try {
      send("keys-proto", protoKeys.serialize("keys-proto", protoKey));
      send(
          "keys-json",
          jsonKeys.serialize(
              "keys-json", JSON.readTree("{\"day\": \"2026-11-22\", \"sku\": \"A-1\"}")));
      send("keys-long", new LongSerializer().serialize("keys-long", -5L));
      send("keys-plain", "{\"n\": 3, \"tenant\": \"t\"}".getBytes(StandardCharsets.UTF_8));
    } finally {
      protoKeys.close();
      jsonKeys.close();
    }
    FloeConfig config =
        TestConfigs.parse(
            dir,
            broker,
            registry,
            """
        tables:
          - topics: [keys-proto]
            table: keys.proto
            key: { format: confluent, flatten: true, prefix: k_ }
            commit: { interval: 500ms }
          - topics: [keys-json]
            table: keys.json
            key: { format: confluent, flatten: true, prefix: k_ }
            commit: { interval: 500ms }
          - topics: [keys-long]
            table: keys.long
            key: { format: long, flatten: true }
            commit: { interval: 500ms }
          - topics: [keys-plain]
            table: keys.plain
            key: { format: json, schema: key.json, flatten: true, prefix: k_ }
            commit: { interval: 500ms }
        """);

    assertThat(
            Pipelines.runUntil(
                config,
                Duration.ofSeconds(60),
                () ->
                    Stream.of("keys.proto", "keys.json", "keys.long", "keys.plain")
                        .allMatch(t -> IcebergTables.rowCount(config, t) == 2)))
        .isNull();

    Map<Long, Record> proto = byAmount(config, "keys.proto");
    assertThat(proto.get(1L).getField("k_tenant")).isEqualTo("acme");
    assertThat(proto.get(1L).getField("k_id")).isEqualTo(new BigDecimal("18446744073709551615"));
    Record protoMeta = (Record) ((Record) proto.get(1L).getField("_kafka")).getField("key");
    assertThat(protoMeta.getField("tenant")).isEqualTo("acme");
    assertThat(proto.get(2L).getField("k_tenant")).as("a null key").isNull();
    assertThat(((Record) proto.get(2L).getField("_kafka")).getField("key")).isNull();
    Map<Long, Record> json = byAmount(config, "keys.json");
    assertThat(json.get(1L).getField("k_sku")).isEqualTo("A-1");
    assertThat(json.get(1L).getField("k_day")).isEqualTo(LocalDate.of(2026, 11, 22));
    assertThat(json.get(2L).getField("k_sku")).isNull();
    Map<Long, Record> longs = byAmount(config, "keys.long");
    assertThat(longs.get(1L).getField("key")).isEqualTo(-5L);
    assertThat(((Record) longs.get(1L).getField("_kafka")).getField("key")).isEqualTo(-5L);
    assertThat(longs.get(2L).getField("key")).isNull();
    Map<Long, Record> plain = byAmount(config, "keys.plain");
    assertThat(plain.get(1L).getField("k_tenant")).isEqualTo("t");
    assertThat(plain.get(1L).getField("k_n")).isEqualTo(3L);
    assertThat(plain.get(2L).getField("k_n")).isNull();
  }

  @Test
  void aKeyColumnNamedLikeAValueColumnStopsThePipelineAskingForAPrefix() throws Exception {
    broker.createTopic("keys-clash", 1);
    Schema clash =
        new Schema.Parser()
            .parse(
                """
                {"type": "record", "name": "ClashKey", "namespace": "it.keys", "fields": [
                  {"name": "Amount", "type": "long"}]}""");
    try (AvroKeys keys = new AvroKeys(registry)) {
      GenericRecord key = new GenericData.Record(clash);
      key.put("Amount", 1L);
      send("keys-clash", keys.serialize("keys-clash", key));
    }
    FloeConfig config =
        TestConfigs.parse(
            dir,
            broker,
            registry,
            """
        tables:
          - topics: [keys-clash]
            table: keys.clash
            key: { format: confluent, flatten: true }
            commit: { interval: 500ms }
        """);

    assertThat(Pipelines.runUntil(config, Duration.ofSeconds(60), () -> false))
        .hasMessageContaining("topic 'keys-clash' partition 0 offset 0")
        .hasMessageContaining("key column 'Amount' has the name of a value field")
        .hasMessageContaining("key.prefix");
    assertThat(IcebergTables.rowCount(config, "keys.clash")).isZero();
  }

  /** A record with this key (amount 1), then one with a null key (amount 2). */
  private static void send(String topic, byte[] key) throws Exception {
    try (ConfluentAvroProducer values =
            new ConfluentAvroProducer(broker.bootstrapServers(), registry);
        KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(
                Map.of("bootstrap.servers", broker.bootstrapServers()),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
      producer
          .send(new ProducerRecord<>(topic, 0, null, key, values.serialize(topic, balance(1))))
          .get();
      producer
          .send(new ProducerRecord<>(topic, 0, null, null, values.serialize(topic, balance(2))))
          .get();
    }
  }

  private static Map<Long, Record> byAmount(FloeConfig config, String table) {
    return IcebergTables.rows(config, table).stream()
        .collect(Collectors.toMap(r -> (Long) r.getField("amount"), r -> r));
  }

  private static FieldDescriptorProto field(
      String name, int number, FieldDescriptorProto.Type type) {
    return FieldDescriptorProto.newBuilder()
        .setName(name)
        .setNumber(number)
        .setType(type)
        .setLabel(FieldDescriptorProto.Label.LABEL_OPTIONAL)
        .build();
  }

  private static GenericRecord balance(long amount) {
    GenericRecord value = new GenericData.Record(VALUE);
    value.put("amount", amount);
    return value;
  }
}
