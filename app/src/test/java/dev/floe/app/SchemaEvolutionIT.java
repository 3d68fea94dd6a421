package dev.floe.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.floe.core.config.FloeConfig;
import dev.floe.embedded.KafkaBroker;
import dev.floe.testsupport.ConfluentAvroProducer;
import dev.floe.testsupport.SchemaRegistry;
import dev.floe.testsupport.SharedServices;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One registry subject, four versions (add a top-level field, add a nested field, widen int to
 * long, make a field optional), records of all versions interleaved over four partitions: the table
 * evolves as the versions arrive and every row reads back with its values and nulls.
 */
class SchemaEvolutionIT {
  static final KafkaBroker broker = SharedServices.broker();
  static final SchemaRegistry registry = SharedServices.registry();
  @TempDir Path dir;

  static final List<Schema> VERSIONS =
      List.of(
          avro(
              """
              {"name": "id", "type": "long"}, {"name": "name", "type": "string"},
              {"name": "visits", "type": "int"},
              {"name": "address", "type": {"type": "record", "name": "Address", "fields": [
                {"name": "city", "type": "string"}]}}"""),
          avro( // v2: + email
              """
              {"name": "id", "type": "long"}, {"name": "name", "type": "string"},
              {"name": "visits", "type": "int"},
              {"name": "address", "type": {"type": "record", "name": "Address", "fields": [
                {"name": "city", "type": "string"}]}},
              {"name": "email", "type": ["null", "string"], "default": null}"""),
          avro( // v3: + address.zip
              """
              {"name": "id", "type": "long"}, {"name": "name", "type": "string"},
              {"name": "visits", "type": "int"},
              {"name": "address", "type": {"type": "record", "name": "Address", "fields": [
                {"name": "city", "type": "string"},
                {"name": "zip", "type": ["null", "string"], "default": null}]}},
              {"name": "email", "type": ["null", "string"], "default": null}"""),
          avro( // v4: visits int -> long, name optional
              """
              {"name": "id", "type": "long"}, {"name": "name", "type": ["null", "string"], "default": null},
              {"name": "visits", "type": "long"},
              {"name": "address", "type": {"type": "record", "name": "Address", "fields": [
                {"name": "city", "type": "string"},
                {"name": "zip", "type": ["null", "string"], "default": null}]}},
              {"name": "email", "type": ["null", "string"], "default": null}"""));

  record Expected(int version, String name, long visits, String city, String zip, String email) {}

  @Test
  void recordsOfFourVersionsInterleavedLandWithTheirValuesAndNulls() throws Exception {
    String topic = "customers-evolving";
    broker.createTopic(topic, 4);
    Map<Long, Expected> expected = new HashMap<>();
    Random random = new Random(11);
    try (ConfluentAvroProducer producer =
        new ConfluentAvroProducer(broker.bootstrapServers(), registry)) {
      List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
      for (long id = 0; id < 2_000; id++) {
        // versions appear in order at first, then interleave: late producers keep writing old ones
        int version = id < 400 ? (int) (id / 100) : random.nextInt(4);
        Expected e =
            new Expected(
                version,
                version == 3 && id % 3 == 0 ? null : "n" + id,
                version == 3 ? 5_000_000_000L + id : id,
                "c" + id,
                version >= 2 && id % 2 == 0 ? "z" + id : null,
                version >= 1 && id % 5 != 0 ? "e" + id + "@x" : null);
        sent.add(producer.send(topic, (int) (id % 4), null, record(id, e), null));
        expected.put(id, e);
      }
      for (var f : sent) {
        f.get();
      }
    }
    FloeConfig config =
        TestConfigs.parse(
            dir,
            broker,
            registry,
            """
        tables:
          - topics: [customers-evolving]
            table: crm.customers
            commit: { interval: 500ms, max-records: 150 }
        """);

    assertThat(
            Pipelines.runUntil(
                config,
                Duration.ofSeconds(90),
                () -> IcebergTables.rowCount(config, "crm.customers") >= expected.size()))
        .isNull();

    var schema = IcebergTables.load(config, "crm.customers").schema();
    assertThat(schema.findType("visits")).isEqualTo(Types.LongType.get());
    assertThat(schema.findField("name").isOptional()).isTrue();
    assertThat(schema.findField("address.zip")).isNotNull();
    List<Record> rows = IcebergTables.rows(config, "crm.customers");
    assertThat(rows).hasSize(expected.size());
    for (Record r : rows) {
      Expected e = expected.get((Long) r.getField("id"));
      Record address = (Record) r.getField("address");
      assertThat(
              new Expected(
                  e.version(),
                  (String) r.getField("name"),
                  (Long) r.getField("visits"),
                  (String) address.getField("city"),
                  (String) address.getField("zip"),
                  (String) r.getField("email")))
          .as("row %s", r.getField("id"))
          .isEqualTo(e);
    }

    // Spark 4.0, finding the table by name in the catalog, sees the evolved schema and the values
    Map<String, List<ObjectNode>> spark =
        SparkReads.spark(config)
            .query(
                Map.of(
                    "rows",
                    "SELECT id, name, visits, address.city, address.zip, email FROM "
                        + SparkReads.iceberg("crm.customers"),
                    "schema",
                    "DESCRIBE TABLE " + SparkReads.iceberg("crm.customers")));
    assertThat(spark.get("schema"))
        .anySatisfy(
            c -> {
              assertThat(c.get("col_name").asText()).isEqualTo("visits");
              assertThat(c.get("data_type").asText()).isEqualTo("bigint");
            });
    assertThat(spark.get("rows")).hasSize(expected.size());
    for (ObjectNode r : spark.get("rows")) {
      Expected e = expected.get(r.get("id").longValue());
      assertThat(
              new Expected(
                  e.version(),
                  text(r.get("name")),
                  r.get("visits").longValue(),
                  text(r.get("city")),
                  text(r.get("zip")),
                  text(r.get("email"))))
          .as("Spark: row %s", r.get("id"))
          .isEqualTo(e);
    }
  }

  private static String text(JsonNode node) {
    return node.isNull() ? null : node.asText();
  }

  /**
   * Delta: v1..v3 as above and a v4 that makes a field optional. Delta protocol (1, 2) cannot widen
   * a column, so v4 keeps visits an int here (a long would follow the mapping's on-error policy).
   */
  @Test
  void avroVersionsInterleavedLandInADeltaTableWithTheirValuesAndNulls() throws Exception {
    String topic = "customers-evolving-delta";
    broker.createTopic(topic, 4);
    List<Schema> versions = new ArrayList<>(VERSIONS.subList(0, 3));
    versions.add(
        avro( // v4: name optional
            """
            {"name": "id", "type": "long"}, {"name": "name", "type": ["null", "string"], "default": null},
            {"name": "visits", "type": "int"},
            {"name": "address", "type": {"type": "record", "name": "Address", "fields": [
              {"name": "city", "type": "string"},
              {"name": "zip", "type": ["null", "string"], "default": null}]}},
            {"name": "email", "type": ["null", "string"], "default": null}"""));
    Map<Long, Expected> expected = new HashMap<>();
    Random random = new Random(13);
    try (ConfluentAvroProducer producer =
        new ConfluentAvroProducer(broker.bootstrapServers(), registry)) {
      List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
      for (long id = 0; id < 2_000; id++) {
        int version = id < 400 ? (int) (id / 100) : random.nextInt(4);
        Expected e =
            new Expected(
                version,
                version == 3 && id % 3 == 0 ? null : "n" + id,
                id,
                "c" + id,
                version >= 2 && id % 2 == 0 ? "z" + id : null,
                version >= 1 && id % 5 != 0 ? "e" + id + "@x" : null);
        sent.add(producer.send(topic, (int) (id % 4), null, record(versions, id, e), null));
        expected.put(id, e);
      }
      for (var f : sent) {
        f.get();
      }
    }
    FloeConfig config =
        TestConfigs.parse(
            dir,
            broker,
            registry,
            """
        tables:
          - topics: [customers-evolving-delta]
            table: crm.customers
            formats: [delta]
            partition-by: ["bucket[4](id)"]
            commit: { interval: 500ms, max-records: 150 }
        """);

    assertThat(
            Pipelines.runUntil(
                config,
                Duration.ofSeconds(90),
                () -> DeltaTables.rowCount(config, "crm.customers") >= expected.size()))
        .isNull();

    var metadata = DeltaTables.log(config, "crm.customers").update().getMetadata();
    assertThat(metadata.getPartitionColumns()).containsExactly("id_bucket");
    assertThat(metadata.getSchema().get("name").isNullable()).isTrue();
    assertThat(metadata.getSchema().get("email").isNullable()).isTrue();
    List<Map<String, Object>> rows = DeltaTables.rows(config, "crm.customers");
    assertThat(rows).hasSize(expected.size());
    for (Map<String, Object> r : rows) {
      Expected e = expected.get((Long) r.get("id"));
      @SuppressWarnings("unchecked")
      Map<String, Object> address = (Map<String, Object>) r.get("address");
      assertThat(
              new Expected(
                  e.version(),
                  (String) r.get("name"),
                  ((Integer) r.get("visits")).longValue(),
                  (String) address.get("city"),
                  (String) address.get("zip"),
                  (String) r.get("email")))
          .as("row %s", r.get("id"))
          .isEqualTo(e);
    }
  }

  /** Protobuf into Delta: v4 makes name optional but keeps visits int32 (Delta cannot widen). */
  @Test
  void protobufVersionsInterleavedLandInADeltaTableWithTheirValuesAndNulls() throws Exception {
    String topic = "customers-evolving-proto-delta";
    broker.createTopic(topic, 4);
    String[] versions = {
      "message Customer { int64 id = 1; string name = 2; int32 visits = 3; Address address = 4; }",
      "message Customer { int64 id = 1; string name = 2; int32 visits = 3; Address address = 4;"
          + " optional string email = 5; }",
      "message Customer { int64 id = 1; string name = 2; int32 visits = 3; Address2 address = 4;"
          + " optional string email = 5; }",
      "message Customer { int64 id = 1; optional string name = 2; int32 visits = 3;"
          + " Address2 address = 4; optional string email = 5; }"
    };
    int[] ids = new int[4];
    for (int v = 0; v < 4; v++) {
      ids[v] =
          registry.register(
              topic + "-value",
              "PROTOBUF",
              "syntax = \"proto3\"; package it.evolve.delta;\n"
                  + versions[v]
                  + "\nmessage Address { string city = 1; }"
                  + "\nmessage Address2 { string city = 1; optional string zip = 2; }");
    }
    Map<Long, Expected> expected = new HashMap<>();
    Random random = new Random(14);
    List<byte[]> values = new ArrayList<>();
    for (long id = 0; id < 400; id++) {
      int v = id < 80 ? (int) (id / 20) : random.nextInt(4);
      Expected e =
          new Expected(
              v,
              v == 3 && id % 3 == 0 ? null : "n" + id,
              id, // a small positive varint: int32 and int64 encode it alike
              "c" + id,
              v >= 2 && id % 2 == 0 ? "z" + id : null,
              v >= 1 && id % 5 != 0 ? "e" + id + "@x" : null);
      expected.put(id, e);
      values.add(protobuf(ids[v], id, e));
    }
    RawRecords.send(broker, topic, values);
    FloeConfig config =
        TestConfigs.parse(
            dir,
            broker,
            registry,
            """
        tables:
          - topics: [customers-evolving-proto-delta]
            table: crm.customers_proto
            formats: [delta]
            commit: { interval: 500ms, max-records: 50 }
        """);

    assertThat(
            Pipelines.runUntil(
                config,
                Duration.ofSeconds(90),
                () -> DeltaTables.rowCount(config, "crm.customers_proto") >= expected.size()))
        .isNull();
    var schema = DeltaTables.log(config, "crm.customers_proto").update().getMetadata().getSchema();
    assertThat(schema.get("name").isNullable()).isTrue();
    List<Map<String, Object>> rows = DeltaTables.rows(config, "crm.customers_proto");
    assertThat(rows).hasSize(expected.size());
    for (Map<String, Object> r : rows) {
      Expected e = expected.get((Long) r.get("id"));
      @SuppressWarnings("unchecked")
      Map<String, Object> address = (Map<String, Object>) r.get("address");
      String name = e.name() == null && e.version() != 3 ? "" : e.name(); // proto3: "" not null
      assertThat(
              new Expected(
                  e.version(),
                  (String) r.get("name"),
                  ((Integer) r.get("visits")).longValue(),
                  (String) address.get("city"),
                  (String) address.get("zip"),
                  (String) r.get("email")))
          .as("row %s", r.get("id"))
          .isEqualTo(new Expected(e.version(), name, e.visits(), e.city(), e.zip(), e.email()));
    }
  }

  /** Protobuf: v1..v4 under one subject, the same four changes, framed the Confluent way. */
  @Test
  void protobufVersionsInterleavedLandWithTheirValuesAndNulls() throws Exception {
    String topic = "customers-evolving-proto";
    broker.createTopic(topic, 4);
    String[] versions = {
      "message Customer { int64 id = 1; string name = 2; int32 visits = 3; Address address = 4; }",
      "message Customer { int64 id = 1; string name = 2; int32 visits = 3; Address address = 4;"
          + " optional string email = 5; }",
      "message Customer { int64 id = 1; string name = 2; int32 visits = 3; Address2 address = 4;"
          + " optional string email = 5; }",
      "message Customer { int64 id = 1; optional string name = 2; int64 visits = 3;"
          + " Address2 address = 4; optional string email = 5; }"
    };
    int[] ids = new int[4];
    for (int v = 0; v < 4; v++) {
      ids[v] =
          registry.register(
              topic + "-value",
              "PROTOBUF",
              "syntax = \"proto3\"; package it.evolve;\n"
                  + versions[v]
                  + "\nmessage Address { string city = 1; }"
                  + "\nmessage Address2 { string city = 1; optional string zip = 2; }");
    }
    Map<Long, Expected> expected = new HashMap<>();
    Random random = new Random(12);
    List<byte[]> values = new ArrayList<>();
    for (long id = 0; id < 400; id++) {
      int v = id < 80 ? (int) (id / 20) : random.nextInt(4);
      Expected e =
          new Expected(
              v,
              v == 3 && id % 3 == 0 ? null : "n" + id,
              v == 3 ? 5_000_000_000L + id : id,
              "c" + id,
              v >= 2 && id % 2 == 0 ? "z" + id : null,
              v >= 1 && id % 5 != 0 ? "e" + id + "@x" : null);
      expected.put(id, e);
      values.add(protobuf(ids[v], id, e));
    }
    RawRecords.send(broker, topic, values);
    FloeConfig config =
        TestConfigs.parse(
            dir,
            broker,
            registry,
            """
        tables:
          - topics: [customers-evolving-proto]
            table: crm.customers_proto
            commit: { interval: 500ms, max-records: 50 }
        """);

    assertThat(
            Pipelines.runUntil(
                config,
                Duration.ofSeconds(90),
                () -> IcebergTables.rowCount(config, "crm.customers_proto") >= expected.size()))
        .isNull();
    var schema = IcebergTables.load(config, "crm.customers_proto").schema();
    assertThat(schema.findType("visits")).isEqualTo(Types.LongType.get());
    assertThat(schema.findField("address.zip")).isNotNull();
    for (Record r : IcebergTables.rows(config, "crm.customers_proto")) {
      Expected e = expected.get((Long) r.getField("id"));
      Record address = (Record) r.getField("address");
      // proto3: an absent plain string is "", not null
      String name = e.name() == null && e.version() != 3 ? "" : e.name();
      assertThat(
              new Expected(
                  e.version(),
                  (String) r.getField("name"),
                  (Long) r.getField("visits"),
                  (String) address.getField("city"),
                  (String) address.getField("zip"),
                  (String) r.getField("email")))
          .as("row %s", r.getField("id"))
          .isEqualTo(new Expected(e.version(), name, e.visits(), e.city(), e.zip(), e.email()));
    }
  }

  /** JSON Schema into Delta: v4 makes name optional but keeps visits int32 (Delta cannot widen). */
  @Test
  void jsonSchemaVersionsInterleavedLandInADeltaTableWithTheirValuesAndNulls() throws Exception {
    String topic = "customers-evolving-json-delta";
    broker.createTopic(topic, 4);
    String address1 =
        "{\"type\": \"object\", \"properties\": {\"city\": {\"type\": \"string\"}}, \"required\": [\"city\"]}";
    String address2 =
        "{\"type\": \"object\", \"properties\": {\"city\": {\"type\": \"string\"},"
            + " \"zip\": {\"type\": \"string\"}}, \"required\": [\"city\"]}";
    String[] versions = new String[4];
    for (int v = 0; v < 4; v++) {
      versions[v] =
          "{\"type\": \"object\", \"properties\": {\"id\": {\"type\": \"integer\"},"
              + " \"name\": {\"type\": \"string\"},"
              + " \"visits\": {\"type\": \"integer\", \"connect.type\": \""
              + "int32"
              + "\"}, \"address\": "
              + (v >= 2 ? address2 : address1)
              + (v >= 1 ? ", \"email\": {\"type\": \"string\"}" : "")
              + "}, \"required\": [\"id\", \"visits\", \"address\""
              + (v == 3 ? "" : ", \"name\"")
              + "]}";
    }
    Map<Long, Expected> expected = new HashMap<>();
    Random random = new Random(15);
    List<byte[]> values = new ArrayList<>();
    int[] ids = new int[4];
    for (int v = 0; v < 4; v++) {
      ids[v] = registry.register(topic + "-value", "JSON", versions[v]);
    }
    for (long id = 0; id < 400; id++) {
      int v = id < 80 ? (int) (id / 20) : random.nextInt(4);
      Expected e =
          new Expected(
              v,
              v == 3 && id % 3 == 0 ? null : "n" + id,
              id,
              "c" + id,
              v >= 2 && id % 2 == 0 ? "z" + id : null,
              v >= 1 && id % 5 != 0 ? "e" + id + "@x" : null);
      expected.put(id, e);
      StringBuilder json = new StringBuilder("{\"id\": " + id + ", \"visits\": " + e.visits());
      if (e.name() != null) {
        json.append(", \"name\": \"").append(e.name()).append('"');
      }
      json.append(", \"address\": {\"city\": \"").append(e.city()).append('"');
      if (e.zip() != null) {
        json.append(", \"zip\": \"").append(e.zip()).append('"');
      }
      json.append('}');
      if (e.email() != null) {
        json.append(", \"email\": \"").append(e.email()).append('"');
      }
      json.append('}');
      byte[] payload = json.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
      values.add(
          java.nio.ByteBuffer.allocate(5 + payload.length)
              .put((byte) 0)
              .putInt(ids[v])
              .put(payload)
              .array());
    }
    RawRecords.send(broker, topic, values);
    FloeConfig config =
        TestConfigs.parse(
            dir,
            broker,
            registry,
            """
        tables:
          - topics: [customers-evolving-json-delta]
            table: crm.customers_json
            formats: [delta]
            commit: { interval: 500ms, max-records: 50 }
        """);

    assertThat(
            Pipelines.runUntil(
                config,
                Duration.ofSeconds(90),
                () -> DeltaTables.rowCount(config, "crm.customers_json") >= expected.size()))
        .isNull();
    var schema = DeltaTables.log(config, "crm.customers_json").update().getMetadata().getSchema();
    assertThat(schema.get("name").isNullable()).isTrue();
    List<Map<String, Object>> rows = DeltaTables.rows(config, "crm.customers_json");
    assertThat(rows).hasSize(expected.size());
    for (Map<String, Object> r : rows) {
      Expected e = expected.get((Long) r.get("id"));
      @SuppressWarnings("unchecked")
      Map<String, Object> address = (Map<String, Object>) r.get("address");
      assertThat(
              new Expected(
                  e.version(),
                  (String) r.get("name"),
                  ((Integer) r.get("visits")).longValue(),
                  (String) address.get("city"),
                  (String) address.get("zip"),
                  (String) r.get("email")))
          .as("row %s", r.get("id"))
          .isEqualTo(e);
    }
  }

  /**
   * JSON Schema: properties added (top level and nested), int32 widened to int64, made optional.
   */
  @Test
  void jsonSchemaVersionsInterleavedLandWithTheirValuesAndNulls() throws Exception {
    String topic = "customers-evolving-json";
    broker.createTopic(topic, 4);
    String address1 =
        "{\"type\": \"object\", \"properties\": {\"city\": {\"type\": \"string\"}}, \"required\": [\"city\"]}";
    String address2 =
        "{\"type\": \"object\", \"properties\": {\"city\": {\"type\": \"string\"},"
            + " \"zip\": {\"type\": \"string\"}}, \"required\": [\"city\"]}";
    String[] versions = new String[4];
    for (int v = 0; v < 4; v++) {
      versions[v] =
          "{\"type\": \"object\", \"properties\": {\"id\": {\"type\": \"integer\"},"
              + " \"name\": {\"type\": \"string\"},"
              + " \"visits\": {\"type\": \"integer\", \"connect.type\": \""
              + (v == 3 ? "int64" : "int32")
              + "\"}, \"address\": "
              + (v >= 2 ? address2 : address1)
              + (v >= 1 ? ", \"email\": {\"type\": \"string\"}" : "")
              + "}, \"required\": [\"id\", \"visits\", \"address\""
              + (v == 3 ? "" : ", \"name\"")
              + "]}";
    }
    Map<Long, Expected> expected = new HashMap<>();
    Random random = new Random(13);
    List<byte[]> values = new ArrayList<>();
    int[] ids = new int[4];
    for (int v = 0; v < 4; v++) {
      ids[v] = registry.register(topic + "-value", "JSON", versions[v]);
    }
    for (long id = 0; id < 400; id++) {
      int v = id < 80 ? (int) (id / 20) : random.nextInt(4);
      Expected e =
          new Expected(
              v,
              v == 3 && id % 3 == 0 ? null : "n" + id,
              v == 3 ? 5_000_000_000L + id : id,
              "c" + id,
              v >= 2 && id % 2 == 0 ? "z" + id : null,
              v >= 1 && id % 5 != 0 ? "e" + id + "@x" : null);
      expected.put(id, e);
      StringBuilder json = new StringBuilder("{\"id\": " + id + ", \"visits\": " + e.visits());
      if (e.name() != null) {
        json.append(", \"name\": \"").append(e.name()).append('"');
      }
      json.append(", \"address\": {\"city\": \"").append(e.city()).append('"');
      if (e.zip() != null) {
        json.append(", \"zip\": \"").append(e.zip()).append('"');
      }
      json.append('}');
      if (e.email() != null) {
        json.append(", \"email\": \"").append(e.email()).append('"');
      }
      json.append('}');
      byte[] payload = json.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
      values.add(
          java.nio.ByteBuffer.allocate(5 + payload.length)
              .put((byte) 0)
              .putInt(ids[v])
              .put(payload)
              .array());
    }
    RawRecords.send(broker, topic, values);
    FloeConfig config =
        TestConfigs.parse(
            dir,
            broker,
            registry,
            """
        tables:
          - topics: [customers-evolving-json]
            table: crm.customers_json
            commit: { interval: 500ms, max-records: 50 }
        """);

    assertThat(
            Pipelines.runUntil(
                config,
                Duration.ofSeconds(90),
                () -> IcebergTables.rowCount(config, "crm.customers_json") >= expected.size()))
        .isNull();
    var schema = IcebergTables.load(config, "crm.customers_json").schema();
    assertThat(schema.findType("visits")).isEqualTo(Types.LongType.get());
    assertThat(schema.findField("name").isOptional()).isTrue();
    for (Record r : IcebergTables.rows(config, "crm.customers_json")) {
      Expected e = expected.get((Long) r.getField("id"));
      Record address = (Record) r.getField("address");
      assertThat(
              new Expected(
                  e.version(),
                  (String) r.getField("name"),
                  (Long) r.getField("visits"),
                  (String) address.getField("city"),
                  (String) address.getField("zip"),
                  (String) r.getField("email")))
          .as("row %s", r.getField("id"))
          .isEqualTo(e);
    }
  }

  private static byte[] protobuf(int schemaId, long id, Expected e) throws Exception {
    java.io.ByteArrayOutputStream address = new java.io.ByteArrayOutputStream();
    com.google.protobuf.CodedOutputStream a =
        com.google.protobuf.CodedOutputStream.newInstance(address);
    a.writeString(1, e.city());
    if (e.zip() != null) {
      a.writeString(2, e.zip());
    }
    a.flush();
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    com.google.protobuf.CodedOutputStream out =
        com.google.protobuf.CodedOutputStream.newInstance(bytes);
    out.writeInt64(1, id);
    if (e.name() != null) {
      out.writeString(2, e.name());
    }
    if (e.version() == 3) {
      out.writeInt64(3, e.visits());
    } else {
      out.writeInt32(3, (int) e.visits());
    }
    out.writeByteArray(4, address.toByteArray());
    if (e.email() != null) {
      out.writeString(5, e.email());
    }
    out.flush();
    byte[] message = bytes.toByteArray();
    return java.nio.ByteBuffer.allocate(6 + message.length)
        .put((byte) 0)
        .putInt(schemaId)
        .put((byte) 0)
        .put(message)
        .array();
  }

  private static GenericRecord record(long id, Expected e) {
    return record(VERSIONS, id, e);
  }

  private static GenericRecord record(List<Schema> versions, long id, Expected e) {
    Schema schema = versions.get(e.version());
    GenericRecord r = new GenericData.Record(schema);
    r.put("id", id);
    r.put("name", e.name());
    boolean wide = schema.getField("visits").schema().getType() == Schema.Type.LONG;
    r.put("visits", wide ? (Object) e.visits() : (Object) (int) e.visits());
    Schema addressSchema = schema.getField("address").schema();
    GenericRecord address = new GenericData.Record(addressSchema);
    address.put("city", e.city());
    if (addressSchema.getField("zip") != null) {
      address.put("zip", e.zip());
    }
    r.put("address", address);
    if (schema.getField("email") != null) {
      r.put("email", e.email());
    }
    return r;
  }

  private static Schema avro(String fields) {
    return new Schema.Parser()
        .parse(
            "{\"type\": \"record\", \"name\": \"Customer\", \"namespace\": \"it.evolve\", \"fields\": ["
                + fields
                + "]}");
  }
}
