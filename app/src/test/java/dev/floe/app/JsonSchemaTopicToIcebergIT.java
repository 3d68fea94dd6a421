package dev.floe.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.floe.core.config.FloeConfig;
import dev.floe.embedded.KafkaBroker;
import dev.floe.testsupport.ConfluentAvroProducer;
import dev.floe.testsupport.SchemaRegistry;
import dev.floe.testsupport.SharedServices;
import io.apicurio.registry.serde.SerdeConfig;
import io.apicurio.registry.serde.jsonschema.JsonSchemaKafkaSerializer;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JSON Schema end to end: values framed by Apicurio's own JSON Schema serializer (Confluent mode),
 * materialized by the pipeline, read back by Iceberg's generic reader and compared exactly.
 */
class JsonSchemaTopicToIcebergIT {
  static final KafkaBroker broker = SharedServices.broker();
  static final SchemaRegistry registry = SharedServices.registry();
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  static final String SCHEMA =
      """
      {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
       "properties": {
         "id": {"type": "integer"},
         "total": {"type": "number", "format": "decimal", "precision": 12, "scale": 2},
         "ship on": {"type": "string", "format": "date"},
         "placed_at": {"type": "string", "format": "date-time"},
         "cutoff": {"type": "string", "format": "time"},
         "token": {"type": "string", "format": "uuid"},
         "blob": {"type": "string", "contentEncoding": "base64"},
         "status": {"enum": ["NEW", "PAID"]},
         "note": {"type": ["string", "null"]},
         "items": {"type": "array", "items": {"$ref": "#/$defs/item"}},
         "attrs": {"type": "object", "additionalProperties": {"type": "integer"}}
       },
       "required": ["id", "total", "items"],
       "$defs": {"item": {"type": "object", "properties": {
         "sku": {"type": "string"}, "qty": {"type": "integer"}}, "required": ["sku", "qty"]}}}""";

  @Test
  void recordsFramedByApicuriosJsonSerializerLandWithExactValues() throws Exception {
    String topic = "json-orders";
    broker.createTopic(topic, 1);
    registry.register(topic + "-value", "JSON", SCHEMA);
    UUID token = UUID.randomUUID();
    List<String> values =
        List.of(
            """
        {"id": 1, "total": 1234567890.25, "ship on": "2026-11-23", "placed_at": "2026-11-21T10:15:30.123456-05:00",
         "cutoff": "17:30:00", "token": "%s", "blob": "AAEC", "status": "PAID", "note": null,
         "items": [{"sku": "a", "qty": 2}, {"qty": 1, "sku": "b"}], "attrs": {"x": 5}}"""
                .formatted(token),
            """
        {"id": 2, "total": 0.10, "items": []}""");
    List<byte[]> framed = new java.util.ArrayList<>();
    try (JsonSchemaKafkaSerializer<JsonNode> serializer = serializer()) {
      for (String v : values) {
        framed.add(serializer.serialize(topic, JSON.readTree(v)));
      }
    }
    RawRecords.send(broker, topic, framed);
    FloeConfig config =
        TestConfigs.parse(
            dir,
            broker,
            registry,
            """
        tables:
          - topics: [json-orders]
            table: shop.json_orders
            commit: { interval: 500ms }
        """);

    assertThat(
            Pipelines.runUntil(
                config,
                Duration.ofSeconds(60),
                () -> IcebergTables.rowCount(config, "shop.json_orders") == 2))
        .isNull();

    List<Record> rows = IcebergTables.rows(config, "shop.json_orders");
    rows.sort(Comparator.comparing(r -> (Long) r.getField("id")));
    Record first = rows.get(0);
    System.out.println(
        "FIRST ROW "
            + first
            + " SCHEMA "
            + IcebergTables.load(config, "shop.json_orders").schema());
    assertThat(first.getField("total")).isEqualTo(new BigDecimal("1234567890.25"));
    assertThat(first.getField("ship_on"))
        .as("renamed: space is not a column character")
        .isEqualTo(LocalDate.of(2026, 11, 23));
    assertThat(first.getField("placed_at"))
        .isEqualTo(OffsetDateTime.parse("2026-11-21T15:15:30.123456Z"));
    assertThat(first.getField("cutoff")).isEqualTo(LocalTime.of(17, 30));
    assertThat(first.getField("token")).isEqualTo(token);
    assertThat(first.getField("blob")).isEqualTo(ByteBuffer.wrap(new byte[] {0, 1, 2}));
    assertThat(first.getField("status")).isEqualTo("PAID");
    assertThat(first.getField("note")).isNull();
    List<?> items = (List<?>) first.getField("items");
    assertThat(items).hasSize(2);
    assertThat(((Record) items.get(1)).getField("sku")).isEqualTo("b");
    assertThat(((Record) items.get(1)).getField("qty")).isEqualTo(1L);
    assertThat(first.getField("attrs")).isEqualTo(Map.of("x", 5L));
    Record second = rows.get(1);
    assertThat(second.getField("total")).isEqualTo(new BigDecimal("0.10"));
    assertThat(second.getField("ship_on")).isNull();
    assertThat((List<?>) second.getField("items")).isEmpty();
  }

  private static JsonSchemaKafkaSerializer<JsonNode> serializer() {
    Map<String, Object> config = ConfluentAvroProducer.serializerConfig(registry);
    config.put(SerdeConfig.AUTO_REGISTER_ARTIFACT, false);
    config.put(SerdeConfig.FIND_LATEST_ARTIFACT, true);
    config.put(SerdeConfig.VALIDATION_ENABLED, true);
    JsonSchemaKafkaSerializer<JsonNode> serializer = new JsonSchemaKafkaSerializer<>();
    serializer.configure(config, false);
    return serializer;
  }
}
