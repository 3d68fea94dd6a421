package dev.floe.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.core.SourcePartition;
import dev.floe.core.config.FloeConfig;
import dev.floe.embedded.KafkaBroker;
import dev.floe.testsupport.ConfluentAvroProducer;
import dev.floe.testsupport.SchemaRegistry;
import dev.floe.testsupport.SharedServices;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Continuous upserts and deletes into an Iceberg and a Delta table of one mapping while a child
 * floe compacts, expires, checkpoints and cleans up both every two seconds; it is SIGKILLed once
 * mid-compaction and once mid-commit, then restarted. Both tables, read by independent readers,
 * must equal the model row by row, and compactions must have landed.
 */
class MaintenanceStressIT {
  static final KafkaBroker broker = SharedServices.broker();
  static final SchemaRegistry registry = SharedServices.registry();
  private static final String TOPIC = "maintenance-stress";
  private static final String TABLE = "bank.stress";
  private static final int ROUNDS = 40;
  private static final int PER_ROUND = 500;
  private static final int KEYS = 3_000;
  @TempDir Path dir;

  static final Schema ACCOUNT =
      new Schema.Parser()
          .parse(
              """
              {"type": "record", "name": "Account", "namespace": "it.stress", "fields": [
                {"name": "id", "type": "string"}, {"name": "balance", "type": "long"}]}
              """);

  @Test
  void compactionEveryFewSecondsBesideUpsertsAndCrashesLeavesExactlyTheModel() throws Exception {
    broker.createTopic(TOPIC, 2);
    Path config =
        TestConfigs.write(
            dir,
            broker,
            registry,
            "floe-stress",
            """
            tables:
              - topics: [%s]
                table: %s
                formats: [iceberg, delta]
                mode: upsert
                key: { format: string, columns: [id] }
                partition-by: ["bucket[2](id)"]
                commit: { interval: 300ms, max-records: 2000 }
                maintenance:
                  compact: "*/2 * * * * ?"
                  expire-snapshots: 3s
                  rewrite-manifests: 8
            """
                .formatted(TOPIC, TABLE));
    FloeConfig parsed = ConfigFiles.load(config);
    Map<String, Long> model = new ConcurrentHashMap<>();
    Map<SourcePartition, Long> ends = new ConcurrentHashMap<>();
    Path logs = Path.of("target", "maintenance-stress-it");
    if (Files.exists(logs)) { // the logs are checked below: none of an earlier run
      try (var old = Files.list(logs)) {
        for (Path f : (Iterable<Path>) old::iterator) {
          Files.delete(f);
        }
      }
    }
    CompletableFuture<Void> producing =
        CompletableFuture.runAsync(
            () -> {
              try {
                produce(model, ends);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });

    // kill 1: as a scheduled compaction starts; kill 2: as a batch commits
    String[] killOn = {"Scheduled compact of iceberg table " + TABLE + " starts", "Committing "};
    for (int kill = 0; kill < killOn.length; kill++) {
      try (ChildFloe floe = ChildFloe.run(config, logs.resolve("run-" + kill + ".log"))) {
        long before = SmallFileTables.deltaVersion(parsed, TABLE);
        await()
            .atMost(Duration.ofSeconds(90))
            .until(() -> SmallFileTables.deltaVersion(parsed, TABLE) != before || !floe.isAlive());
        floe.killOnLine(killOn[kill]);
        await().atMost(Duration.ofSeconds(60)).until(() -> !floe.isAlive());
      }
    }
    producing.get();
    try (ChildFloe floe = ChildFloe.run(config, logs.resolve("run-final.log"))) {
      await().atMost(Duration.ofSeconds(180)).until(() -> done(parsed, ends) || !floe.isAlive());
      Thread.sleep(2_500); // one more scheduled run over the final commits
      assertThat(floe.terminate()).as("exit code; log:\n%s", floe.logTail()).isZero();
    }

    assertThat(SmallFileTables.icebergRows(parsed, TABLE)).isEqualTo(model);
    assertThat(SmallFileTables.deltaRows(parsed, TABLE)).isEqualTo(model);
    String all = allLogs(logs);
    assertThat(all).contains("Scheduled compact of iceberg table " + TABLE + ": compacted");
    assertThat(all).contains("Scheduled compact of delta table " + TABLE + ": optimized");
    assertThat(all).contains("Scheduled expire of delta table " + TABLE + ": deleted");
  }

  private static boolean done(FloeConfig config, Map<SourcePartition, Long> ends) {
    boolean delta =
        ends.entrySet().stream()
            .allMatch(
                e ->
                    DeltaTables.txnVersion(
                            config, TABLE, e.getKey().topic(), e.getKey().partition())
                        == e.getValue());
    return delta
        && IcebergTables.exists(config, TABLE)
        && IcebergTables.committed(config, TABLE).asMap().equals(ends);
  }

  private static void produce(Map<String, Long> model, Map<SourcePartition, Long> ends)
      throws Exception {
    Random random = new Random(2027);
    try (ConfluentAvroProducer values =
            new ConfluentAvroProducer(broker.bootstrapServers(), registry);
        KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(
                Map.of("bootstrap.servers", broker.bootstrapServers()),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
      for (int round = 0; round < ROUNDS; round++) {
        Map<String, Long> roundModel = new HashMap<>();
        java.util.List<java.util.concurrent.Future<RecordMetadata>> sent =
            new java.util.ArrayList<>();
        for (int i = 0; i < PER_ROUND; i++) {
          String id = "k" + random.nextInt(KEYS);
          byte[] key = id.getBytes(StandardCharsets.UTF_8);
          if (random.nextInt(8) == 0) {
            sent.add(producer.send(new ProducerRecord<>(TOPIC, key, null)));
            model.remove(id);
          } else {
            GenericRecord r = new GenericData.Record(ACCOUNT);
            long balance = random.nextLong();
            r.put("id", id);
            r.put("balance", balance);
            sent.add(producer.send(new ProducerRecord<>(TOPIC, key, values.serialize(TOPIC, r))));
            model.put(id, balance);
          }
        }
        producer.flush();
        for (var f : sent) {
          RecordMetadata m = f.get();
          ends.merge(new SourcePartition(TOPIC, m.partition()), m.offset() + 1, Math::max);
        }
        Thread.sleep(300);
      }
    }
  }

  private static String allLogs(Path logs) throws Exception {
    StringBuilder all = new StringBuilder();
    try (var files = Files.list(logs)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        all.append(Files.readString(f));
      }
    }
    return all.toString();
  }
}
