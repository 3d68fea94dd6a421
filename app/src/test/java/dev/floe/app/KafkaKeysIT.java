package dev.floe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.core.config.FloeConfig;
import dev.floe.embedded.KafkaBroker;
import dev.floe.testsupport.ConfluentAvroProducer;
import dev.floe.testsupport.SchemaRegistry;
import dev.floe.testsupport.SharedServices;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;
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
}
