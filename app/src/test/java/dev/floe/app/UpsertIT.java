package dev.floe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.core.BadRecordException;
import dev.floe.core.SourcePartition;
import dev.floe.core.config.FloeConfig;
import dev.floe.embedded.KafkaBroker;
import dev.floe.testsupport.ConfluentAvroProducer;
import dev.floe.testsupport.SchemaRegistry;
import dev.floe.testsupport.SharedServices;
import java.nio.charset.StandardCharsets;
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
 * {@code mode: upsert} end to end: a compacted-topic style stream of updates, tombstones and
 * re-inserts over keyed Avro records becomes a table with exactly the latest row per key, as
 * Iceberg's generic reader (which applies the deletes) sees it.
 */
class UpsertIT {
  static final KafkaBroker broker = SharedServices.broker();
  static final SchemaRegistry registry = SharedServices.registry();
  @TempDir Path dir;

  static final Schema ACCOUNT =
      new Schema.Parser()
          .parse(
              """
              {"type": "record", "name": "Account", "namespace": "it.upsert", "fields": [
                {"name": "id", "type": ["null", "string"]},
                {"name": "balance", "type": "long"},
                {"name": "version", "type": "int"}]}""");

  @Test
  void theTableHoldsTheLatestRowPerKeyAcrossCommitsTombstonesAndReinserts() throws Exception {
    String topic = "accounts";
    Map<SourcePartition, Long> ends = new HashMap<>();
    Map<String, Long> model = produce(topic, ends);
    FloeConfig config = config(topic, "bank.accounts");

    Throwable failure =
        Pipelines.runUntil(
            config,
            Duration.ofSeconds(90),
            () ->
                IcebergTables.exists(config, "bank.accounts")
                    && IcebergTables.committed(config, "bank.accounts").asMap().equals(ends));
    assertThat(failure).isNull();

    assertThat(icebergRows(config, "bank.accounts")).isEqualTo(model);
    assertThat(IcebergTables.load(config, "bank.accounts").snapshots())
        .as("several commits, so that later ones update earlier ones' rows")
        .hasSizeGreaterThan(3);

    String file = dir.resolve("floe.yaml").toString();
    Cli.Result plan =
        Cli.floe("maintain", "--config", file, "--table", "bank.accounts", "--dry-run");
    assertThat(plan.exitCode()).isZero();
    assertThat(plan.out()).contains("bank.accounts: would compact 4 partition(s)");
    Cli.Result compacted = Cli.floe("maintain", "--config", file, "--table", "bank.accounts");
    assertThat(compacted.out())
        .contains("bank.accounts: compacted 4 partition(s)")
        .contains("-> 4 data files");
    assertThat(icebergRows(config, "bank.accounts"))
        .as("the same rows after compaction")
        .isEqualTo(model);
    Cli.Result expired =
        Cli.floe(
            "maintain",
            "--config",
            file,
            "--table",
            "bank.accounts",
            "--job",
            "expire",
            "--older-than",
            "1ms");
    assertThat(expired.out()).contains("bank.accounts: expired");
    assertThat(IcebergTables.committed(config, "bank.accounts").asMap()).isEqualTo(ends);
  }

  /** The same stream into both formats: Delta's copy-on-write shows the same latest rows. */
  @Test
  void theSameStreamLandsIdenticallyInIcebergAndDelta() throws Exception {
    String topic = "accounts-both";
    Map<SourcePartition, Long> ends = new HashMap<>();
    Map<String, Long> model = produce(topic, ends);
    FloeConfig config =
        TestConfigs.parse(
            dir,
            broker,
            registry,
            """
            tables:
              - topics: [%s]
                table: bank.accounts_both
                formats: [iceberg, delta]
                mode: upsert
                key: { format: string, columns: [id] }
                partition-by: ["bucket[4](id)"]
                commit: { interval: 500ms, max-records: 400 }
            """
                .formatted(topic));

    Throwable failure =
        Pipelines.runUntil(
            config,
            Duration.ofSeconds(120),
            () -> CommittedOffsets.reachedInBothFormats(config, "bank.accounts_both", ends));
    assertThat(failure).isNull();

    assertThat(icebergRows(config, "bank.accounts_both")).isEqualTo(model);
    Map<String, Long> delta = new HashMap<>();
    for (Map<String, Object> r : DeltaTables.rows(config, "bank.accounts_both")) {
      Long previous = delta.put((String) r.get("id"), (Long) r.get("balance"));
      assertThat(previous).as("one Delta row per key: %s", r.get("id")).isNull();
    }
    assertThat(delta).isEqualTo(model);
    assertThat(DeltaTables.log(config, "bank.accounts_both").update().getVersion())
        .as("several commits, so that later ones rewrite earlier ones' files")
        .isGreaterThan(3);
  }

  private static Map<String, Long> icebergRows(FloeConfig config, String name) {
    Map<String, Long> table = new HashMap<>();
    for (Record r : IcebergTables.rows(config, name)) {
      Long previous = table.put((String) r.getField("id"), (Long) r.getField("balance"));
      assertThat(previous).as("one row per key: %s", r.getField("id")).isNull();
    }
    return table;
  }

  /** 3,000 updates, tombstones and re-inserts over 300 keys; the model of the latest balances. */
  private Map<String, Long> produce(String topic, Map<SourcePartition, Long> ends)
      throws Exception {
    broker.createTopic(topic, 3);
    Map<String, Long> model = new HashMap<>();
    Random random = new Random(42);
    try (ConfluentAvroProducer values =
            new ConfluentAvroProducer(broker.bootstrapServers(), registry);
        KafkaProducer<byte[], byte[]> tombstones = rawProducer()) {
      for (int i = 0; i < 3_000; i++) {
        String id = "acct-" + random.nextInt(300);
        RecordMetadata m;
        if (random.nextInt(8) == 0) {
          m = tombstones.send(new ProducerRecord<>(topic, utf8(id), null)).get();
          model.remove(id);
        } else {
          long balance = random.nextInt(1_000_000);
          m = values.send(topic, null, utf8(id), account(id, balance, i), null).get();
          model.put(id, balance);
        }
        ends.merge(new SourcePartition(topic, m.partition()), m.offset() + 1, Math::max);
      }
    }
    return model;
  }

  @Test
  void aRecordWithoutItsKeyColumnStopsThePipelineNamingTheRecordAndTheColumn() throws Exception {
    String topic = "accounts-bad";
    broker.createTopic(topic, 1);
    try (ConfluentAvroProducer values =
        new ConfluentAvroProducer(broker.bootstrapServers(), registry)) {
      values.send(topic, null, utf8("a"), account("a", 1, 0), null).get();
      values.send(topic, null, utf8("b"), account(null, 2, 1), null).get();
    }
    FloeConfig config = config(topic, "bank.accounts_bad");

    Throwable failure = Pipelines.runUntil(config, Duration.ofSeconds(60), () -> false);

    assertThat(failure)
        .isInstanceOf(BadRecordException.class)
        .hasMessageContaining("topic 'accounts-bad' partition 0 offset 1")
        .hasMessageContaining("Key column 'id' of table bank.accounts_bad is null");
    assertThat(IcebergTables.rows(config, "bank.accounts_bad"))
        .extracting(r -> r.getField("id"))
        .containsExactly("a"); // the record before it is committed, nothing is dropped silently
  }

  private FloeConfig config(String topic, String table) {
    return TestConfigs.parse(
        dir,
        broker,
        registry,
        """
        tables:
          - topics: [%s]
            table: %s
            mode: upsert
            key: { format: string, columns: [id] }
            partition-by: ["bucket[4](id)"]
            commit: { interval: 500ms, max-records: 400 }
        """
            .formatted(topic, table));
  }

  private static GenericRecord account(String id, long balance, int version) {
    GenericRecord r = new GenericData.Record(ACCOUNT);
    r.put("id", id);
    r.put("balance", balance);
    r.put("version", version);
    return r;
  }

  private static KafkaProducer<byte[], byte[]> rawProducer() {
    return new KafkaProducer<>(
        Map.of("bootstrap.servers", broker.bootstrapServers()),
        new ByteArraySerializer(),
        new ByteArraySerializer());
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
