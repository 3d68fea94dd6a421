package dev.floe.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.consumer.Pipeline;
import dev.floe.core.SourcePartition;
import dev.floe.core.config.FloeConfig;
import dev.floe.embedded.EmbeddedSchemaRegistry;
import dev.floe.embedded.KafkaBroker;
import dev.floe.sinks.iceberg.IcebergTableSink;
import dev.floe.testsupport.ConfluentAvroProducer;
import dev.floe.testsupport.SchemaRegistry;
import dev.floe.testsupport.SharedServices;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults of real components while records flow: the broker down and back, the registry down and
 * back, the table's storage failing, two writers racing for one table. Floe retries (it never
 * skips) and every good record ends in its table exactly once.
 */
class FaultsIT {
  static final SchemaRegistry registry = SharedServices.registry();
  @TempDir Path dir;

  static final Schema V1 =
      new Schema.Parser()
          .parse(
              """
              {"type": "record", "name": "Tick", "namespace": "it.faults", "fields": [
                {"name": "n", "type": "long"}]}""");
  static final Schema V2 =
      new Schema.Parser()
          .parse(
              """
              {"type": "record", "name": "Tick", "namespace": "it.faults", "fields": [
                {"name": "n", "type": "long"}, {"name": "tag", "type": ["null", "string"], "default": null}]}""");

  @Test
  void theBrokerGoingDownAndComingBackLosesAndDoublesNothing() throws Exception {
    try (KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"))) {
      broker.createTopic("ticks", 2);
      produce(broker, "ticks", 0, 1000);
      FloeConfig config = config(broker, registry.url(), "ticks", "raw.ticks");
      try (Running run = Running.start(config)) {
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> IcebergTables.rowCount(config, "raw.ticks") >= 200);
        broker.restartAfter(Duration.ofSeconds(3));
        produce(broker, "ticks", 1000, 1000);
        run.awaitOffsets(config, "raw.ticks", ends(broker, "ticks"));
      }
      assertExactlyOnce(config, "raw.ticks", 2000);
    }
  }

  @Test
  void theRegistryDownWhileANewSchemaArrivesIsWaitedFor() throws Exception {
    KafkaBroker broker = SharedServices.broker();
    broker.createTopic("ticks-registry", 1);
    EmbeddedSchemaRegistry first = EmbeddedSchemaRegistry.start();
    int port = Integer.parseInt(first.url().substring(first.url().lastIndexOf(':') + 1));
    int v1 = first.register("ticks-registry-value", "AVRO", V1.toString());
    int v2 = first.register("ticks-registry-value", "AVRO", V2.toString());
    sendFramed(broker, "ticks-registry", v1, V1, 0, 300);
    FloeConfig config =
        ConfigFiles.load(
            TestConfigs.write(
                dir,
                broker,
                first.url(),
                "1s",
                "floe-faults-registry",
                """
                tables:
                  - topics: [ticks-registry]
                    table: raw.ticks_registry
                    commit: { interval: 500ms, max-records: 200 }
                """));
    EmbeddedSchemaRegistry second = null;
    try (Running run = Running.start(config)) {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> IcebergTables.rowCount(config, "raw.ticks_registry") == 300);
      first.close(); // down: the next schema id cannot be fetched
      sendFramed(broker, "ticks-registry", v2, V2, 300, 300);
      await().atMost(Duration.ofSeconds(30)).until(() -> run.pipeline.stats().faults() > 0);
      Thread.sleep(29_000); // about 30 s down in all
      assertThat(run.pipeline.failure()).as("retrying, not stopped").isNull();
      second = EmbeddedSchemaRegistry.start(port); // back, with the same schemas under the same ids
      second.register("ticks-registry-value", "AVRO", V1.toString());
      second.register("ticks-registry-value", "AVRO", V2.toString());
      run.awaitOffsets(
          config, "raw.ticks_registry", Map.of(new SourcePartition("ticks-registry", 0), 600L));
    } finally {
      if (second != null) {
        second.close();
      }
    }
    assertExactlyOnce(config, "raw.ticks_registry", 600);
  }

  @Test
  void storageFailingDuringAFlushIsRetriedUntilItWorksAgain() throws Exception {
    KafkaBroker broker = SharedServices.broker();
    broker.createTopic("ticks-storage", 1);
    produce(broker, "ticks-storage", 0, 3000);
    FloeConfig config = config(broker, registry.url(), "ticks-storage", "raw.ticks_storage");
    Path data;
    try (Running run = Running.start(config)) {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> IcebergTables.rowCount(config, "raw.ticks_storage") >= 200);
      String location = IcebergTables.load(config, "raw.ticks_storage").location() + "/data";
      data =
          location.startsWith("file:") ? Path.of(java.net.URI.create(location)) : Path.of(location);
      Path aside = data.resolveSibling("data.aside");
      Files.move(data, aside);
      Files.writeString(data, "not a directory"); // new data files cannot be created, even by root
      await().atMost(Duration.ofSeconds(30)).until(() -> run.pipeline.stats().faults() > 0);
      assertThat(run.pipeline.failure()).isNull();
      Files.delete(data);
      Files.move(aside, data);
      run.awaitOffsets(
          config, "raw.ticks_storage", Map.of(new SourcePartition("ticks-storage", 0), 3000L));
    }
    assertExactlyOnce(config, "raw.ticks_storage", 3000);
  }

  @Test
  void twoWritersRacingForOneTableEachLandExactlyOnce() throws Exception {
    KafkaBroker broker = SharedServices.broker();
    broker.createTopic("race-a", 1);
    broker.createTopic("race-b", 1);
    produce(broker, "race-a", 0, 2000);
    produce(broker, "race-b", 10_000, 2000);
    FloeConfig a = config(broker, registry.url(), "race-a", "raw.race", "floe-race-a", 50);
    FloeConfig b = config(broker, registry.url(), "race-b", "raw.race", "floe-race-b", 50);
    try (Running ra = Running.start(a);
        Running rb = Running.start(b)) {
      ra.awaitOffsets(a, "raw.race", Map.of(new SourcePartition("race-a", 0), 2000L));
      rb.awaitOffsets(b, "raw.race", Map.of(new SourcePartition("race-b", 0), 2000L));
    }
    List<Long> ns =
        IcebergTables.rows(a, "raw.race").stream()
            .map(r -> (Long) r.getField("n"))
            .sorted()
            .toList();
    List<Long> expected = new ArrayList<>();
    for (long n = 0; n < 2000; n++) {
      expected.add(n);
    }
    for (long n = 10_000; n < 12_000; n++) {
      expected.add(n);
    }
    assertThat(ns).isEqualTo(expected);
  }

  // --- fixtures

  /** A pipeline running in this JVM until closed. */
  private record Running(IcebergTableSink sink, Pipeline pipeline) implements AutoCloseable {
    static Running start(FloeConfig config) {
      IcebergTableSink sink = new IcebergTableSink(config);
      Pipeline pipeline = new Pipeline(config, Map.of(sink.format(), sink));
      pipeline.start();
      return new Running(sink, pipeline);
    }

    void awaitOffsets(FloeConfig config, String table, Map<SourcePartition, Long> ends) {
      await()
          .atMost(Duration.ofSeconds(120))
          .until(
              () ->
                  pipeline.failure() != null
                      || IcebergTables.exists(config, table)
                          && IcebergTables.committed(config, table)
                              .asMap()
                              .entrySet()
                              .containsAll(ends.entrySet()));
      assertThat(pipeline.failure()).isNull();
    }

    @Override
    public void close() {
      pipeline.close();
      sink.close();
    }
  }

  private FloeConfig config(KafkaBroker broker, String registryUrl, String topic, String table) {
    return config(broker, registryUrl, topic, table, "floe-faults-" + topic, 200);
  }

  private FloeConfig config(
      KafkaBroker broker,
      String registryUrl,
      String topic,
      String table,
      String group,
      int maxRecords) {
    Path file =
        TestConfigs.write(
            dir,
            broker,
            registryUrl,
            "30s",
            group,
            """
            tables:
              - topics: [%s]
                table: %s
                commit: { interval: 500ms, max-records: %d }
            """
                .formatted(topic, table, maxRecords));
    return ConfigFiles.load(file);
  }

  private static void produce(KafkaBroker broker, String topic, long from, int count)
      throws Exception {
    try (ConfluentAvroProducer producer =
        new ConfluentAvroProducer(broker.bootstrapServers(), registry)) {
      List<java.util.concurrent.Future<RecordMetadata>> sent = new ArrayList<>();
      for (long n = from; n < from + count; n++) {
        GenericRecord r = new GenericData.Record(V1);
        r.put("n", n);
        sent.add(producer.send(topic, r));
      }
      for (var f : sent) {
        f.get();
      }
    }
  }

  private static Map<SourcePartition, Long> ends(KafkaBroker broker, String topic)
      throws Exception {
    try (var admin = broker.admin()) {
      var description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
      Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec>
          latest = new HashMap<>();
      description
          .partitions()
          .forEach(
              p ->
                  latest.put(
                      new org.apache.kafka.common.TopicPartition(topic, p.partition()),
                      org.apache.kafka.clients.admin.OffsetSpec.latest()));
      return admin.listOffsets(latest).all().get().entrySet().stream()
          .filter(e -> e.getValue().offset() > 0) // an empty partition has nothing to commit
          .collect(
              Collectors.toMap(
                  e -> new SourcePartition(topic, e.getKey().partition()),
                  e -> e.getValue().offset()));
    }
  }

  /** Avro values framed the Confluent way for a schema id of the embedded registry. */
  private static void sendFramed(
      KafkaBroker broker, String topic, int id, Schema schema, long from, int count)
      throws Exception {
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", broker.bootstrapServers()),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      GenericDatumWriter<GenericRecord> writer = new GenericDatumWriter<>(schema);
      for (long n = from; n < from + count; n++) {
        GenericRecord r = new GenericData.Record(schema);
        r.put("n", n);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(ByteBuffer.allocate(5).put((byte) 0).putInt(id).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        writer.write(r, encoder);
        encoder.flush();
        producer.send(new ProducerRecord<>(topic, out.toByteArray())).get();
      }
    }
  }

  private static void assertExactlyOnce(FloeConfig config, String table, int count) {
    List<Long> ns =
        IcebergTables.rows(config, table).stream()
            .map(r -> (Long) r.getField("n"))
            .sorted()
            .toList();
    List<Long> expected = new ArrayList<>();
    for (long n = 0; n < count; n++) {
      expected.add(n);
    }
    assertThat(ns).isEqualTo(expected);
  }
}
