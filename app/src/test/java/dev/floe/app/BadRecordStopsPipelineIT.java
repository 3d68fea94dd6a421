package dev.floe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.core.BadRecordException;
import dev.floe.core.config.FloeConfig;
import dev.floe.embedded.KafkaBroker;
import dev.floe.testsupport.ConfluentAvroProducer;
import dev.floe.testsupport.SchemaRegistry;
import dev.floe.testsupport.SharedServices;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** on-error: stop (the default): a bad record stops the pipeline; nothing after it is committed. */
class BadRecordStopsPipelineIT {
  static final KafkaBroker broker = SharedServices.broker();
  static final SchemaRegistry registry = SharedServices.registry();
  @TempDir Path dir;

  @Test
  void undecodableRecordStopsThePipelineAndNothingAfterItIsCommitted() throws Exception {
    broker.createTopic("bad", 1);
    produceAround("bad", "not avro at all".getBytes(StandardCharsets.UTF_8));
    FloeConfig config = config("bad");

    Throwable failure = runUntilFailure(config);

    assertThat(failure)
        .isInstanceOf(BadRecordException.class)
        .hasMessageContaining("topic 'bad' partition 0 offset 100")
        .hasMessageContaining("failed at decode")
        .hasMessageContaining("not in the Confluent wire format")
        .hasMessageContaining("first byte is 0x6e")
        .hasMessageContaining("Fix:");
    assertThat(offsets(config, "raw.bad"))
        .as("rows before the bad record are committed, none after")
        .isEqualTo(range(0, 100));

    // A restart meets the same record again: nothing is skipped silently.
    assertThat(runUntilFailure(config)).hasMessageContaining("offset 100");
    assertThat(offsets(config, "raw.bad")).isEqualTo(range(0, 100));

    // The documented way past it (docs/operations.md): delete the topic up to the record after it.
    try (var admin = broker.admin()) {
      admin
          .deleteRecords(
              Map.of(
                  new org.apache.kafka.common.TopicPartition("bad", 0),
                  org.apache.kafka.clients.admin.RecordsToDelete.beforeOffset(101)))
          .all()
          .get();
    }
    assertThat(
            Pipelines.runUntil(
                config,
                Duration.ofSeconds(60),
                () -> IcebergTables.rowCount(config, "raw.bad") == 200))
        .isNull();
    List<Long> expected = range(0, 100);
    expected.addAll(range(101, 201));
    assertThat(offsets(config, "raw.bad")).isEqualTo(expected);
  }

  @Test
  void unknownSchemaIdNamesTheIdAndTheRegistry() throws Exception {
    broker.createTopic("unknown-id", 1);
    byte[] framed =
        ByteBuffer.allocate(8).put((byte) 0).putInt(987_654).put(new byte[] {2, 4, 6}).array();
    produceAround("unknown-id", framed);
    FloeConfig config = config("unknown-id");

    assertThat(runUntilFailure(config))
        .isInstanceOf(BadRecordException.class)
        .hasMessageContaining("topic 'unknown-id' partition 0 offset 100")
        .hasMessageContaining("schema id 987654 is not registered in " + registry.url());
    assertThat(offsets(config, "raw.unknown_id")).isEqualTo(range(0, 100));
  }

  @Test
  void aValueTheTableCannotHoldStopsThePipelineNamingTheFieldPath() throws Exception {
    Schema trade =
        new Schema.Parser()
            .parse(
                """
                {"type": "record", "name": "Trade", "namespace": "it.range", "fields": [
                  {"name": "id", "type": "long"},
                  {"name": "leg", "type": {"type": "record", "name": "Leg", "fields": [
                    {"name": "price", "type": {"type": "bytes", "logicalType": "decimal",
                      "precision": 5, "scale": 2}}]}}]}""");
    broker.createTopic("too-wide", 1);
    try (ConfluentAvroProducer producer =
        new ConfluentAvroProducer(broker.bootstrapServers(), registry)) {
      producer.send("too-wide", trade(trade, 1, "999.99")).get();
      producer.send("too-wide", trade(trade, 2, "123456.78")).get(); // 8 digits
    }
    FloeConfig config = config("too-wide");

    assertThat(runUntilFailure(config))
        .isInstanceOf(BadRecordException.class)
        .hasMessageContaining("topic 'too-wide' partition 0 offset 1")
        .hasMessageContaining("leg.price: 123456.78 has 8 digits, more than decimal(5,2) holds");
    List<Record> rows = IcebergTables.rows(config, "raw.too_wide");
    assertThat(rows).hasSize(1);
    assertThat(((Record) rows.get(0).getField("leg")).getField("price"))
        .isEqualTo(new BigDecimal("999.99"));
  }

  /** Bytes of the unscaled value, written as they are: Avro's own conversion would refuse. */
  private static GenericRecord trade(Schema schema, long id, String price) {
    GenericRecord leg = new GenericData.Record(schema.getField("leg").schema());
    leg.put("price", ByteBuffer.wrap(new BigDecimal(price).unscaledValue().toByteArray()));
    GenericRecord t = new GenericData.Record(schema);
    t.put("id", id);
    t.put("leg", leg);
    return t;
  }

  private FloeConfig config(String topic) {
    return TestConfigs.parse(
        dir,
        broker,
        registry,
        """
        tables:
          - topics: [%s]
            table: raw.${topic}
            commit: { interval: 500ms, max-records: 30 }
        """
            .formatted(topic));
  }

  /** 100 good records, the bad one at offset 100, then 100 good ones. */
  private void produceAround(String topic, byte[] bad) throws Exception {
    try (ConfluentAvroProducer producer =
        new ConfluentAvroProducer(broker.bootstrapServers(), registry)) {
      Events.produce(producer, topic, 0, 100);
    }
    RawRecords.send(broker, topic, List.of(bad));
    try (ConfluentAvroProducer producer =
        new ConfluentAvroProducer(broker.bootstrapServers(), registry)) {
      Events.produce(producer, topic, 101, 100);
    }
  }

  private static Throwable runUntilFailure(FloeConfig config) {
    return Pipelines.runUntil(config, Duration.ofSeconds(60), () -> false);
  }

  /** Offsets in the table, sorted, duplicates kept. */
  private static java.util.List<Long> offsets(FloeConfig config, String table) {
    return IcebergTables.rows(config, table).stream()
        .map(r -> (Long) ((Record) r.getField("_kafka")).getField("offset"))
        .sorted()
        .collect(Collectors.toList());
  }

  private static java.util.List<Long> range(long from, long to) {
    return java.util.stream.LongStream.range(from, to).boxed().collect(Collectors.toList());
  }
}
