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
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;
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
    try (JsonSchemaKafkaSerializer<JsonNode> serializer = serializer(true)) {
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

  static final String DRAFT7 =
      """
      {"$schema": "http://json-schema.org/draft-07/schema#",
       "definitions": {
         "Iban": {"type": "string"},
         "Base": {"type": "object", "required": ["id"], "properties": {
           "id": {"type": "integer"}, "kind": {"type": "string"}}}},
       "allOf": [{"$ref": "#/definitions/Base"}, {"type": "object", "required": ["small"], "properties": {
         "kind": {"enum": ["A", "B"]},
         "small": {"type": "integer", "connect.type": "int32"},
         "ratio": {"type": "number", "connect.type": "float32"},
         "score": {"type": "number"},
         "price": {"type": "string", "format": "decimal", "precision": 10, "scale": 3},
         "at": {"type": "string", "format": "local-date-time"},
         "when": {"type": "string", "format": "date-time"},
         "cutoff": {"type": "string", "format": "time"},
         "raw": {"type": "string", "format": "byte"},
         "level": {"enum": [1, 2, 3]},
         "flag": {"enum": [true, false, null]},
         "version": {"const": "v1"},
         "pair": {"type": "array", "items": [{"type": "string"}, {"type": "integer"}], "additionalItems": false},
         "payee": {"oneOf": [{"$ref": "#/definitions/Iban"}, {"type": "integer"},
           {"title": "Card", "type": "object", "properties": {"last4": {"type": "string"}}}]},
         "either": {"type": ["string", "integer"]},
         "maybe": {"oneOf": [{"type": "string", "format": "date"}, {"type": "null"}]},
         "anything": {},
         "free": {"type": "object"},
         "loose": {"type": "array"},
         "currency": {"type": "string", "default": "EUR", "description": "ISO 4217 code"}}}]}""";

  static final String DRAFT2020 =
      """
      {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
       "required": ["id"],
       "$defs": {"Money": {"type": "object", "required": ["amount"], "properties": {
         "amount": {"type": "number", "format": "decimal", "precision": 9, "scale": 2},
         "currency": {"type": "string"}}}},
       "properties": {
         "id": {"type": "integer"},
         "total": {"$ref": "#/$defs/Money"},
         "point": {"type": "array", "prefixItems": [{"type": "number"}, {"type": "number"}], "items": false},
         "tags": {"type": "array", "items": {"type": ["string", "null"]}},
         "note": {"anyOf": [{"type": "string"}, {"type": "null"}]},
         "Name": {"type": "string"},
         "name": {"type": "string"},
         "e-mail": {"type": "string"},
         "2fa": {"type": "boolean"},
         "NAME": {"type": "string"},
         "a.b": {"type": "string"},
         "größe": {"type": "integer"},
         "who": {"type": "object", "properties": {
           "first name": {"type": "string"}, "First_Name": {"type": "string"}}},
         "tier": {"type": ["string", "null"], "default": "basic"}}}""";

  static final String MONEY =
      """
      {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
       "required": ["amount", "currency"], "properties": {
         "amount": {"type": "string", "format": "decimal", "precision": 12, "scale": 2},
         "currency": {"type": "string"}}}""";

  /** Refers to MONEY by its registry reference name; oneOf beside properties only validates. */
  static final String PAYMENT =
      """
      {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
       "required": ["total"],
       "oneOf": [{"required": ["card"]}, {"required": ["iban"]}],
       "additionalProperties": {"type": "string"},
       "properties": {
         "total": {"$ref": "money.json"},
         "currency": {"$ref": "money.json#/properties/currency"},
         "card": {"type": "string"},
         "iban": {"type": "string"},
         "count": {"type": "integer"},
         "whatever": true,
         "solo": {"allOf": [{"type": "string", "format": "date"}]}}}""";

  @Test
  void everyJsonSchemaTypeRowLandsWithExactValuesInDraft07And2020AndThroughReferences()
      throws Exception {
    broker.createTopic("json-draft7", 1);
    broker.createTopic("json-2020", 1);
    registry.register("json-draft7-value", "JSON", DRAFT7);
    registry.register("json-2020-value", "JSON", DRAFT2020);
    broker.createTopic("json-refs", 1);
    registry.register("json-money", "JSON", MONEY);
    registry.register("json-refs-value", "JSON", PAYMENT, "money.json", "json-money");
    try (JsonSchemaKafkaSerializer<JsonNode> serializer = serializer(false)) {
      RawRecords.send(
          broker,
          "json-draft7",
          List.of(
              serializer.serialize(
                  "json-draft7",
                  JSON.readTree(
                      """
                      {"id": 1, "kind": "A", "small": -5, "ratio": 1.5, "score": 2.25,
                       "price": "12.345", "at": "2024-05-01T12:30:00.123456",
                       "when": "2024-05-01T12:30:00.123456789Z", "cutoff": "10:15:30+02:00",
                       "raw": "AAEC", "level": 2, "flag": true, "version": "v1", "pair": ["x", 7],
                       "payee": "DE89", "either": 5, "maybe": "2024-05-03",
                       "anything": {"b": [1, null]}, "free": {"z": 1, "a": "s"},
                       "loose": [1, "a"], "unknown": "skipped"}""")),
              serializer.serialize(
                  "json-draft7",
                  JSON.readTree(
                      """
                      {"small": 2147483647, "id": 2, "pair": ["y"], "payee": {"last4": "4242"},
                       "either": "s", "maybe": null, "flag": null, "anything": null}"""))));
      RawRecords.send(
          broker,
          "json-2020",
          List.of(
              serializer.serialize(
                  "json-2020",
                  JSON.readTree(
                      """
                      {"id": 1, "total": {"amount": "19.99", "currency": "EUR"},
                       "point": [1.5, -2], "tags": ["a", null], "note": null, "Name": "N",
                       "name": "n", "e-mail": "a@b", "2fa": true, "NAME": "NN", "a.b": "ab",
                       "größe": 180, "who": {"first name": "ann", "First_Name": "Ann"}}""")),
              serializer.serialize(
                  "json-2020",
                  JSON.readTree(
                      "{\"id\": 2, \"point\": [0.5], \"note\": \"hi\", \"tier\": null}"))));
    }
    try (JsonSchemaKafkaSerializer<JsonNode> serializer = serializer(false)) {
      // Apicurio's validator cannot resolve a reference by name; Floe's readers check the values
      RawRecords.send(
          broker,
          "json-refs",
          List.of(
              serializer.serialize(
                  "json-refs",
                  JSON.readTree(
                      """
                      {"total": {"amount": "12.5", "currency": "EUR"}, "currency": "USD",
                       "card": "4242", "count": 1e3, "whatever": [1, {"a": true}],
                       "solo": "2024-05-03", "extra": "not a column"}""")),
              serializer.serialize(
                  "json-refs",
                  JSON.readTree(
                      """
                      {"count": 2.0, "iban": "CH93", "total": {"currency": "CHF", "amount": 1}}"""))));
    }
    FloeConfig config =
        TestConfigs.parse(
            dir,
            broker,
            registry,
            """
        tables:
          - topics: [json-draft7]
            table: shop.json_draft7
            commit: { interval: 500ms }
          - topics: [json-2020]
            table: shop.json_2020
            commit: { interval: 500ms }
          - topics: [json-refs]
            table: shop.json_refs
            commit: { interval: 500ms }
        """);

    assertThat(
            Pipelines.runUntil(
                config,
                Duration.ofSeconds(60),
                () ->
                    IcebergTables.rowCount(config, "shop.json_draft7") == 2
                        && IcebergTables.rowCount(config, "shop.json_2020") == 2
                        && IcebergTables.rowCount(config, "shop.json_refs") == 2))
        .isNull();

    org.apache.iceberg.Schema draft7 = IcebergTables.load(config, "shop.json_draft7").schema();
    assertThat(draft7.columns())
        .extracting(Types.NestedField::name)
        .as("allOf: Base's properties first, the later branch's kind wins")
        .containsExactly(
            "id",
            "kind",
            "small",
            "ratio",
            "score",
            "price",
            "at",
            "when",
            "cutoff",
            "raw",
            "level",
            "flag",
            "version",
            "pair",
            "payee",
            "either",
            "maybe",
            "anything",
            "free",
            "loose",
            "currency",
            "_kafka");
    assertThat(draft7.findField("small").type()).isEqualTo(Types.IntegerType.get());
    assertThat(draft7.findField("ratio").type()).isEqualTo(Types.FloatType.get());
    assertThat(draft7.findField("price").type()).isEqualTo(Types.DecimalType.of(10, 3));
    assertThat(draft7.findField("at").type()).isEqualTo(Types.TimestampType.withoutZone());
    assertThat(draft7.findField("level").type()).isEqualTo(Types.LongType.get());
    assertThat(draft7.findField("flag").type()).isEqualTo(Types.BooleanType.get());
    assertThat(draft7.findField("currency").doc()).isEqualTo("ISO 4217 code");
    assertThat(draft7.findField("payee").type().asStructType().fields())
        .extracting(Types.NestedField::name)
        .containsExactly("Iban", "integer", "Card");
    List<Record> rows = IcebergTables.rows(config, "shop.json_draft7");
    rows.sort(Comparator.comparing(r -> (Long) r.getField("id")));
    Record first = rows.get(0);
    assertThat(first.getField("kind")).isEqualTo("A");
    assertThat(first.getField("small")).isEqualTo(-5);
    assertThat(first.getField("ratio")).isEqualTo(1.5f);
    assertThat(first.getField("score")).isEqualTo(2.25);
    assertThat(first.getField("price")).isEqualTo(new BigDecimal("12.345"));
    assertThat(first.getField("at")).isEqualTo(LocalDateTime.parse("2024-05-01T12:30:00.123456"));
    assertThat(first.getField("when"))
        .as("fraction beyond micros truncated")
        .isEqualTo(OffsetDateTime.parse("2024-05-01T12:30:00.123456Z"));
    assertThat(first.getField("cutoff")).as("moved to UTC").isEqualTo(LocalTime.of(8, 15, 30));
    assertThat(first.getField("raw")).isEqualTo(ByteBuffer.wrap(new byte[] {0, 1, 2}));
    assertThat(first.getField("level")).isEqualTo(2L);
    assertThat(first.getField("flag")).isEqualTo(true);
    assertThat(first.getField("version")).isEqualTo("v1");
    assertThat(values((Record) first.getField("pair"))).containsExactly("x", 7L);
    assertThat(values((Record) first.getField("payee"))).containsExactly("DE89", null, null);
    assertThat(values((Record) first.getField("either"))).containsExactly(null, 5L);
    assertThat(first.getField("maybe")).isEqualTo(LocalDate.of(2024, 5, 3));
    assertThat(first.getField("anything")).isEqualTo("{\"b\":[1,null]}");
    assertThat(first.getField("free")).isEqualTo("{\"z\":1,\"a\":\"s\"}");
    assertThat(first.getField("loose")).isEqualTo(List.of("1", "\"a\""));
    assertThat(first.getField("currency")).as("absent: the default").isEqualTo("EUR");
    Record second = rows.get(1);
    assertThat(second.getField("small")).isEqualTo(Integer.MAX_VALUE);
    assertThat(second.getField("kind")).isNull();
    assertThat(values((Record) second.getField("pair"))).containsExactly("y", null);
    Record card = (Record) ((Record) second.getField("payee")).getField("Card");
    assertThat(card.getField("last4")).isEqualTo("4242");
    assertThat(values((Record) second.getField("either"))).containsExactly("s", null);
    assertThat(second.getField("maybe")).isNull();
    assertThat(second.getField("flag")).isNull();
    assertThat(second.getField("anything")).isNull();

    assertThat(IcebergTables.load(config, "shop.json_2020").schema().columns())
        .extracting(Types.NestedField::name)
        .containsExactly(
            "id", "total", "point", "tags", "note", "Name", "name_2", "e_mail", "_2fa", "NAME_3",
            "a_b", "gr__e", "who", "tier", "_kafka");
    List<Record> rows2020 = IcebergTables.rows(config, "shop.json_2020");
    rows2020.sort(Comparator.comparing(r -> (Long) r.getField("id")));
    Record one = rows2020.get(0);
    assertThat(values((Record) one.getField("total")))
        .containsExactly(new BigDecimal("19.99"), "EUR");
    assertThat(values((Record) one.getField("point"))).containsExactly(1.5, -2.0);
    assertThat(one.getField("tags")).isEqualTo(java.util.Arrays.asList("a", null));
    assertThat(one.getField("note")).isNull();
    assertThat(one.getField("Name")).isEqualTo("N");
    assertThat(one.getField("name_2")).isEqualTo("n");
    assertThat(one.getField("e_mail")).isEqualTo("a@b");
    assertThat(one.getField("_2fa")).isEqualTo(true);
    assertThat(one.getField("NAME_3")).isEqualTo("NN");
    assertThat(one.getField("a_b")).isEqualTo("ab");
    assertThat(one.getField("gr__e")).isEqualTo(180L);
    Record who = (Record) one.getField("who");
    assertThat(who.struct().fields())
        .extracting(Types.NestedField::name)
        .as("nested names are renamed the same way")
        .containsExactly("first_name", "First_Name_2");
    assertThat(values(who)).containsExactly("ann", "Ann");
    assertThat(one.getField("tier")).as("absent: the default").isEqualTo("basic");
    Record two = rows2020.get(1);
    assertThat(two.getField("total")).isNull();
    assertThat(values((Record) two.getField("point"))).containsExactly(0.5, null);
    assertThat(two.getField("note")).isEqualTo("hi");
    assertThat(two.getField("tier")).as("an explicit null stays null").isNull();

    assertThat(IcebergTables.load(config, "shop.json_refs").schema().columns())
        .extracting(Types.NestedField::name)
        .as("the oneOf beside properties adds no column")
        .containsExactly(
            "total", "currency", "card", "iban", "count", "whatever", "solo", "_kafka");
    List<Record> refs = IcebergTables.rows(config, "shop.json_refs");
    refs.sort(Comparator.comparing(r -> (Long) r.getField("count")));
    Record two2 = refs.get(0);
    assertThat(values((Record) two2.getField("total")))
        .containsExactly(new BigDecimal("1.00"), "CHF");
    assertThat(two2.getField("count")).as("2.0 is an integer").isEqualTo(2L);
    assertThat(two2.getField("iban")).isEqualTo("CH93");
    assertThat(two2.getField("card")).isNull();
    assertThat(two2.getField("whatever")).isNull();
    Record thousand = refs.get(1);
    assertThat(values((Record) thousand.getField("total")))
        .containsExactly(new BigDecimal("12.50"), "EUR");
    assertThat(thousand.getField("currency")).isEqualTo("USD");
    assertThat(thousand.getField("card")).isEqualTo("4242");
    assertThat(thousand.getField("count")).as("1e3 is an integer").isEqualTo(1000L);
    assertThat(thousand.getField("whatever")).isEqualTo("[1,{\"a\":true}]");
    assertThat(thousand.getField("solo"))
        .as("allOf of one schema")
        .isEqualTo(LocalDate.of(2024, 5, 3));
  }

  @Test
  void aRecursiveSchemaStopsThePipelineNamingTheDefinition() throws Exception {
    String topic = "json-tree";
    broker.createTopic(topic, 1);
    registry.register(
        topic + "-value",
        "JSON",
        """
        {"$schema": "http://json-schema.org/draft-07/schema#", "$ref": "#/definitions/Node",
         "definitions": {"Node": {"type": "object", "properties": {
           "name": {"type": "string"},
           "children": {"type": "array", "items": {"$ref": "#/definitions/Node"}}}}}}""");
    try (JsonSchemaKafkaSerializer<JsonNode> serializer = serializer(false)) {
      RawRecords.send(
          broker,
          topic,
          List.of(
              serializer.serialize(
                  topic, JSON.readTree("{\"name\": \"leaf\", \"children\": []}"))));
    }
    FloeConfig config =
        TestConfigs.parse(
            dir,
            broker,
            registry,
            """
        tables:
          - topics: [json-tree]
            table: shop.json_tree
            commit: { interval: 500ms }
        """);

    assertThat(Pipelines.runUntil(config, Duration.ofSeconds(60), () -> false))
        .hasMessageContaining("topic 'json-tree' partition 0 offset 0")
        .hasMessageContaining("definition 'Node' contains itself");
    assertThat(IcebergTables.rowCount(config, "shop.json_tree")).isZero();
  }

  private static List<Object> values(Record r) {
    List<Object> values = new java.util.ArrayList<>();
    for (int i = 0; i < r.size(); i++) {
      values.add(r.get(i, Object.class));
    }
    return values;
  }

  /** Apicurio's serializer for the registered schema; {@code validate} runs its own validator. */
  private static JsonSchemaKafkaSerializer<JsonNode> serializer(boolean validate) {
    Map<String, Object> config = ConfluentAvroProducer.serializerConfig(registry);
    config.put(SerdeConfig.AUTO_REGISTER_ARTIFACT, false);
    config.put(SerdeConfig.FIND_LATEST_ARTIFACT, true);
    config.put(SerdeConfig.VALIDATION_ENABLED, validate);
    JsonSchemaKafkaSerializer<JsonNode> serializer = new JsonSchemaKafkaSerializer<>();
    serializer.configure(config, false);
    return serializer;
  }
}
