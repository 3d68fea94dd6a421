package dev.floe.app;

import static dev.floe.app.ExpectedValues.same;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.floe.core.config.FloeConfig;
import dev.floe.embedded.KafkaBroker;
import dev.floe.testsupport.ConfluentAvroProducer;
import dev.floe.testsupport.SchemaRegistry;
import dev.floe.testsupport.SharedServices;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.iceberg.transforms.Transforms;
import org.apache.iceberg.types.Types;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same payments as {@link AvroTopicToIcebergIT}, framed by Apicurio's serializer, into a Delta
 * table: read back through delta-standalone's log and parquet-hadoop, and compared field by field
 * with Delta's documented representation of each Avro type (docs/type-mapping.md).
 */
class AvroTopicToDeltaIT {
  static final KafkaBroker broker = SharedServices.broker();
  static final SchemaRegistry registry = SharedServices.registry();
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS");
  @TempDir Path dir;

  @Test
  void everyRecordLandsExactlyOnceInDeltaWithEveryFieldInItsDeltaRepresentation() throws Exception {
    broker.createTopic("payments-delta", 3);
    Map<String, GenericRecord> produced = new HashMap<>();
    Map<String, RecordMetadata> metadata = new HashMap<>();
    Random random = new Random(7);
    try (ConfluentAvroProducer producer =
        new ConfluentAvroProducer(broker.bootstrapServers(), registry)) {
      List<java.util.concurrent.Future<RecordMetadata>> sent = new ArrayList<>();
      List<GenericRecord> values = new ArrayList<>();
      for (int i = 0; i < 3000; i++) {
        GenericRecord value = AvroTopicToIcebergIT.payment(random, i);
        RecordHeaders headers = new RecordHeaders();
        headers.add("trace", ("t-" + i).getBytes(StandardCharsets.UTF_8));
        sent.add(
            producer.send(
                "payments-delta",
                null,
                ("k" + i).getBytes(StandardCharsets.UTF_8),
                value,
                headers));
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
          - topics: [payments-delta]
            table: finance.payments
            formats: [delta]
            partition-by: [day(ts), "bucket[4](account)"]
            commit: { interval: 1s, max-records: 1000 }
        """);

    Throwable failure =
        Pipelines.runUntil(
            config,
            Duration.ofSeconds(90),
            () -> DeltaTables.rowCount(config, "finance.payments") >= produced.size());
    assertThat(failure).isNull();

    List<Map<String, Object>> rows = DeltaTables.rows(config, "finance.payments");
    Map<String, Map<String, Object>> byPosition =
        rows.stream().collect(Collectors.toMap(DeltaTables::position, r -> r));
    assertThat(byPosition).as("no duplicates").hasSize(rows.size());
    assertThat(byPosition.keySet()).isEqualTo(produced.keySet());
    for (Map.Entry<String, Map<String, Object>> e : byPosition.entrySet()) {
      GenericRecord expected = produced.get(e.getKey());
      Map<String, Object> actual = e.getValue();
      for (Schema.Field f : AvroTopicToIcebergIT.SCHEMA.getFields()) {
        Object want = delta(f.schema(), expected.get(f.name()));
        Object got = actual.get(f.name());
        assertThat(same(want, got))
            .as("%s at %s: expected %s but was %s", f.name(), e.getKey(), want, got)
            .isTrue();
      }
      long tsMillis = (Long) expected.get("ts");
      assertThat(actual.get("ts_day"))
          .isEqualTo(LocalDate.ofEpochDay(Math.floorDiv(tsMillis, 86_400_000L)));
      assertThat(actual.get("account_bucket"))
          .isEqualTo(
              Transforms.bucket(4).bind(Types.LongType.get()).apply(expected.get("account")));
      @SuppressWarnings("unchecked")
      Map<String, Object> kafka = (Map<String, Object>) actual.get("_kafka");
      RecordMetadata m = metadata.get(e.getKey());
      int i = (Integer) expected.get("attempt");
      assertThat(kafka.get("topic")).isEqualTo("payments-delta");
      assertThat(kafka.get("timestamp")).isEqualTo(m.timestamp() * 1000);
      assertThat(kafka.get("key")).isEqualTo(hex(("k" + i).getBytes(StandardCharsets.UTF_8)));
      assertThat(kafka.get("headers"))
          .isEqualTo(
              List.of(
                  Map.of(
                      "key", "trace", "value", hex(("t-" + i).getBytes(StandardCharsets.UTF_8)))));
    }
    assertThat(
            DeltaTables.log(config, "finance.payments")
                .snapshot()
                .getMetadata()
                .getPartitionColumns())
        .containsExactly("ts_day", "account_bucket");
    assertThat(DeltaTables.log(config, "finance.payments").snapshot().getVersion())
        .as("max-records 1000 over 3000 records: at least 3 commits after the creation")
        .isGreaterThanOrEqualTo(3);

    // Spark 4.0 with delta-spark, a second independent reader, sees the same values
    List<ObjectNode> sparkRows =
        SparkReads.spark(config)
            .query("SELECT * FROM " + SparkReads.delta(config, "finance.payments"));
    assertThat(sparkRows).hasSize(produced.size());
    Map<String, ObjectNode> sparkByPosition = new HashMap<>();
    for (ObjectNode row : sparkRows) {
      JsonNode kafka = row.get("_kafka");
      String position = kafka.get("partition").asInt() + "/" + kafka.get("offset").asLong();
      assertThat(sparkByPosition.put(position, row)).as("duplicate at %s", position).isNull();
      GenericRecord expected = produced.get(position);
      assertThat(expected).as("a produced record at %s", position).isNotNull();
      for (Schema.Field f : AvroTopicToIcebergIT.SCHEMA.getFields()) {
        Object want = delta(f.schema(), expected.get(f.name()));
        Object got = fromSpark(f.schema(), row.get(f.name()));
        assertThat(same(want, got))
            .as("Spark: %s at %s: expected %s but was %s", f.name(), position, want, got)
            .isTrue();
      }
      long tsMillis = (Long) expected.get("ts");
      assertThat(row.get("ts_day").asText())
          .isEqualTo(LocalDate.ofEpochDay(Math.floorDiv(tsMillis, 86_400_000L)).toString());
      assertThat(kafka.get("timestamp").asText())
          .isEqualTo(
              Instant.ofEpochMilli(metadata.get(position).timestamp())
                  .atOffset(ZoneOffset.UTC)
                  .format(SPARK_TIMESTAMP));
    }
  }

  private static final DateTimeFormatter SPARK_TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX");

  /**
   * A value as Spark returns it in JSON (see SparkSql), turned into the representation {@link
   * #delta} expects: Spark writes binary as base64, dates and timestamps as ISO-8601 text.
   */
  static Object fromSpark(Schema schema, JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    LogicalType logical = schema.getLogicalType();
    if (logical instanceof LogicalTypes.Decimal d) {
      // Spark's JSON drops trailing zeros; the column's scale restores them (exactly, or throws)
      return node.decimalValue().setScale(d.getScale());
    }
    if (logical != null) {
      switch (logical.getName()) {
        case "date":
          return LocalDate.parse(node.asText());
        case "time-millis", "time-micros":
          return node.asText(); // Delta has no time of day: the column is a string
        case "timestamp-millis", "timestamp-micros", "local-timestamp-micros":
          return micros(OffsetDateTime.parse(node.asText(), SPARK_TIMESTAMP).toInstant());
        default:
          break;
      }
    }
    switch (schema.getType()) {
      case BYTES:
      case FIXED:
        return hex(Base64.getDecoder().decode(node.asText()));
      case STRING:
      case ENUM:
        return node.asText();
      case INT:
        return node.intValue();
      case LONG:
        return node.longValue();
      case FLOAT:
        return node.floatValue();
      case DOUBLE:
        return node.doubleValue();
      case BOOLEAN:
        return node.booleanValue();
      case UNION:
        {
          List<Schema> branches =
              schema.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).toList();
          if (branches.size() == 1) {
            return fromSpark(branches.get(0), node);
          }
          Map<String, Object> members = new java.util.LinkedHashMap<>();
          List<String> names = new ArrayList<>();
          node.fieldNames().forEachRemaining(names::add);
          for (int i = 0; i < branches.size(); i++) {
            members.put(names.get(i), fromSpark(branches.get(i), node.get(names.get(i))));
          }
          return members;
        }
      case RECORD:
        {
          Map<String, Object> fields = new java.util.LinkedHashMap<>();
          for (Schema.Field f : schema.getFields()) {
            fields.put(f.name(), fromSpark(f.schema(), node.get(f.name())));
          }
          return fields;
        }
      case ARRAY:
        {
          List<Object> out = new ArrayList<>();
          node.forEach(v -> out.add(fromSpark(schema.getElementType(), v)));
          return out;
        }
      case MAP:
        {
          Map<String, Object> out = new HashMap<>();
          node.fields()
              .forEachRemaining(
                  e -> out.put(e.getKey(), fromSpark(schema.getValueType(), e.getValue())));
          return out;
        }
      default:
        throw new AssertionError("no Spark conversion for " + schema);
    }
  }

  private static long micros(Instant instant) {
    return Math.addExact(
        Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000);
  }

  /**
   * The value Delta should hold for an Avro value, per docs/type-mapping.md; independent of Floe.
   */
  static Object delta(Schema schema, Object value) {
    if (value == null) {
      return null;
    }
    LogicalType logical = schema.getLogicalType();
    if (logical instanceof LogicalTypes.Decimal) {
      return AvroTopicToIcebergIT.expected(schema, value);
    }
    if (logical != null) {
      switch (logical.getName()) {
        case "uuid":
          return value.toString();
        case "date":
          return LocalDate.ofEpochDay((Integer) value);
        case "time-millis":
          return TIME.format(LocalTime.ofNanoOfDay((Integer) value * 1_000_000L));
        case "time-micros":
          return TIME.format(LocalTime.ofNanoOfDay((Long) value * 1000L));
        case "timestamp-millis":
          return (Long) value * 1000;
        case "timestamp-micros", "local-timestamp-micros":
          return value; // local: the wall-clock time as if UTC
        default:
          break;
      }
    }
    switch (schema.getType()) {
      case STRING:
      case ENUM:
        return value.toString();
      case BYTES:
        return hex(toArray((ByteBuffer) value));
      case FIXED:
        return hex(((GenericData.Fixed) value).bytes());
      case UNION:
        {
          List<Schema> branches =
              schema.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).toList();
          int index = GenericData.get().resolveUnion(schema, value);
          if (branches.size() == 1) {
            return delta(schema.getTypes().get(index), value);
          }
          // other unions: a struct of optional members, only the chosen one set
          List<Object> members = new ArrayList<>();
          for (Schema b : branches) {
            members.add(b == schema.getTypes().get(index) ? delta(b, value) : null);
          }
          return new ExpectedValues.Members(members);
        }
      case RECORD:
        {
          GenericRecord r = (GenericRecord) value;
          Map<String, Object> fields = new java.util.LinkedHashMap<>();
          for (Schema.Field f : schema.getFields()) {
            fields.put(f.name(), delta(f.schema(), r.get(f.name())));
          }
          return fields;
        }
      case ARRAY:
        return ((List<?>) value)
            .stream()
                .map(v -> delta(schema.getElementType(), v))
                .collect(ArrayList::new, ArrayList::add, ArrayList::addAll);
      case MAP:
        {
          Map<String, Object> out = new HashMap<>();
          ((Map<?, ?>) value)
              .forEach((k, v) -> out.put(k.toString(), delta(schema.getValueType(), v)));
          return out;
        }
      default:
        return value;
    }
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  private static byte[] toArray(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }
}
