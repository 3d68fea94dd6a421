package dev.floe.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.core.config.FloeConfig;
import dev.floe.embedded.KafkaBroker;
import dev.floe.testsupport.SchemaRegistry;
import dev.floe.testsupport.SharedServices;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.data.Record;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mapping's {@code maintenance.compact} schedule compacts its upsert table on Quartz's thread
 * while records keep arriving, and expires snapshots older than a second after each run; the table
 * ends with exactly the latest row per key, and Floe's offsets are never expired away.
 */
class ScheduledCompactionIT {
  static final KafkaBroker broker = SharedServices.broker();
  static final SchemaRegistry registry = SharedServices.registry();
  @TempDir Path dir;

  @Test
  void scheduledCompactionRunsBesideIngestion() throws Exception {
    broker.createTopic("scheduled", 1);
    FloeConfig config =
        TestConfigs.parse(
            dir,
            broker,
            registry,
            """
        tables:
          - topics: [scheduled]
            table: bank.scheduled
            mode: upsert
            key: { format: string, columns: [id] }
            maintenance: { compact: "* * * * * ?", expire-snapshots: 1s }
            commit: { interval: 200ms }
        """);
    Map<String, Long> model = new HashMap<>();
    Random random = new Random(9);
    try (Materializer floe = new Materializer(config);
        var values =
            new dev.floe.testsupport.ConfluentAvroProducer(broker.bootstrapServers(), registry);
        KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(
                Map.of("bootstrap.servers", broker.bootstrapServers()),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
      floe.start();
      for (int round = 0; round < 8; round++) {
        for (int i = 0; i < 100; i++) {
          String id = "a" + random.nextInt(150);
          byte[] key = id.getBytes(StandardCharsets.UTF_8);
          if (random.nextInt(5) == 0) {
            producer.send(new ProducerRecord<>("scheduled", key, null)).get();
            model.remove(id);
          } else {
            GenericRecord r = new GenericData.Record(UpsertIT.ACCOUNT);
            long balance = random.nextInt(1_000_000);
            r.put("id", id);
            r.put("balance", balance);
            r.put("version", round);
            producer
                .send(new ProducerRecord<>("scheduled", key, values.serialize("scheduled", r)))
                .get();
            model.put(id, balance);
          }
        }
        Thread.sleep(400);
      }
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  compactions(config) > 0
                      && IcebergTables.committed(config, "bank.scheduled").asMap().values().stream()
                          .anyMatch(o -> o == 800));
      assertThat(floe.failure()).isNull();
    }
    Map<String, Long> table = new HashMap<>();
    for (Record r : IcebergTables.rows(config, "bank.scheduled")) {
      assertThat(table.put((String) r.getField("id"), (Long) r.getField("balance"))).isNull();
    }
    assertThat(table).isEqualTo(model);
  }

  private static long compactions(FloeConfig config) {
    if (!IcebergTables.exists(config, "bank.scheduled")) {
      return 0;
    }
    long n = 0;
    for (Snapshot s : IcebergTables.load(config, "bank.scheduled").snapshots()) {
      if ("compaction".equals(s.summary().get("floe.operation"))) {
        n++;
      }
    }
    return n;
  }
}
