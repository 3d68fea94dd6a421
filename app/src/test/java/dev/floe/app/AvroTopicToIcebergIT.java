package dev.floe.app;

import static dev.floe.app.ExpectedValues.same;
import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.core.config.FloeConfig;
import dev.floe.embedded.KafkaBroker;
import dev.floe.testsupport.ConfluentAvroProducer;
import dev.floe.testsupport.SchemaRegistry;
import dev.floe.testsupport.SharedServices;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walking skeleton end to end: records framed by Apicurio's serializer (Confluent mode) on a
 * real KRaft broker, decoded through a real registry, materialized by the pipeline, and read back
 * with Iceberg's generic reader field by field.
 */
class AvroTopicToIcebergIT {
  static final Schema SCHEMA =
      new Schema.Parser()
          .parse(
              """
      {"type": "record", "name": "Payment", "namespace": "it", "fields": [
        {"name": "id", "type": {"type": "string", "logicalType": "uuid"}},
        {"name": "account", "type": "long"},
        {"name": "ok", "type": "boolean"},
        {"name": "attempt", "type": "int"},
        {"name": "ratio", "type": "float"},
        {"name": "score", "type": "double"},
        {"name": "note", "type": "string"},
        {"name": "raw", "type": "bytes"},
        {"name": "tag", "type": {"type": "fixed", "name": "Tag", "size": 3}},
        {"name": "kind", "type": {"type": "enum", "name": "Kind", "symbols": ["CARD", "WIRE"]}},
        {"name": "amount", "type": {"type": "bytes", "logicalType": "decimal", "precision": 12, "scale": 2}},
        {"name": "big", "type": {"type": "fixed", "name": "Big", "size": 16, "logicalType": "decimal", "precision": 38, "scale": 10}},
        {"name": "day", "type": {"type": "int", "logicalType": "date"}},
        {"name": "at_ms", "type": {"type": "int", "logicalType": "time-millis"}},
        {"name": "at_us", "type": {"type": "long", "logicalType": "time-micros"}},
        {"name": "ts", "type": {"type": "long", "logicalType": "timestamp-millis"}},
        {"name": "ts_us", "type": {"type": "long", "logicalType": "timestamp-micros"}},
        {"name": "local_ts", "type": {"type": "long", "logicalType": "local-timestamp-micros"}},
        {"name": "memo", "type": ["null", "string"], "default": null},
        {"name": "either", "type": ["null", "long", "string"], "default": null},
        {"name": "card", "type": ["null", {"type": "record", "name": "Card", "fields": [
          {"name": "brand", "type": "string"}, {"name": "last4", "type": ["null", "string"]},
          {"name": "expiry", "type": {"type": "record", "name": "Expiry", "fields": [
            {"name": "month", "type": "int"}, {"name": "year", "type": "int"}]}}]}], "default": null},
        {"name": "lines", "type": {"type": "array", "items": {"type": "record", "name": "Line", "fields": [
          {"name": "sku", "type": "string"}, {"name": "qty", "type": "int"}]}}},
        {"name": "labels", "type": {"type": "array", "items": ["null", "string"]}},
        {"name": "attrs", "type": {"type": "map", "values": "double"}}
      ]}""");

  static final KafkaBroker broker = SharedServices.broker();
  static final SchemaRegistry registry = SharedServices.registry();
  @TempDir Path dir;

  @Test
  void everyRecordLandsExactlyOnceWithEveryFieldIntact() throws Exception {
    broker.createTopic("payments", 3);
    Map<String, GenericRecord> produced = new HashMap<>();
    Map<String, RecordMetadata> metadata = new HashMap<>();
    Random random = new Random(42);
    try (ConfluentAvroProducer producer =
        new ConfluentAvroProducer(broker.bootstrapServers(), registry)) {
      List<java.util.concurrent.Future<RecordMetadata>> sent = new ArrayList<>();
      List<GenericRecord> values = new ArrayList<>();
      for (int i = 0; i < 3000; i++) {
        GenericRecord value = payment(random, i);
        RecordHeaders headers = new RecordHeaders();
        headers.add("trace", ("t-" + i).getBytes(StandardCharsets.UTF_8));
        sent.add(
            producer.send(
                "payments", null, ("k" + i).getBytes(StandardCharsets.UTF_8), value, headers));
        values.add(value);
      }
      producer.flush();
      for (int i = 0; i < sent.size(); i++) {
        RecordMetadata m = sent.get(i).get();
        produced.put(m.partition() + "/" + m.offset(), values.get(i));
        metadata.put(m.partition() + "/" + m.offset(), m);
      }
    }
    FloeConfig config =
        TestConfigs.parse(
            dir,
            broker,
            registry,
            """
        tables:
          - topics: [payments]
            table: finance.payments
            partition-by: [day(ts), "bucket[4](account)"]
            commit: { interval: 1s, max-records: 1000 }
        """);

    Throwable failure =
        Pipelines.runUntil(
            config,
            Duration.ofSeconds(90),
            () -> IcebergTables.rowCount(config, "finance.payments") >= produced.size());
    assertThat(failure).isNull();

    List<Record> rows = IcebergTables.rows(config, "finance.payments");
    Map<String, Record> byPosition =
        rows.stream().collect(Collectors.toMap(IcebergTables::position, r -> r));
    assertThat(byPosition).as("no duplicates").hasSize(rows.size());
    assertThat(byPosition.keySet()).isEqualTo(produced.keySet());
    for (Map.Entry<String, Record> e : byPosition.entrySet()) {
      GenericRecord expected = produced.get(e.getKey());
      Record actual = e.getValue();
      for (Schema.Field f : SCHEMA.getFields()) {
        Object want = expected(f.schema(), expected.get(f.name()));
        Object got = actual.getField(f.name());
        assertThat(same(want, got))
            .as("%s at %s: expected %s but was %s", f.name(), e.getKey(), want, got)
            .isTrue();
      }
      Record kafka = (Record) actual.getField("_kafka");
      RecordMetadata m = metadata.get(e.getKey());
      int i = Integer.parseInt(expected.get("attempt").toString());
      assertThat(kafka.getField("topic")).isEqualTo("payments");
      assertThat(kafka.getField("timestamp"))
          .isEqualTo(OffsetDateTime.ofInstant(Instant.ofEpochMilli(m.timestamp()), ZoneOffset.UTC));
      assertThat(kafka.getField("key"))
          .isEqualTo(ByteBuffer.wrap(("k" + i).getBytes(StandardCharsets.UTF_8)));
      Record header = (Record) ((List<?>) kafka.getField("headers")).get(0);
      assertThat(header.getField("key")).isEqualTo("trace");
      assertThat(header.getField("value"))
          .isEqualTo(ByteBuffer.wrap(("t-" + i).getBytes(StandardCharsets.UTF_8)));
    }

    Table table = IcebergTables.load(config, "finance.payments");
    assertThat(
            ((org.apache.iceberg.HasTableOperations) table).operations().current().formatVersion())
        .isEqualTo(2);
    assertThat(table.spec().fields())
        .extracting(PartitionField::name)
        .containsExactly("ts_day", "account_bucket");
    Snapshot current = table.currentSnapshot();
    assertThat(current.summary()).containsKey("floe.offsets." + config.groupId());
    assertThat(table.snapshots())
        .hasSizeGreaterThanOrEqualTo(3); // max-records 1000 over 3000 records
  }

  @Test
  void topicPatternRoutesEachMatchingTopicToItsOwnTable() throws Exception {
    broker.createTopic("shop.eu-orders", 2);
    broker.createTopic("shop.us-orders", 1);
    broker.createTopic("other", 1);
    try (ConfluentAvroProducer producer =
        new ConfluentAvroProducer(broker.bootstrapServers(), registry)) {
      Events.produce(producer, "shop.eu-orders", 0, 300);
      Events.produce(producer, "shop.us-orders", 1000, 200);
      Events.produce(producer, "other", 5000, 50);
    }
    FloeConfig config =
        TestConfigs.parse(
            dir,
            broker,
            registry,
            """
        tables:
          - topic-pattern: 'shop\\..*'
            table: raw.${topic}
            commit: { interval: 1s }
        """);

    Throwable failure =
        Pipelines.runUntil(
            config,
            Duration.ofSeconds(60),
            () ->
                IcebergTables.rowCount(config, "raw.shop_eu_orders") == 300
                    && IcebergTables.rowCount(config, "raw.shop_us_orders") == 200);
    assertThat(failure).isNull();

    assertThat(IcebergTables.rows(config, "raw.shop_eu_orders"))
        .extracting(r -> ((Record) r.getField("_kafka")).getField("topic"))
        .containsOnly("shop.eu-orders");
    assertThat(IcebergTables.rows(config, "raw.shop_us_orders"))
        .extracting(r -> (Long) r.getField("seq"))
        .allMatch(seq -> seq >= 1000 && seq < 1200);
    assertThat(IcebergTables.exists(config, "raw.other")).as("unmatched topic").isFalse();
  }

  static final Schema WIDE =
      new Schema.Parser()
          .parse(
              """
      {"type": "record", "name": "Wide", "namespace": "it.wide", "fields": [
        {"name": "seq", "type": "long"},
        {"name": "id", "type": {"type": "fixed", "name": "Id", "size": 16, "logicalType": "uuid"}},
        {"name": "ts_ns", "type": {"type": "long", "logicalType": "timestamp-nanos"}},
        {"name": "local_ms", "type": {"type": "long", "logicalType": "local-timestamp-millis"}},
        {"name": "local_ns", "type": {"type": "long", "logicalType": "local-timestamp-nanos"}},
        {"name": "span", "type": {"type": "fixed", "name": "Span", "size": 12, "logicalType": "duration"}},
        {"name": "Name", "type": "string"},
        {"name": "name", "type": "string", "doc": "the lower-case twin"},
        {"name": "region", "type": "string", "default": "eu"},
        {"name": "scores", "type": {"type": "map", "values": ["null", "int"]}},
        {"name": "payer", "type": ["null", "string", {"type": "record", "name": "Person", "fields": [
          {"name": "first", "type": "string"}, {"name": "age", "type": ["null", "int"]}]}]}
      ]}""");

  @Test
  void logicalTypesDefaultsCollidingNamesAndUnionsOfRecordsLandExactly() throws Exception {
    String topic = "avro-wide";
    broker.createTopic(topic, 1);
    UUID id = UUID.fromString("0f8fad5b-d9cb-469f-a165-70867728950e");
    Schema person = WIDE.getField("payer").schema().getTypes().get(2);
    GenericRecord ann = new GenericData.Record(person);
    ann.put("first", "ann");
    ann.put("age", 41);
    Map<String, Integer> scores = new HashMap<>();
    scores.put("a", 1);
    scores.put("b", null);
    try (ConfluentAvroProducer producer =
        new ConfluentAvroProducer(broker.bootstrapServers(), registry)) {
      // the builder fills in region's default "eu": a default is the producer's business
      producer
          .send(topic, wide(1, id, 1_763_720_130_123_456_789L, "Ann", "ann", scores, ann).build())
          .get();
      producer
          .send(
              topic,
              wide(2, id, -1L, "Bo", "bo", Map.of(), "bo@example.com").set("region", "us").build())
          .get();
      producer.send(topic, wide(3, id, -1_000_001L, "Cy", "cy", Map.of(), null).build()).get();
    }
    FloeConfig config =
        TestConfigs.parse(
            dir,
            broker,
            registry,
            """
        tables:
          - topics: [avro-wide]
            table: it.wide
            commit: { interval: 500ms }
        """);

    assertThat(
            Pipelines.runUntil(
                config,
                Duration.ofSeconds(60),
                () -> IcebergTables.rowCount(config, "it.wide") == 3))
        .isNull();

    org.apache.iceberg.Schema columns = IcebergTables.load(config, "it.wide").schema();
    assertThat(columns.columns())
        .extracting(org.apache.iceberg.types.Types.NestedField::name)
        .containsExactly(
            "seq",
            "id",
            "ts_ns",
            "local_ms",
            "local_ns",
            "span",
            "Name",
            "name_2",
            "region",
            "scores",
            "payer",
            "_kafka");
    assertThat(columns.findField("id").type()).isEqualTo(Types.UUIDType.get());
    assertThat(columns.findField("ts_ns").type()).isEqualTo(Types.TimestampType.withZone());
    assertThat(columns.findField("local_ms").type()).isEqualTo(Types.TimestampType.withoutZone());
    assertThat(columns.findField("local_ns").type()).isEqualTo(Types.TimestampType.withoutZone());
    assertThat(columns.findField("span").type()).isEqualTo(Types.FixedType.ofLength(12));
    assertThat(columns.findField("name_2").doc()).isEqualTo("the lower-case twin");
    assertThat(columns.findField("region").isRequired()).as("a default is not a null").isTrue();
    assertThat(((Types.MapType) columns.findField("scores").type()).isValueOptional()).isTrue();
    assertThat(columns.findField("payer").type().asStructType().fields())
        .extracting(Types.NestedField::name)
        .containsExactly("string", "person");

    List<Record> rows = IcebergTables.rows(config, "it.wide");
    rows.sort(java.util.Comparator.comparing(r -> (Long) r.getField("seq")));
    assertThat(rows).hasSize(3);
    Record first = rows.get(0);
    assertThat(first.getField("id")).isEqualTo(id);
    assertThat(first.getField("ts_ns"))
        .as("nanoseconds truncated to microseconds")
        .isEqualTo(OffsetDateTime.parse("2025-11-21T10:15:30.123456Z"));
    assertThat(first.getField("local_ms"))
        .isEqualTo(LocalDateTime.parse("2025-11-21T10:15:30.123"));
    assertThat(first.getField("local_ns"))
        .isEqualTo(LocalDateTime.parse("2025-11-21T10:15:30.123456"));
    assertThat((byte[]) first.getField("span")).containsExactly(SPAN);
    assertThat(first.getField("Name")).isEqualTo("Ann");
    assertThat(first.getField("name_2")).isEqualTo("ann");
    assertThat(first.getField("region")).isEqualTo("eu");
    assertThat(first.getField("scores")).isEqualTo(scores);
    Record payer = (Record) first.getField("payer");
    assertThat(payer.getField("string")).isNull();
    Record payerPerson = (Record) payer.getField("person");
    assertThat(payerPerson.getField("first")).isEqualTo("ann");
    assertThat(payerPerson.getField("age")).isEqualTo(41);

    Record second = rows.get(1);
    assertThat(second.getField("ts_ns"))
        .as("before 1970, truncated toward the past")
        .isEqualTo(OffsetDateTime.parse("1969-12-31T23:59:59.999999Z"));
    assertThat(second.getField("local_ns"))
        .isEqualTo(LocalDateTime.parse("1969-12-31T23:59:59.999999"));
    assertThat(second.getField("region")).isEqualTo("us");
    assertThat(second.getField("scores")).isEqualTo(Map.of());
    assertThat(((Record) second.getField("payer")).getField("string")).isEqualTo("bo@example.com");
    assertThat(((Record) second.getField("payer")).getField("person")).isNull();

    Record third = rows.get(2);
    assertThat(third.getField("ts_ns"))
        .isEqualTo(OffsetDateTime.parse("1969-12-31T23:59:59.998999Z"));
    assertThat(third.getField("payer")).isNull();
  }

  /**
   * Floe decodes each record with the schema it was written with, so a default never fills a value
   * in: an older record without a field reads as null when its column is optional (as an Avro
   * reader sees a field added with {@code default: null}), and stops the pipeline when the column
   * is required, because the default is not applied.
   */
  @Test
  void aRecordOfAnOlderSchemaLeavesTheColumnsItLacksNull() throws Exception {
    String topic = "avro-versions";
    broker.createTopic(topic, 1);
    Schema v2 =
        version(
            """
            {"name": "region", "type": "string", "default": "eu"},
            {"name": "memo", "type": ["null", "string"], "default": null}""");
    Schema v1 = version("{\"name\": \"region\", \"type\": \"string\", \"default\": \"eu\"}");
    Schema v0 = version("");
    try (ConfluentAvroProducer producer =
        new ConfluentAvroProducer(broker.bootstrapServers(), registry)) {
      producer
          .send(topic, new GenericRecordBuilder(v2).set("seq", 1L).set("memo", "m").build())
          .get();
      producer.send(topic, new GenericRecordBuilder(v1).set("seq", 2L).build()).get();
      producer.send(topic, new GenericRecordBuilder(v0).set("seq", 3L).build()).get();
    }
    FloeConfig config =
        TestConfigs.parse(
            dir,
            broker,
            registry,
            """
        tables:
          - topics: [avro-versions]
            table: it.versions
            commit: { interval: 500ms }
        """);

    assertThat(
            Pipelines.runUntil(
                config,
                Duration.ofSeconds(60),
                () -> IcebergTables.rowCount(config, "it.versions") == 3))
        .isNull();

    // defaults are not filled in: Floe decodes with the writer's schema, which lacks the field;
    // schema evolution made the required column region optional for the oldest record
    assertThat(IcebergTables.load(config, "it.versions").schema().findField("region").isOptional())
        .isTrue();
    List<Record> rows = IcebergTables.rows(config, "it.versions");
    rows.sort(java.util.Comparator.comparing(r -> (Long) r.getField("seq")));
    assertThat(rows)
        .extracting(r -> r.getField("seq"), r -> r.getField("region"), r -> r.getField("memo"))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1L, "eu", "m"),
            org.assertj.core.groups.Tuple.tuple(2L, "eu", null),
            org.assertj.core.groups.Tuple.tuple(3L, null, null));
  }

  private static Schema version(String fields) {
    return new Schema.Parser()
        .parse(
            """
            {"type": "record", "name": "Versioned", "namespace": "it.versions", "fields": [
              {"name": "seq", "type": "long"}%s]}"""
                .formatted(fields.isEmpty() ? "" : ", " + fields));
  }

  @Test
  void schemasThatCannotBecomeRowsStopThePipelineNamingTheReason() throws Exception {
    Schema node =
        new Schema.Parser()
            .parse(
                """
                {"type": "record", "name": "Node", "namespace": "it.tree", "fields": [
                  {"name": "name", "type": "string"},
                  {"name": "children", "type": {"type": "array", "items": "Node"}}]}""");
    GenericRecord leaf = new GenericData.Record(node);
    leaf.put("name", "leaf");
    leaf.put("children", List.of());
    AvroKafkaSerializer<Object> serializer = new AvroKafkaSerializer<>();
    serializer.configure(ConfluentAvroProducer.serializerConfig(registry), false);
    try {
      broker.createTopic("avro-tree", 1);
      RawRecords.send(broker, "avro-tree", List.of(serializer.serialize("avro-tree", leaf)));
      broker.createTopic("avro-scalar", 1);
      RawRecords.send(
          broker, "avro-scalar", List.of(serializer.serialize("avro-scalar", "just a string")));
    } finally {
      serializer.close();
    }

    assertThat(runToFailure("avro-tree"))
        .hasMessageContaining("topic 'avro-tree' partition 0 offset 0")
        .hasMessageContaining("record it.tree.Node contains itself");
    assertThat(runToFailure("avro-scalar"))
        .hasMessageContaining("topic 'avro-scalar' partition 0 offset 0")
        .hasMessageContaining("only records become table rows");
  }

  private Throwable runToFailure(String topic) {
    FloeConfig config =
        TestConfigs.parse(
            dir,
            broker,
            registry,
            """
        tables:
          - topics: [%s]
            table: rejected.%s
            commit: { interval: 500ms }
        """
                .formatted(topic, topic.replace('-', '_')));
    Throwable failure = Pipelines.runUntil(config, Duration.ofSeconds(60), () -> false);
    assertThat(IcebergTables.rowCount(config, "rejected." + topic.replace('-', '_'))).isZero();
    return failure;
  }

  /** A duration: 1 month, 2 days, 3 ms, each a little-endian unsigned int. */
  private static final byte[] SPAN = {1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0};

  private static GenericRecordBuilder wide(
      long seq,
      UUID id,
      long nanos,
      String upper,
      String lower,
      Map<String, Integer> scores,
      Object payer) {
    ByteBuffer uuid =
        ByteBuffer.allocate(16)
            .putLong(id.getMostSignificantBits())
            .putLong(id.getLeastSignificantBits());
    return new GenericRecordBuilder(WIDE)
        .set("seq", seq)
        .set("id", new GenericData.Fixed(WIDE.getField("id").schema(), uuid.array()))
        .set("ts_ns", nanos)
        .set("local_ms", Math.floorDiv(nanos, 1_000_000L))
        .set("local_ns", nanos)
        .set("span", new GenericData.Fixed(WIDE.getField("span").schema(), SPAN))
        .set("Name", upper)
        .set("name", lower)
        .set("scores", scores)
        .set("payer", payer);
  }

  static GenericRecord payment(Random random, int i) {
    GenericRecord p = new GenericData.Record(SCHEMA);
    Conversions.DecimalConversion decimals = new Conversions.DecimalConversion();
    p.put("id", UUID.randomUUID().toString());
    p.put("account", (long) random.nextInt(1000));
    p.put("ok", random.nextBoolean());
    p.put("attempt", i);
    p.put("ratio", random.nextFloat());
    p.put("score", random.nextGaussian());
    p.put("note", "note ✓ " + random.nextInt());
    p.put("raw", ByteBuffer.wrap(new byte[] {(byte) i, 1, 2}));
    p.put(
        "tag",
        new GenericData.Fixed(
            SCHEMA.getField("tag").schema(), new byte[] {(byte) i, (byte) (i >> 8), 7}));
    p.put(
        "kind",
        new GenericData.EnumSymbol(
            SCHEMA.getField("kind").schema(), random.nextBoolean() ? "CARD" : "WIRE"));
    Schema amount = SCHEMA.getField("amount").schema();
    p.put(
        "amount",
        decimals.toBytes(
            BigDecimal.valueOf(random.nextInt(1_000_000), 2), amount, amount.getLogicalType()));
    Schema big = SCHEMA.getField("big").schema();
    BigDecimal bigValue =
        new BigDecimal(random.nextLong())
            .multiply(BigDecimal.TEN.pow(8))
            .add(BigDecimal.valueOf(random.nextInt(), 10))
            .setScale(10, RoundingMode.UNNECESSARY);
    p.put("big", decimals.toFixed(bigValue, big, big.getLogicalType()));
    p.put("day", 20_000 + random.nextInt(400) - (i % 7 == 0 ? 30_000 : 0)); // some before 1970
    p.put("at_ms", random.nextInt(86_400_000));
    p.put("at_us", (long) random.nextInt(86_400_000) * 1000 + 999);
    long millis = 1_760_000_000_000L + random.nextInt(1_000_000_000);
    p.put("ts", millis);
    p.put("ts_us", millis * 1000 + 123);
    p.put("local_ts", millis * 1000 - 1);
    p.put("memo", i % 3 == 0 ? null : "memo " + i);
    p.put("either", i % 4 == 0 ? null : i % 2 == 0 ? (Object) (long) i : "s" + i);
    if (i % 5 != 0) {
      Schema cardSchema = SCHEMA.getField("card").schema().getTypes().get(1);
      GenericRecord card = new GenericData.Record(cardSchema);
      GenericRecord expiry = new GenericData.Record(cardSchema.getField("expiry").schema());
      expiry.put("month", 1 + i % 12);
      expiry.put("year", 2030);
      card.put("brand", "visa");
      card.put("last4", i % 2 == 0 ? null : "4242");
      card.put("expiry", expiry);
      p.put("card", card);
    }
    Schema lineSchema = SCHEMA.getField("lines").schema().getElementType();
    List<GenericRecord> lines = new ArrayList<>();
    for (int l = 0; l < i % 4; l++) {
      GenericRecord line = new GenericData.Record(lineSchema);
      line.put("sku", "sku-" + l);
      line.put("qty", l + 1);
      lines.add(line);
    }
    p.put("lines", lines);
    List<String> labels = new ArrayList<>();
    labels.add("a");
    labels.add(null);
    p.put("labels", i % 2 == 0 ? labels : List.of());
    p.put("attrs", i % 2 == 0 ? Map.of("x", 1.5, "y", -2.0) : Map.of());
    return p;
  }

  /**
   * The value Iceberg's generic reader should return for an Avro value: written independently of
   * Floe.
   */
  static Object expected(Schema schema, Object value) {
    if (value == null) {
      return null;
    }
    LogicalType logical = schema.getLogicalType();
    if (logical instanceof LogicalTypes.Decimal d) {
      byte[] bytes =
          schema.getType() == Schema.Type.FIXED
              ? ((GenericData.Fixed) value).bytes()
              : toArray((ByteBuffer) value);
      return new BigDecimal(new java.math.BigInteger(bytes), d.getScale());
    }
    if (logical != null) {
      switch (logical.getName()) {
        case "uuid":
          return UUID.fromString(value.toString());
        case "date":
          return LocalDate.ofEpochDay((Integer) value);
        case "time-millis":
          return LocalTime.ofNanoOfDay((Integer) value * 1_000_000L);
        case "time-micros":
          return LocalTime.ofNanoOfDay((Long) value * 1000L);
        case "timestamp-millis":
          return OffsetDateTime.ofInstant(Instant.ofEpochMilli((Long) value), ZoneOffset.UTC);
        case "timestamp-micros":
          return OffsetDateTime.ofInstant(
              Instant.EPOCH.plusNanos((Long) value * 1000), ZoneOffset.UTC);
        case "local-timestamp-micros":
          return LocalDateTime.ofEpochSecond(
              Math.floorDiv((Long) value, 1_000_000L),
              (int) Math.floorMod((Long) value, 1_000_000L) * 1000,
              ZoneOffset.UTC);
        default:
          break;
      }
    }
    switch (schema.getType()) {
      case STRING:
      case ENUM:
        return value.toString();
      case BYTES:
        return value;
      case FIXED:
        return ((GenericData.Fixed) value).bytes();
      case UNION:
        {
          List<Schema> branches =
              schema.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).toList();
          int index = GenericData.get().resolveUnion(schema, value);
          if (branches.size() == 1) {
            return expected(schema.getTypes().get(index), value);
          }
          // multi-branch unions become a struct with one field per branch; compare as a list of
          // fields
          return new UnionValue(
              branches.indexOf(schema.getTypes().get(index)),
              expected(schema.getTypes().get(index), value));
        }
      case RECORD:
        {
          GenericRecord r = (GenericRecord) value;
          Map<String, Object> fields = new java.util.LinkedHashMap<>();
          for (Schema.Field f : schema.getFields()) {
            fields.put(f.name(), expected(f.schema(), r.get(f.name())));
          }
          return new RecordValue(fields);
        }
      case ARRAY:
        return ((List<?>) value)
            .stream()
                .map(v -> expected(schema.getElementType(), v))
                .collect(ArrayList::new, ArrayList::add, ArrayList::addAll);
      case MAP:
        {
          Map<String, Object> out = new HashMap<>();
          ((Map<?, ?>) value)
              .forEach((k, v) -> out.put(k.toString(), expected(schema.getValueType(), v)));
          return out;
        }
      default:
        return value;
    }
  }

  private static byte[] toArray(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }

  /** Compares equal to an Iceberg struct with these field values. */
  record RecordValue(Map<String, Object> fields) {
    @Override
    public boolean equals(Object o) {
      if (!(o instanceof Record r) || r.size() != fields.size()) {
        return false;
      }
      return fields.entrySet().stream().allMatch(e -> same(e.getValue(), r.getField(e.getKey())));
    }

    @Override
    public int hashCode() {
      return fields.hashCode();
    }
  }

  /** Compares equal to the struct a multi-branch union becomes: only the chosen branch set. */
  record UnionValue(int branch, Object value) {
    @Override
    public boolean equals(Object o) {
      if (!(o instanceof Record r)) {
        return false;
      }
      for (int i = 0; i < r.size(); i++) {
        Object expectedField = i == branch ? value : null;
        if (!same(expectedField, r.get(i, Object.class))) {
          return false;
        }
      }
      return true;
    }

    @Override
    public int hashCode() {
      return branch;
    }
  }
}
