package dev.floe.consumer.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.floe.consumer.registry.SchemaRegistryClient;
import dev.floe.core.BadRecordException;
import dev.floe.core.SourcePosition;
import dev.floe.core.config.RegistrySettings;
import dev.floe.core.row.Field;
import dev.floe.core.row.Row;
import dev.floe.core.row.Type;
import dev.floe.testsupport.ConfluentAvroProducer;
import dev.floe.testsupport.SchemaRegistry;
import dev.floe.testsupport.SharedServices;
import io.apicurio.registry.serde.SerdeConfig;
import io.apicurio.registry.serde.jsonschema.JsonSchemaKafkaSerializer;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * JSON Schema records framed by Apicurio's own JSON Schema serializer (Confluent mode: 4-byte
 * content id in the payload) against schemas registered in a real Apicurio registry through its
 * Confluent API, decoded by {@link RecordDecoder}.
 */
class JsonSchemaFormatIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

  private static final String ORDER_DRAFT7 =
      """
      {"$schema": "http://json-schema.org/draft-07/schema#", "title": "Order", "type": "object",
       "required": ["id", "placed_at", "items"],
       "definitions": {"Item": {"type": "object", "required": ["sku", "price"], "properties": {
         "sku": {"type": "string"}, "price": {"type": "number"}, "qty": {"type": "integer"}}}},
       "properties": {
         "id": {"type": "integer"},
         "customer": {"type": ["string", "null"]},
         "placed_at": {"type": "string", "format": "date-time"},
         "ship_on": {"type": "string", "format": "date"},
         "token": {"type": "string", "format": "uuid"},
         "blob": {"type": "string", "contentEncoding": "base64"},
         "status": {"enum": ["NEW", "PAID"]},
         "items": {"type": "array", "items": {"$ref": "#/definitions/Item"}},
         "attrs": {"type": "object", "additionalProperties": {"type": "string"}},
         "paid": {"type": "boolean"}}}
      """;

  private static SchemaRegistry registry;
  private static RecordDecoder decoder;

  @BeforeAll
  static void connect() {
    registry = SharedServices.registry();
    decoder =
        new RecordDecoder(
            new SchemaRegistryClient(
                new RegistrySettings(
                    registry.url(),
                    null,
                    null,
                    null,
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(30))));
  }

  @Test
  void draft07RecordsFramedByApicurioDecodeToExactValues() throws Exception {
    String topic = "json-orders-" + RUN;
    int id = registry.register(topic + "-value", "JSON", ORDER_DRAFT7);
    UUID token = UUID.randomUUID();
    byte[] value =
        serialize(
            topic,
            true,
            """
            {"items": [{"sku": "a-1", "price": 9.5, "qty": 2}, {"price": 1, "sku": "b"}],
             "placed_at": "2024-05-01T14:30:00.123456+02:00", "id": 42, "customer": null,
             "ship_on": "2024-05-03", "token": "%s", "blob": "AAEC", "status": "PAID",
             "attrs": {"k": "v"}, "paid": true, "note": "ignored: not declared"}"""
                .formatted(token));

    assertThat(ConfluentFraming.schemaId(value)).isEqualTo(id);
    DecodedRecord decoded =
        decoder.decode(new ConsumerRecord<>(topic, 0, 7L, null, value), "_kafka");

    Type.Struct item =
        new Type.Struct(
            List.of(
                Field.required("sku", Type.Primitive.STRING),
                Field.required("price", Type.Primitive.DOUBLE),
                Field.optional("qty", Type.Primitive.LONG)));
    assertThat(decoded.schemaId()).isEqualTo(id);
    assertThat(decoded.schema().fields())
        .containsExactly(
            Field.required("id", Type.Primitive.LONG),
            Field.optional("customer", Type.Primitive.STRING),
            Field.required("placed_at", Type.Primitive.TIMESTAMPTZ),
            Field.optional("ship_on", Type.Primitive.DATE),
            Field.optional("token", Type.Primitive.UUID),
            Field.optional("blob", Type.Primitive.BINARY),
            Field.optional("status", Type.Primitive.STRING),
            Field.required("items", new Type.ListType(item, false)),
            Field.optional(
                "attrs", new Type.MapType(Type.Primitive.STRING, Type.Primitive.STRING, false)),
            Field.optional("paid", Type.Primitive.BOOLEAN),
            KafkaMetadata.field("_kafka"));
    Row row = decoded.row();
    assertThat(Arrays.asList(values(row, 10)))
        .containsExactly(
            42L,
            null,
            Instant.parse("2024-05-01T12:30:00Z").getEpochSecond() * 1_000_000L + 123_456L,
            (int) LocalDate.of(2024, 5, 3).toEpochDay(),
            token,
            ByteBuffer.wrap(new byte[] {0, 1, 2}),
            "PAID",
            List.of(Row.wrap("a-1", 9.5, 2L), Row.wrap("b", 1.0, null)),
            Map.of("k", "v"),
            true);
    assertThat(((Row) row.get(10)).get(0)).isEqualTo(topic);
    assertThat(((Row) row.get(10)).get(2)).isEqualTo(7L);
  }

  @Test
  void draft2020RecordsWithAReferenceToAnotherSubjectDecode() throws Exception {
    String topic = "json-payments-" + RUN;
    String moneySubject = "json-money-" + RUN;
    registry.register(
        moneySubject,
        "JSON",
        """
        {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
         "required": ["amount", "currency"], "properties": {
           "amount": {"type": "string", "format": "decimal", "precision": 12, "scale": 2},
           "currency": {"type": "string"}}}""");
    int id =
        registerWithReference(
            topic + "-value",
            """
            {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
             "required": ["total"], "additionalProperties": false,
             "$defs": {"Leg": {"type": "object", "properties": {
               "at": {"type": "string", "format": "local-date-time"},
               "coords": {"type": "array", "prefixItems": [{"type": "number"}, {"type": "number"}]}}}},
             "properties": {
               "total": {"$ref": "money.json"},
               "fee": {"oneOf": [{"type": "null"}, {"$ref": "money.json"}]},
               "currency": {"$ref": "money.json#/properties/currency"},
               "leg": {"$ref": "#/$defs/Leg"},
               "ref": {"type": ["string", "integer"]}}}""",
            "money.json",
            moneySubject);
    byte[] value =
        serialize(
            topic,
            false, // Apicurio's validator cannot resolve the reference by name; Floe's readers
            // validate
            """
            {"total": {"amount": "12.5", "currency": "EUR"}, "fee": null, "currency": "USD",
             "leg": {"at": "2024-05-01T12:30:00", "coords": [1.5, -2]}, "ref": 17}""");

    assertThat(ConfluentFraming.schemaId(value)).isEqualTo(id);
    DecodedRecord decoded = decoder.decode(new ConsumerRecord<>(topic, 0, 0L, null, value), null);

    Type.Struct money =
        new Type.Struct(
            List.of(
                Field.required("amount", new Type.Decimal(12, 2)),
                Field.required("currency", Type.Primitive.STRING)));
    assertThat(decoded.schema().fields())
        .containsExactly(
            Field.required("total", money),
            Field.optional("fee", money),
            Field.optional("currency", Type.Primitive.STRING),
            Field.optional(
                "leg",
                new Type.Struct(
                    List.of(
                        Field.optional("at", Type.Primitive.TIMESTAMP),
                        Field.optional(
                            "coords",
                            new Type.Struct(
                                List.of(
                                    Field.optional("item_0", Type.Primitive.DOUBLE),
                                    Field.optional("item_1", Type.Primitive.DOUBLE))))))),
            Field.optional(
                "ref",
                new Type.Struct(
                    List.of(
                        Field.optional("string", Type.Primitive.STRING),
                        Field.optional("integer", Type.Primitive.LONG)))));
    assertThat(Arrays.asList(values(decoded.row(), 5)))
        .containsExactly(
            Row.wrap(new BigDecimal("12.50"), "EUR"),
            null,
            "USD",
            Row.wrap(
                Instant.parse("2024-05-01T12:30:00Z").getEpochSecond() * 1_000_000L,
                Row.wrap(1.5, -2.0)),
            Row.wrap(null, 17L));

    byte[] closed =
        serialize(topic, false, "{\"total\": {\"amount\": 1, \"currency\": \"EUR\"}, \"x\": 1}");
    assertThat(problem(topic, 3, closed))
        .isEqualTo(
            badRecord(
                topic, 3, id, "x: unknown property (the schema says additionalProperties: false)"));
  }

  @Test
  void badInputIsABadRecordNamingPositionFieldPathAndCause() throws Exception {
    String topic = "json-bad-" + RUN;
    int id = registry.register(topic + "-value", "JSON", ORDER_DRAFT7);
    String good = "\"id\": 1, \"placed_at\": \"2024-05-01T00:00:00Z\"";
    Map<String, String> cases =
        Map.of(
            "{"
                + good
                + ", \"items\": [{\"sku\": \"a\", \"price\": 1}, {\"sku\": \"b\", \"price\": 2},"
                + " {\"sku\": \"c\", \"price\": \"x\"}]}",
            "items[2].price: expected a number, got a string",
            "{\"id\": 1, \"items\": []}",
            "placed_at: required property is missing",
            "{\"id\": null, \"placed_at\": \"2024-05-01T00:00:00Z\", \"items\": []}",
            "id: expected an integer, got null",
            "{\"id\": 99999999999999999999, \"placed_at\": \"2024-05-01T00:00:00Z\", \"items\": []}",
            "id: 99999999999999999999 is out of range for a 64-bit integer",
            "{" + good + ", \"items\": [], \"ship_on\": \"May 3\"}",
            "ship_on: 'May 3' is not a date (format date: yyyy-mm-dd)",
            "{" + good + ", \"items\": [], \"token\": \"not-a-uuid\"}",
            "token: 'not-a-uuid' is not a uuid (format uuid)",
            "{" + good + ", \"items\": [], \"status\": \"LOST\"}",
            "status: 'LOST' is not one of [\"NEW\", \"PAID\"]");
    long offset = 0;
    for (Map.Entry<String, String> c : cases.entrySet()) {
      byte[] value = serialize(topic, false, c.getKey());
      assertThat(ConfluentFraming.schemaId(value)).isEqualTo(id);
      assertThat(problem(topic, offset, value))
          .isEqualTo(badRecord(topic, offset, id, c.getValue()));
      offset++;
    }
    byte[] truncated = serialize(topic, false, "{" + good + ", \"items\": []}");
    truncated = Arrays.copyOf(truncated, truncated.length - 1);
    assertThat(problem(topic, offset, truncated))
        .isEqualTo(
            badRecord(
                topic,
                offset,
                id,
                "malformed JSON: Unexpected end-of-input: expected close marker for Object"));
  }

  private static Object[] values(Row row, int n) {
    Object[] v = new Object[n];
    for (int i = 0; i < n; i++) {
      v[i] = row.get(i);
    }
    return v;
  }

  private static String problem(String topic, long offset, byte[] value) {
    BadRecordException e =
        catchThrowableOfType(
            () -> decoder.decode(new ConsumerRecord<>(topic, 0, offset, null, value), null),
            BadRecordException.class);
    assertThat(e).as("a bad record").isNotNull();
    return e.problem();
  }

  private static String badRecord(String topic, long offset, int id, String cause) {
    return "Record at "
        + new SourcePosition(topic, 0, offset)
        + " failed at decode: the payload does not match its schema id "
        + id
        + " ("
        + cause
        + ")";
  }

  /**
   * Apicurio's JSON Schema serializer, framing like ConfluentAvroProducer's, with the latest
   * schema.
   */
  private static byte[] serialize(String topic, boolean validate, String json) throws Exception {
    Map<String, Object> config = ConfluentAvroProducer.serializerConfig(registry);
    config.put(SerdeConfig.AUTO_REGISTER_ARTIFACT, false);
    config.put(SerdeConfig.FIND_LATEST_ARTIFACT, true);
    config.put(SerdeConfig.VALIDATION_ENABLED, validate);
    try (JsonSchemaKafkaSerializer<JsonNode> serializer = new JsonSchemaKafkaSerializer<>()) {
      serializer.configure(config, false);
      return serializer.serialize(topic, JSON.readTree(json));
    }
  }

  /** The Confluent API's register call with one reference (SchemaRegistry.register has none). */
  private static int registerWithReference(
      String subject, String schema, String name, String referencedSubject) throws Exception {
    String body =
        JSON.writeValueAsString(
            Map.of(
                "schema",
                schema,
                "schemaType",
                "JSON",
                "references",
                List.of(Map.of("name", name, "subject", referencedSubject, "version", 1))));
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(registry.url() + "/subjects/" + subject + "/versions"))
                    .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body()).path("id").asInt();
  }
}
