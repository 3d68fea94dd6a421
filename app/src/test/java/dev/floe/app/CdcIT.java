package dev.floe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.core.BadRecordException;
import dev.floe.core.SourcePartition;
import dev.floe.core.config.FloeConfig;
import dev.floe.embedded.KafkaBroker;
import dev.floe.testsupport.ConfluentAvroProducer;
import dev.floe.testsupport.SchemaRegistry;
import dev.floe.testsupport.SharedServices;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mode: cdc} end to end on change events shaped exactly as Debezium's PostgreSQL connector
 * writes them with the Avro converter (key and value schemas, envelope, source block, tombstones
 * after deletes), framed by Apicurio's Avro serializer.
 */
class CdcIT {
  static final KafkaBroker broker = SharedServices.broker();
  static final SchemaRegistry registry = SharedServices.registry();
  @TempDir Path dir;

  /** dbserver1.inventory.customers, as Debezium 2.x/3.x registers it (trimmed source block). */
  static final Schema ENVELOPE =
      new Schema.Parser()
          .parse(
              """
              {"type": "record", "name": "Envelope", "namespace": "dbserver1.inventory.customers",
               "connect.name": "dbserver1.inventory.customers.Envelope",
               "fields": [
                {"name": "before", "type": ["null", {"type": "record", "name": "Value",
                  "connect.name": "dbserver1.inventory.customers.Value", "fields": [
                   {"name": "id", "type": {"type": "int", "connect.default": 0}},
                   {"name": "first_name", "type": "string"},
                   {"name": "last_name", "type": "string"},
                   {"name": "email", "type": ["null", "string"], "default": null}]}], "default": null},
                {"name": "after", "type": ["null", "Value"], "default": null},
                {"name": "source", "type": {"type": "record", "name": "Source",
                  "namespace": "io.debezium.connector.postgresql",
                  "connect.name": "io.debezium.connector.postgresql.Source", "fields": [
                   {"name": "version", "type": "string"},
                   {"name": "connector", "type": "string"},
                   {"name": "name", "type": "string"},
                   {"name": "ts_ms", "type": "long"},
                   {"name": "snapshot", "type": [{"type": "string", "connect.version": 1,
                     "connect.parameters": {"allowed": "true,last,false,incremental"},
                     "connect.default": "false", "connect.name": "io.debezium.data.Enum"}, "null"],
                     "default": "false"},
                   {"name": "db", "type": "string"},
                   {"name": "sequence", "type": ["null", "string"], "default": null},
                   {"name": "schema", "type": "string"},
                   {"name": "table", "type": "string"},
                   {"name": "txId", "type": ["null", "long"], "default": null},
                   {"name": "lsn", "type": ["null", "long"], "default": null},
                   {"name": "xmin", "type": ["null", "long"], "default": null}]}},
                {"name": "op", "type": "string"},
                {"name": "ts_ms", "type": ["null", "long"], "default": null},
                {"name": "transaction", "type": ["null", {"type": "record", "name": "block",
                  "namespace": "event", "fields": [
                   {"name": "id", "type": "string"},
                   {"name": "total_order", "type": "long"},
                   {"name": "data_collection_order", "type": "long"}]}], "default": null}]}""");

  static final Schema KEY =
      new Schema.Parser()
          .parse(
              """
              {"type": "record", "name": "Key", "namespace": "dbserver1.inventory.customers",
               "connect.name": "dbserver1.inventory.customers.Key",
               "fields": [{"name": "id", "type": {"type": "int", "connect.default": 0}}]}""");

  static final Schema VALUE = ENVELOPE.getField("after").schema().getTypes().get(1);

  /** Into both formats: Iceberg by row-level deletes, Delta by copy-on-write. */
  @Test
  void debeziumEventsBecomeTheSourceTablesLatestState() throws Exception {
    String topic = "dbserver1.inventory.customers";
    broker.createTopic(topic, 2);
    Map<Integer, String> model = new HashMap<>(); // id -> email
    Map<Integer, String> lastOp = new HashMap<>();
    Map<SourcePartition, Long> ends = new HashMap<>();
    Random random = new Random(3);
    try (AvroKeys keys = new AvroKeys(registry);
        ConfluentAvroProducer values =
            new ConfluentAvroProducer(broker.bootstrapServers(), registry);
        KafkaProducer<byte[], byte[]> raw = rawProducer()) {
      for (int id = 1; id <= 100; id++) { // the initial snapshot
        track(
            ends,
            values.send(topic, null, key(keys, topic, id), event(id, "r", null, id), null).get());
        model.put(id, email(id, 0));
        lastOp.put(id, "r");
      }
      for (int i = 1; i <= 1_500; i++) {
        int id = 1 + random.nextInt(120);
        byte[] k = key(keys, topic, id);
        boolean exists = model.containsKey(id);
        if (exists && random.nextInt(5) == 0) { // delete, then Debezium's tombstone
          track(ends, values.send(topic, null, k, event(id, "d", model.get(id), -1), null).get());
          track(ends, raw.send(new ProducerRecord<>(topic, k, null)).get());
          model.remove(id);
          lastOp.remove(id);
        } else {
          String op = exists ? "u" : "c";
          track(ends, values.send(topic, null, k, event(id, op, model.get(id), i), null).get());
          model.put(id, email(id, i));
          lastOp.put(id, op);
        }
      }
    }
    FloeConfig config =
        TestConfigs.parse(
            dir,
            broker,
            registry,
            """
        tables:
          - topics: [dbserver1.inventory.customers]
            table: inventory.customers
            formats: [iceberg, delta]
            mode: cdc
            key: { format: confluent, columns: [id] }
            cdc: { keep-op: true }
            commit: { interval: 500ms, max-records: 300 }
        """);

    Throwable failure =
        Pipelines.runUntil(
            config,
            Duration.ofSeconds(90),
            () -> CommittedOffsets.reachedInBothFormats(config, "inventory.customers", ends));
    assertThat(failure).isNull();

    assertThat(IcebergTables.load(config, "inventory.customers").schema().columns())
        .extracting(org.apache.iceberg.types.Types.NestedField::name)
        .containsExactly("id", "first_name", "last_name", "email", "__op", "__ts_ms", "_kafka");
    Map<Integer, String> table = new HashMap<>();
    Map<Integer, String> ops = new HashMap<>();
    for (Record r : IcebergTables.rows(config, "inventory.customers")) {
      int id = (Integer) r.getField("id");
      assertThat(table.put(id, (String) r.getField("email"))).as("one row per id").isNull();
      ops.put(id, (String) r.getField("__op"));
      assertThat(r.getField("first_name")).isEqualTo("first-" + id);
      assertThat(r.getField("__ts_ms")).isNotNull();
    }
    assertThat(table).isEqualTo(model);
    assertThat(ops).isEqualTo(lastOp);

    // the Delta table of the same mapping, rewritten copy-on-write, holds the same rows
    Map<Integer, String> delta = new HashMap<>();
    Map<Integer, String> deltaOps = new HashMap<>();
    for (Map<String, Object> r : DeltaTables.rows(config, "inventory.customers")) {
      int id = (Integer) r.get("id");
      assertThat(delta.put(id, (String) r.get("email"))).as("one Delta row per id").isNull();
      deltaOps.put(id, (String) r.get("__op"));
    }
    assertThat(delta).isEqualTo(model);
    assertThat(deltaOps).isEqualTo(lastOp);
  }

  @Test
  void anUnknownOpIsABadRecordNamingItAndNothingIsDroppedSilently() throws Exception {
    String topic = "dbserver2.inventory.customers";
    broker.createTopic(topic, 1);
    try (AvroKeys keys = new AvroKeys(registry);
        ConfluentAvroProducer values =
            new ConfluentAvroProducer(broker.bootstrapServers(), registry)) {
      values.send(topic, null, key(keys, topic, 1), event(1, "c", null, 1), null).get();
      values.send(topic, null, key(keys, topic, 1), event(1, "t", null, 2), null).get();
    }
    FloeConfig config =
        TestConfigs.parse(
            dir,
            broker,
            registry,
            """
        tables:
          - topics: [dbserver2.inventory.customers]
            table: inventory.customers2
            mode: cdc
            key: { format: confluent, columns: [id] }
            commit: { interval: 500ms }
        """);

    Throwable failure = Pipelines.runUntil(config, Duration.ofSeconds(60), () -> false);

    assertThat(failure)
        .isInstanceOf(BadRecordException.class)
        .hasMessageContaining("partition 0 offset 1")
        .hasMessageContaining("op 't' is not one Floe applies")
        .hasMessageContaining("truncate");
    assertThat(IcebergTables.rows(config, "inventory.customers2")).hasSize(1);
  }

  // --- Debezium-shaped events

  private static GenericRecord event(int id, String op, String previousEmail, int version) {
    GenericRecord e = new GenericData.Record(ENVELOPE);
    if (previousEmail != null) {
      e.put("before", customer(id, previousEmail));
    }
    if (!op.equals("d")) {
      e.put("after", customer(id, email(id, version)));
    }
    GenericRecord source = new GenericData.Record(ENVELOPE.getField("source").schema());
    source.put("version", "3.0.0.Final");
    source.put("connector", "postgresql");
    source.put("name", "dbserver1");
    source.put("ts_ms", 1_700_000_000_000L + version);
    source.put("snapshot", op.equals("r") ? "true" : "false");
    source.put("db", "postgres");
    source.put("schema", "inventory");
    source.put("table", "customers");
    source.put("lsn", 24_023_128L + version);
    e.put("source", source);
    e.put("op", op);
    e.put("ts_ms", 1_700_000_000_500L + version);
    return e;
  }

  private static GenericRecord customer(int id, String email) {
    GenericRecord v = new GenericData.Record(VALUE);
    v.put("id", id);
    v.put("first_name", "first-" + id);
    v.put("last_name", "last-" + id);
    v.put("email", email);
    return v;
  }

  private static String email(int id, int version) {
    return "c" + id + ".v" + version + "@example.com";
  }

  private static byte[] key(AvroKeys keys, String topic, int id) {
    GenericRecord k = new GenericData.Record(KEY);
    k.put("id", id);
    return keys.serialize(topic, k);
  }

  private static void track(Map<SourcePartition, Long> ends, RecordMetadata m) {
    ends.merge(new SourcePartition(m.topic(), m.partition()), m.offset() + 1, Math::max);
  }

  private static KafkaProducer<byte[], byte[]> rawProducer() {
    return new KafkaProducer<>(
        Map.of("bootstrap.servers", broker.bootstrapServers()),
        new ByteArraySerializer(),
        new ByteArraySerializer());
  }
}
