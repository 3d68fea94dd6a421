package dev.floe.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.floe.core.SourcePartition;
import dev.floe.core.config.FloeConfig;
import dev.floe.embedded.KafkaBroker;
import dev.floe.testsupport.ConfluentAvroProducer;
import dev.floe.testsupport.SchemaRegistry;
import dev.floe.testsupport.SharedServices;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.Future;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A model-based upsert test under SIGKILL: random inserts, updates, deletes and re-inserts over
 * 10,000 keys (200,000 records in three compatible value shapes) are materialized by a child JVM
 * that is killed at random moments and mid-commit, then restarted; the final table must equal the
 * model row by row.
 */
class UpsertCrashIT {
  private static final Logger LOG = LoggerFactory.getLogger(UpsertCrashIT.class);
  private static final int KEYS = 10_000;
  private static final int RECORDS = 200_000;
  static final KafkaBroker broker = SharedServices.broker();
  static final SchemaRegistry registry = SharedServices.registry();
  @TempDir Path dir;

  /** Three shapes of one table: all columns, a missing optional column, another field order. */
  static final List<Schema> SHAPES =
      List.of(
          schema(
              """
              {"name": "id", "type": "string"}, {"name": "balance", "type": "long"},
              {"name": "note", "type": ["null", "string"], "default": null}"""),
          schema(
              """
              {"name": "id", "type": "string"}, {"name": "balance", "type": "long"}"""),
          schema(
              """
              {"name": "note", "type": ["null", "string"], "default": null},
              {"name": "balance", "type": "long"}, {"name": "id", "type": "string"}"""));

  /** The model's row of a key. */
  record Account(long balance, String note) {}

  @Test
  void killNineDuringUpsertsLeavesExactlyTheLatestRowPerKey() throws Exception {
    crashAndCompare("iceberg", "upsert-crash", "bank.upsert_crash");
  }

  /** The same model test against a Delta table (copy-on-write upserts). */
  @Test
  void killNineDuringDeltaUpsertsLeavesExactlyTheLatestRowPerKey() throws Exception {
    crashAndCompare("delta", "upsert-crash-delta", "bank.upsert_crash_delta");
  }

  private void crashAndCompare(String format, String topic, String tableName) throws Exception {
    broker.createTopic(topic, 4);
    Map<String, Account> model = new HashMap<>();
    Map<SourcePartition, Long> ends = new HashMap<>();
    produce(topic, model, ends);
    String tables =
        """
        tables:
          - topics: [%s]
            table: %s
            formats: [%s]
            mode: upsert
            key: { format: string, columns: [id] }
            partition-by: ["bucket[4](id)"]
            commit: { interval: 1s, max-records: 15000 }
        """
            .formatted(topic, tableName, format);
    Path config = TestConfigs.write(dir, broker, registry, "floe-" + topic, tables);
    FloeConfig parsed = ConfigFiles.load(config);
    Target target = new Target(format, tableName);
    Random random = new Random(7);
    Path logs = Path.of("target", topic + "-it");

    int kills = 0;
    while (kills < 4 && !target.done(parsed, ends)) {
      boolean midCommit = kills % 2 == 1;
      int snapshotsBefore = target.commits(parsed);
      try (ChildFloe floe = ChildFloe.run(config, logs.resolve("run-" + kills + ".log"))) {
        await()
            .atMost(Duration.ofSeconds(90))
            .until(() -> target.commits(parsed) > snapshotsBefore || !floe.isAlive());
        if (midCommit) {
          int seen = floe.commitsStarted();
          await()
              .atMost(Duration.ofSeconds(90))
              .until(
                  () ->
                      floe.commitsStarted() > seen || !floe.isAlive() || target.done(parsed, ends));
        } else {
          Thread.sleep(random.nextInt(1500));
        }
        assertThat(floe.isAlive()).as("floe died by itself:\n%s", floe.logTail()).isTrue();
        floe.kill();
      }
      kills++;
      LOG.info(
          "Kill {} ({}): {} snapshots",
          kills,
          midCommit ? "mid-commit" : "random",
          target.commits(parsed));
    }
    assertThat(kills).as("crashes before the end").isGreaterThanOrEqualTo(3);
    try (ChildFloe floe = ChildFloe.run(config, logs.resolve("run-final.log"))) {
      await()
          .atMost(Duration.ofSeconds(120))
          .until(() -> target.done(parsed, ends) || !floe.isAlive());
      assertThat(floe.terminate()).as("exit code; log:\n%s", floe.logTail()).isZero();
    }

    assertSameAsModel(model, target.rows(parsed), target.format() + " reader");
    assertSameAsModel(model, target.sparkRows(parsed), "Spark");
  }

  private static void assertSameAsModel(
      Map<String, Account> model, Map<String, Account> table, String reader) {
    List<String> wrong = new ArrayList<>();
    model.forEach(
        (id, account) -> {
          if (!Objects.equals(table.get(id), account)) {
            wrong.add(id + ": model " + account + ", table " + table.get(id));
          }
        });
    table.keySet().stream()
        .filter(id -> !model.containsKey(id))
        .forEach(id -> wrong.add(id + ": deleted in the model, in the table"));
    assertThat(wrong).as("rows that differ from the model, read by %s", reader).isEmpty();
    assertThat(table).hasSameSizeAs(model);
  }

  private static void produce(
      String topic, Map<String, Account> model, Map<SourcePartition, Long> ends) throws Exception {
    Random random = new Random(2026);
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    // one producer for values and tombstones: two would not keep a key's records in model order
    try (ConfluentAvroProducer values =
            new ConfluentAvroProducer(broker.bootstrapServers(), registry);
        KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(
                Map.of("bootstrap.servers", broker.bootstrapServers()),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
      for (int i = 0; i < RECORDS; i++) {
        String id = "k" + random.nextInt(KEYS);
        byte[] key = id.getBytes(StandardCharsets.UTF_8);
        if (i > 0 && random.nextInt(10) == 0) {
          sent.add(producer.send(new ProducerRecord<>(topic, key, null)));
          model.remove(id);
          continue;
        }
        Schema shape = SHAPES.get(i == 0 ? 0 : random.nextInt(SHAPES.size()));
        long balance = random.nextLong();
        String note = shape.getField("note") != null && random.nextBoolean() ? "n" + i : null;
        GenericRecord value = new GenericData.Record(shape);
        value.put("id", id);
        value.put("balance", balance);
        if (shape.getField("note") != null) {
          value.put("note", note);
        }
        sent.add(producer.send(new ProducerRecord<>(topic, key, values.serialize(topic, value))));
        model.put(id, new Account(balance, note));
      }
      producer.flush();
      for (Future<RecordMetadata> f : sent) {
        RecordMetadata m = f.get();
        ends.merge(new SourcePartition(topic, m.partition()), m.offset() + 1, Math::max);
      }
    }
  }

  /** The table under test, read by an independent reader of its format. */
  private record Target(String format, String table) {
    boolean done(FloeConfig config, Map<SourcePartition, Long> ends) {
      if (format.equals("delta")) {
        return ends.entrySet().stream()
            .allMatch(
                e ->
                    DeltaTables.txnVersion(
                            config, table, e.getKey().topic(), e.getKey().partition())
                        == e.getValue());
      }
      return IcebergTables.exists(config, table)
          && IcebergTables.committed(config, table).asMap().equals(ends);
    }

    /** Commits so far: snapshots, or Delta versions. */
    int commits(FloeConfig config) {
      if (format.equals("delta")) {
        return (int) DeltaTables.log(config, table).update().getVersion() + 1;
      }
      if (!IcebergTables.exists(config, table)) {
        return 0;
      }
      int n = 0;
      for (var ignored : IcebergTables.load(config, table).snapshots()) {
        n++;
      }
      return n;
    }

    /** The rows as Spark 4.0 reads them: Iceberg by name through the catalog, Delta by path. */
    Map<String, Account> sparkRows(FloeConfig config) {
      String name =
          format.equals("delta") ? SparkReads.delta(config, table) : SparkReads.iceberg(table);
      Map<String, Account> rows = new HashMap<>();
      for (ObjectNode r : SparkReads.spark(config).query("SELECT id, balance, note FROM " + name)) {
        String id = r.get("id").asText();
        String note = r.get("note").isNull() ? null : r.get("note").asText();
        Account previous = rows.put(id, new Account(r.get("balance").longValue(), note));
        assertThat(previous).as("one row per key in Spark: %s", id).isNull();
      }
      return rows;
    }

    Map<String, Account> rows(FloeConfig config) {
      Map<String, Account> rows = new HashMap<>();
      if (format.equals("delta")) {
        for (Map<String, Object> r : DeltaTables.rows(config, table)) {
          Account previous =
              rows.put(
                  (String) r.get("id"),
                  new Account((Long) r.get("balance"), (String) r.get("note")));
          assertThat(previous).as("one row per key: %s", r.get("id")).isNull();
        }
        return rows;
      }
      for (Record r : IcebergTables.rows(config, table)) {
        Account previous =
            rows.put(
                (String) r.getField("id"),
                new Account((Long) r.getField("balance"), (String) r.getField("note")));
        assertThat(previous).as("one row per key: %s", r.getField("id")).isNull();
      }
      return rows;
    }
  }

  private static Schema schema(String fields) {
    return new Schema.Parser()
        .parse(
            "{\"type\": \"record\", \"name\": \"Account\", \"namespace\": \"it.crash\", \"fields\": ["
                + fields
                + "]}");
  }
}
