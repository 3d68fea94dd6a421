package dev.floe.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.floe.core.config.FloeConfig;
import dev.floe.embedded.KafkaBroker;
import dev.floe.testsupport.ConfluentAvroProducer;
import dev.floe.testsupport.SchemaRegistry;
import dev.floe.testsupport.SharedServices;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
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
    AvroKafkaSerializer<GenericRecord> keys = new AvroKafkaSerializer<>();
    keys.configure(ConfluentAvroProducer.serializerConfig(registry), true);
    try (ConfluentAvroProducer producer =
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
    } finally {
      keys.close();
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

  private static GenericRecord balance(long amount) {
    GenericRecord value = new GenericData.Record(VALUE);
    value.put("amount", amount);
    return value;
  }
}
