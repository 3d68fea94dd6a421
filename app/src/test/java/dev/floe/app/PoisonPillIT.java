package dev.floe.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.consumer.Pipeline;
import dev.floe.core.BadRecordException;
import dev.floe.core.config.FloeConfig;
import dev.floe.embedded.KafkaBroker;
import dev.floe.sinks.iceberg.IcebergTableSink;
import dev.floe.testsupport.ConfluentAvroProducer;
import dev.floe.testsupport.SchemaRegistry;
import dev.floe.testsupport.SharedServices;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.avro.Conversions;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A corpus of poison pills between good records, under each {@code on-error} policy: {@code stop}
 * stops at the first, {@code skip} lands exactly the good ones, {@code dead-letter} also puts
 * exactly the bad ones in the dead-letter topic. Large records and NaN/Infinity where the schema
 * allows them are good records, not poison.
 */
class PoisonPillIT {
  static final KafkaBroker broker = SharedServices.broker();
  static final SchemaRegistry registry = SharedServices.registry();
  static final String TOPIC = "poison";
  @TempDir Path dir;

  static final Schema SCHEMA =
      new Schema.Parser()
          .parse(
              """
              {"type": "record", "name": "Payment", "namespace": "it.poison", "fields": [
                {"name": "n", "type": "long"},
                {"name": "memo", "type": "string"},
                {"name": "ratio", "type": "double"},
                {"name": "price", "type": {"type": "bytes", "logicalType": "decimal",
                                           "precision": 5, "scale": 2}}]}""");

  /** Offsets of the good records and of the poison pills, in produce order. */
  static final Set<Long> good = new TreeSet<>();

  static final Map<Long, String> poison = new java.util.TreeMap<>(); // offset -> what it is

  @BeforeAll
  static void produce() throws Exception {
    broker.createTopic(TOPIC, 1);
    Schema other =
        new Schema.Parser()
            .parse(
                """
                {"type": "record", "name": "Other", "namespace": "it.poison", "fields": [
                  {"name": "a", "type": "long"}, {"name": "b", "type": "string"},
                  {"name": "c", "type": "string"}, {"name": "d", "type": "string"},
                  {"name": "e", "type": "string"}, {"name": "f", "type": "string"}]}""");
    int otherId = registry.register("poison-other-value", "AVRO", other.toString());
    List<byte[]> values = new ArrayList<>();
    try (ConfluentAvroProducer producer =
        new ConfluentAvroProducer(broker.bootstrapServers(), registry)) {
      long offset = 0;
      for (int i = 0; i < 10; i++) {
        values.add(producer.serialize(TOPIC, payment(i, "ok " + i, i / 10.0, "1.00")));
        good.add(offset++);
      }
      byte[] valid = producer.serialize(TOPIC, payment(99, "XXXX", 1, "1.00"));
      values.add(withByte(valid, 0, (byte) 1));
      poison.put(offset++, "wrong magic byte");
      values.add(new byte[] {0, 0x7f, 0x7f, 0x7f, 0x7e, 2});
      poison.put(offset++, "unknown schema id");
      values.add(Arrays.copyOf(valid, valid.length - 3));
      poison.put(offset++, "truncated");
      values.add(withId(valid, otherId));
      poison.put(offset++, "schema id of another subject");
      values.add(replace(valid, "XXXX", new byte[] {(byte) 0xff, (byte) 0xfe, 0x41, 0x42}));
      poison.put(offset++, "invalid UTF-8");
      values.add(overflowingPrice(valid));
      poison.put(offset++, "decimal overflow");
      values.add(producer.serialize(TOPIC, payment(100, "x".repeat(600_000), 0, "1.00")));
      good.add(offset++); // large, but a record
      values.add(producer.serialize(TOPIC, payment(101, "nan", Double.NaN, "1.00")));
      good.add(offset++);
      values.add(producer.serialize(TOPIC, payment(102, "inf", Double.POSITIVE_INFINITY, "1.00")));
      good.add(offset++);
      for (int i = 200; i < 210; i++) {
        values.add(producer.serialize(TOPIC, payment(i, "ok " + i, 0.5, "2.50")));
        good.add(offset++);
      }
    }
    RawRecords.send(broker, TOPIC, values);
  }

  @Test
  void stopStopsAtTheFirstPillAndCommitsWhatCameBefore() {
    FloeConfig config = config("raw.poison_stop", "stop");

    Throwable failure = Pipelines.runUntil(config, Duration.ofSeconds(60), () -> false);

    assertThat(failure).isInstanceOf(BadRecordException.class).hasMessageContaining("offset 10");
    assertThat(offsets(config, "raw.poison_stop"))
        .containsExactlyElementsOf(good.stream().filter(o -> o < 10).toList());
  }

  @Test
  void skipLandsExactlyTheGoodRecordsAndCountsThePills() throws Exception {
    FloeConfig config = config("raw.poison_skip", "skip");
    try (IcebergTableSink sink = new IcebergTableSink(config);
        Pipeline pipeline = new Pipeline(config, Map.of(sink.format(), sink))) {
      pipeline.start();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> pipeline.failure() != null || done(config, "raw.poison_skip"));
      assertThat(pipeline.failure()).isNull();
      assertThat(pipeline.stats().recordsSkipped()).isEqualTo(poison.size());
    }
    assertThat(offsets(config, "raw.poison_skip")).containsExactlyElementsOf(good);
    assertValues(config, "raw.poison_skip");
  }

  @Test
  void deadLetterPutsEachPillInTheDeadLetterTopicWithItsReason() {
    FloeConfig config = config("raw.poison_dlq", "dead-letter");
    assertThat(
            Pipelines.runUntil(
                config, Duration.ofSeconds(60), () -> done(config, "raw.poison_dlq")))
        .isNull();

    assertThat(offsets(config, "raw.poison_dlq")).containsExactlyElementsOf(good);
    Map<Long, String> letters = new java.util.TreeMap<>();
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(
            Map.of("bootstrap.servers", broker.bootstrapServers()),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      TopicPartition tp = new TopicPartition("poison.floe-dlq", 0);
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                c.poll(Duration.ofMillis(200))
                    .forEach(
                        r ->
                            letters.put(
                                Long.parseLong(header(r, "floe.source.offset")),
                                header(r, "floe.error.message")));
                return letters.size() >= poison.size();
              });
    }
    assertThat(letters.keySet()).isEqualTo(poison.keySet());
    assertThat(letters.get(10L)).contains("not in the Confluent wire format");
    assertThat(letters.get(11L)).contains("2139062142"); // the unknown id
    assertThat(letters.get(12L)).contains("does not match its schema id");
    assertThat(letters.get(14L)).contains("memo: the string is not valid UTF-8");
    assertThat(letters.get(15L)).contains("price: ").contains("more than decimal(5,2) holds");
  }

  // --- fixtures

  private FloeConfig config(String table, String onError) {
    return TestConfigs.parse(
        dir,
        broker,
        registry,
        """
        tables:
          - topics: [poison]
            table: %s
            on-error: %s
            commit: { interval: 500ms }
        """
            .formatted(table, onError));
  }

  private static boolean done(FloeConfig config, String table) {
    return IcebergTables.exists(config, table)
        && IcebergTables.committed(config, table).asMap().values().stream()
            .anyMatch(next -> next == good.size() + poison.size());
  }

  private static void assertValues(FloeConfig config, String table) {
    Map<Long, Record> byN =
        IcebergTables.rows(config, table).stream()
            .collect(Collectors.toMap(r -> (Long) r.getField("n"), r -> r));
    assertThat(((String) byN.get(100L).getField("memo"))).hasSize(600_000);
    assertThat((Double) byN.get(101L).getField("ratio")).isNaN();
    assertThat((Double) byN.get(102L).getField("ratio")).isInfinite();
    assertThat(byN.get(205L).getField("price")).isEqualTo(new BigDecimal("2.50"));
  }

  private static List<Long> offsets(FloeConfig config, String table) {
    return IcebergTables.rows(config, table).stream()
        .map(r -> (Long) ((Record) r.getField("_kafka")).getField("offset"))
        .sorted()
        .toList();
  }

  private static GenericRecord payment(long n, String memo, double ratio, String price) {
    GenericRecord r = new GenericData.Record(SCHEMA);
    Schema priceSchema = SCHEMA.getField("price").schema();
    r.put("n", n);
    r.put("memo", memo);
    r.put("ratio", ratio);
    r.put(
        "price",
        new Conversions.DecimalConversion()
            .toBytes(new BigDecimal(price), priceSchema, priceSchema.getLogicalType()));
    return r;
  }

  private static byte[] withByte(byte[] b, int at, byte value) {
    byte[] copy = b.clone();
    copy[at] = value;
    return copy;
  }

  private static byte[] withId(byte[] b, int id) {
    byte[] copy = b.clone();
    ByteBuffer.wrap(copy).putInt(1, id);
    return copy;
  }

  private static byte[] replace(byte[] b, String marker, byte[] with) {
    byte[] m = marker.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i + m.length <= b.length; i++) {
      if (Arrays.equals(b, i, i + m.length, m, 0, m.length)) {
        byte[] copy = b.clone();
        System.arraycopy(with, 0, copy, i, with.length);
        return copy;
      }
    }
    throw new AssertionError("marker not found");
  }

  /** The price field's bytes (last in the payload) replaced by an unscaled 12345678. */
  private static byte[] overflowingPrice(byte[] valid) {
    byte[] unscaled = java.math.BigInteger.valueOf(12_345_678).toByteArray(); // 4 bytes
    // the valid price 1.00 is unscaled 100: one byte, preceded by its zigzag length 2
    byte[] head = Arrays.copyOf(valid, valid.length - 2);
    ByteBuffer out = ByteBuffer.allocate(head.length + 1 + unscaled.length);
    out.put(head).put((byte) (unscaled.length * 2)).put(unscaled);
    return out.array();
  }

  private static String header(
      org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]> r, String key) {
    var h = r.headers().lastHeader(key);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
