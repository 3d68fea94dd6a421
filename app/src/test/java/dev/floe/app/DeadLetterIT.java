package dev.floe.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.consumer.Pipeline;
import dev.floe.core.config.FloeConfig;
import dev.floe.embedded.KafkaBroker;
import dev.floe.sinks.iceberg.IcebergTableSink;
import dev.floe.testsupport.ConfluentAvroProducer;
import dev.floe.testsupport.SchemaRegistry;
import dev.floe.testsupport.SharedServices;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.data.Record;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code on-error: skip} and {@code on-error: dead-letter}: the pipeline goes on past bad records;
 * each lands in the table or in the dead-letter topic with its reason, never both, never neither,
 * also when Floe is killed between writing the dead letter and committing the table.
 */
class DeadLetterIT {
  static final KafkaBroker broker = SharedServices.broker();
  static final SchemaRegistry registry = SharedServices.registry();
  @TempDir Path dir;

  @Test
  void skipGoesOnPastBadRecordsAndCountsThem() throws Exception {
    broker.createTopic("skipping", 1);
    produceAround("skipping");
    FloeConfig config = config("skipping", "raw.skipping", "on-error: skip");

    try (IcebergTableSink sink = new IcebergTableSink(config);
        Pipeline pipeline = new Pipeline(config, Map.of(sink.format(), sink))) {
      pipeline.start();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  pipeline.failure() != null
                      || IcebergTables.committed(config, "raw.skipping").asMap().values().stream()
                          .anyMatch(next -> next == 202));
      assertThat(pipeline.failure()).isNull();
      assertThat(pipeline.stats().recordsSkipped()).isEqualTo(2);
    }
    assertThat(offsets(config, "raw.skipping")).isEqualTo(goodOffsets());
  }

  @Test
  void deadLettersCarryTheRecordAndItsReasonAndTheTableTheRest() throws Exception {
    broker.createTopic("lettered", 1);
    produceAround("lettered");
    FloeConfig config = config("lettered", "raw.lettered", "on-error: dead-letter");

    assertThat(
            Pipelines.runUntil(
                config,
                Duration.ofSeconds(60),
                () ->
                    IcebergTables.committed(config, "raw.lettered").asMap().values().stream()
                        .anyMatch(next -> next == 202)))
        .isNull();

    assertThat(offsets(config, "raw.lettered")).isEqualTo(goodOffsets());
    List<ConsumerRecord<byte[], byte[]>> letters = letters("lettered.floe-dlq", 2);
    ConsumerRecord<byte[], byte[]> first = letters.get(0);
    assertThat(new String(first.key(), StandardCharsets.UTF_8)).isEqualTo("bad-key-100");
    assertThat(new String(first.value(), StandardCharsets.UTF_8)).isEqualTo("not avro at all");
    assertThat(header(first, "trace")).isEqualTo("kept");
    assertThat(header(first, "floe.source.topic")).isEqualTo("lettered");
    assertThat(header(first, "floe.source.partition")).isEqualTo("0");
    assertThat(header(first, "floe.source.offset")).isEqualTo("100");
    assertThat(header(first, "floe.error.stage")).isEqualTo("decode");
    assertThat(header(first, "floe.error.message")).contains("not in the Confluent wire format");
    assertThat(header(first, "floe.table")).isEqualTo("raw.lettered");
    assertThat(header(first, "floe.time")).isNotBlank();
    ConsumerRecord<byte[], byte[]> second = letters.get(1);
    assertThat(header(second, "floe.source.offset")).isEqualTo("201");
    assertThat(header(second, "floe.schema.id")).isEqualTo("987654");
    assertThat(header(second, "floe.error.message")).contains("schema id 987654");
  }

  @Test
  void aDeadLetterWrittenBeforeACrashIsNotWrittenAgainNorIsTheRecordInTheTable() throws Exception {
    broker.createTopic("crashy", 1);
    produceAround("crashy");
    String tables =
        """
        tables:
          - topics: [crashy]
            table: raw.crashy
            on-error: dead-letter
            commit: { interval: 1h, max-records: 100000000 }
        """;
    Path config = TestConfigs.write(dir, broker, registry, "floe-dlq-crash", tables);
    try (ChildFloe floe = ChildFloe.run(config, Path.of("target", "dlq-crash-it", "run-0.log"))) {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> count("crashy.floe-dlq") == 2 || !floe.isAlive());
      assertThat(floe.isAlive()).as("log:\n%s", floe.logTail()).isTrue();
      floe.kill(); // the letters are written, the table never committed past them
    }
    FloeConfig parsed = ConfigFiles.load(config);
    assertThat(IcebergTables.rowCount(parsed, "raw.crashy")).as("nothing committed").isZero();

    FloeConfig restarted =
        TestConfigs.parse(dir, broker, registry, tables.replace("interval: 1h", "interval: 500ms"));
    assertThat(
            Pipelines.runUntil(
                restarted,
                Duration.ofSeconds(60),
                () ->
                    IcebergTables.exists(restarted, "raw.crashy")
                        && IcebergTables.committed(restarted, "raw.crashy")
                            .asMap()
                            .values()
                            .stream()
                            .anyMatch(next -> next == 202)))
        .isNull();
    assertThat(offsets(restarted, "raw.crashy")).isEqualTo(goodOffsets());
    assertThat(count("crashy.floe-dlq")).as("each letter once").isEqualTo(2);
  }

  @Test
  void replayReingestsDeadLettersOnceTheCauseIsFixedExactlyOnceWithTheirOriginalOffsets()
      throws Exception {
    broker.createTopic("replayed", 1);
    org.apache.avro.Schema v1 =
        new org.apache.avro.Schema.Parser()
            .parse(
                """
                {"type": "record", "name": "Visit", "namespace": "it.replay", "fields": [
                  {"name": "n", "type": "long"}]}""");
    org.apache.avro.Schema v2 =
        new org.apache.avro.Schema.Parser()
            .parse(
                """
                {"type": "record", "name": "Visit", "namespace": "it.replay", "fields": [
                  {"name": "n", "type": "long"},
                  {"name": "page", "type": ["null", "string"], "default": null}]}""");
    try (ConfluentAvroProducer producer =
        new ConfluentAvroProducer(broker.bootstrapServers(), registry)) {
      for (long n = 0; n < 100; n++) {
        boolean newer = n >= 50 && n < 70; // a producer rolled out v2 early
        org.apache.avro.generic.GenericRecord r =
            new org.apache.avro.generic.GenericData.Record(newer ? v2 : v1);
        r.put("n", n);
        if (newer) {
          r.put("page", "p" + n);
        }
        producer.send("replayed", r).get();
      }
    }
    String tables =
        """
        tables:
          - topics: [replayed]
            table: raw.replayed
            on-error: dead-letter
            schema-evolution: %s
            commit: { interval: 500ms }
        """;
    FloeConfig strict = TestConfigs.parse(dir, broker, registry, tables.formatted("none"));
    assertThat(
            Pipelines.runUntil(
                strict,
                Duration.ofSeconds(60),
                () ->
                    IcebergTables.exists(strict, "raw.replayed")
                        && IcebergTables.committed(strict, "raw.replayed").asMap().values().stream()
                            .anyMatch(next -> next == 100)))
        .isNull();
    assertThat(IcebergTables.rows(strict, "raw.replayed")).hasSize(80);
    assertThat(count("replayed.floe-dlq")).isEqualTo(20);
    // the reason names the rows' schema id and the one that set the table's columns
    ConsumerRecord<byte[], byte[]> refused = letters("replayed.floe-dlq", 20).get(0);
    String newId = header(refused, "floe.schema.id");
    assertThat(header(refused, "floe.error.stage")).isEqualTo("evolve");
    assertThat(header(refused, "floe.error.message"))
        .contains("(schema id " + newId + ")")
        .contains("would need to add column page")
        .containsPattern(
            "the table's columns were last set by rows of schema id (?!" + newId + "\\))\\d+\\)");

    // the cause is fixed: the mapping now lets the table evolve
    Path fixed = TestConfigs.write(dir, broker, registry, "floe-it", tables.formatted("full"));
    Cli.Result replay =
        Cli.floe("replay-dlq", "--config", fixed.toString(), "--table", "raw.replayed");
    assertThat(replay.exitCode()).as(replay.err()).isZero();
    assertThat(replay.out())
        .contains("replayed 20 dead letters")
        .contains("20 landed, 0 failed again");
    assertThat(replay.err())
        .contains("replay-dlq raw.replayed from [replayed.floe-dlq]: started")
        .containsPattern(
            "replay-dlq raw.replayed from \\[replayed.floe-dlq]: finished after [0-9.]+ s");

    FloeConfig parsed = ConfigFiles.load(fixed);
    List<Record> rows = IcebergTables.rows(parsed, "raw.replayed");
    assertThat(rows).hasSize(100);
    for (Record r : rows) {
      Record kafka = (Record) r.getField("_kafka");
      assertThat(kafka.getField("topic")).isEqualTo("replayed");
      assertThat(kafka.getField("offset")).as("original offset").isEqualTo(r.getField("n"));
      long n = (Long) r.getField("n");
      assertThat(r.getField("page")).isEqualTo(n >= 50 && n < 70 ? "p" + n : null);
    }

    Cli.Result again =
        Cli.floe("replay-dlq", "--config", fixed.toString(), "--table", "raw.replayed");
    assertThat(again.exitCode()).isZero();
    assertThat(IcebergTables.rows(parsed, "raw.replayed")).as("exactly once").hasSize(100);
  }

  // --- fixtures

  private FloeConfig config(String topic, String table, String onError) {
    return TestConfigs.parse(
        dir,
        broker,
        registry,
        """
        tables:
          - topics: [%s]
            table: %s
            %s
            commit: { interval: 500ms, max-records: 40 }
        """
            .formatted(topic, table, onError));
  }

  /** 100 good records, a non-Avro one at 100, 100 good ones, one of an unknown schema at 201. */
  private static void produceAround(String topic) throws Exception {
    try (ConfluentAvroProducer producer =
        new ConfluentAvroProducer(broker.bootstrapServers(), registry)) {
      Events.produce(producer, topic, 0, 100);
    }
    try (KafkaProducer<byte[], byte[]> raw = raw()) {
      RecordHeaders headers = new RecordHeaders();
      headers.add("trace", "kept".getBytes(StandardCharsets.UTF_8));
      raw.send(
              new ProducerRecord<>(
                  topic,
                  null,
                  "bad-key-100".getBytes(StandardCharsets.UTF_8),
                  "not avro at all".getBytes(StandardCharsets.UTF_8),
                  headers))
          .get();
    }
    try (ConfluentAvroProducer producer =
        new ConfluentAvroProducer(broker.bootstrapServers(), registry)) {
      Events.produce(producer, topic, 101, 100);
    }
    try (KafkaProducer<byte[], byte[]> raw = raw()) {
      byte[] unknown = {0, 0, 0x0f, 0x12, 0x06, 2, 4}; // schema id 987654
      raw.send(new ProducerRecord<>(topic, unknown)).get();
    }
  }

  private static List<Long> goodOffsets() {
    List<Long> offsets = new ArrayList<>();
    for (long o = 0; o < 201; o++) {
      if (o != 100) {
        offsets.add(o);
      }
    }
    return offsets;
  }

  private static List<Long> offsets(FloeConfig config, String table) {
    return IcebergTables.rows(config, table).stream()
        .map(r -> (Long) ((Record) r.getField("_kafka")).getField("offset"))
        .sorted()
        .toList();
  }

  private static long count(String topic) {
    try (KafkaConsumer<byte[], byte[]> c = reader()) {
      var infos = c.partitionsFor(topic, Duration.ofSeconds(5));
      if (infos == null || infos.isEmpty()) {
        return 0;
      }
      long n = 0;
      for (var i : infos) {
        TopicPartition tp = new TopicPartition(topic, i.partition());
        n += c.endOffsets(List.of(tp)).get(tp) - c.beginningOffsets(List.of(tp)).get(tp);
      }
      return n;
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      return 0;
    }
  }

  private static List<ConsumerRecord<byte[], byte[]>> letters(String topic, int expected) {
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c = reader()) {
      TopicPartition tp = new TopicPartition(topic, 0);
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
                return out.size() >= expected;
              });
    }
    assertThat(out).hasSize(expected);
    return out;
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String key) {
    Header h = r.headers().lastHeader(key);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static KafkaProducer<byte[], byte[]> raw() {
    return new KafkaProducer<>(
        Map.of("bootstrap.servers", broker.bootstrapServers()),
        new ByteArraySerializer(),
        new ByteArraySerializer());
  }

  private static KafkaConsumer<byte[], byte[]> reader() {
    return new KafkaConsumer<>(
        Map.of("bootstrap.servers", broker.bootstrapServers()),
        new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
  }
}
