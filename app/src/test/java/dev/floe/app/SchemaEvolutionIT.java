package dev.floe.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.CodedOutputStream;
import dev.floe.core.config.FloeConfig;
import dev.floe.embedded.KafkaBroker;
import dev.floe.testsupport.ConfluentAvroProducer;
import dev.floe.testsupport.SchemaRegistry;
import dev.floe.testsupport.SharedServices;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Future;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One registry subject, four versions (add a top-level field, add a nested field, widen int to
 * long, make a field optional), records of all versions interleaved over four partitions: the table
 * evolves as the versions arrive and every row reads back with its values and nulls. Each encoding
 * runs once per table format; Delta protocol (1, 2) cannot widen a column, so there v4 keeps visits
 * an int (a long would follow the mapping's on-error policy).
 */
class SchemaEvolutionIT {
  static final KafkaBroker broker = SharedServices.broker();
  static final SchemaRegistry registry = SharedServices.registry();
  @TempDir Path dir;

  record Expected(int version, String name, long visits, String city, String zip, String email) {}

  @ParameterizedTest(name = "{0}")
  @EnumSource(Format.class)
  void avroVersionsInterleavedLandWithTheirValuesAndNulls(Format format) throws Exception {
    String topic = "customers-evolving-" + format.key();
    broker.createTopic(topic, 4);
    List<Schema> versions = avroVersions(format);
    Map<Long, Expected> expected = customers(2_000, format, new Random(11));
    try (ConfluentAvroProducer producer =
        new ConfluentAvroProducer(broker.bootstrapServers(), registry)) {
      List<Future<?>> sent = new ArrayList<>();
      expected.forEach(
          (id, e) ->
              sent.add(producer.send(topic, (int) (id % 4), null, avro(versions, id, e), null)));
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
          - topics: [%s]
            table: crm.customers
            formats: [%s]
            partition-by: ["bucket[4](id)"]
            commit: { interval: 500ms, max-records: 150 }
        """
                .formatted(topic, format.key()));

    assertEveryRowLands(format, config, "crm.customers", expected);
    assertThat(format.partitionColumns(config, "crm.customers")).containsExactly("id_bucket");

    // Spark 4.0, finding the table by name (Iceberg) or path (Delta), sees the evolved schema and
    // the values
    String table = format.sparkName(config, "crm.customers");
    Map<String, List<ObjectNode>> spark =
        SparkReads.spark(config)
            .query(
                Map.of(
                    "rows",
                    "SELECT id, name, visits, address.city, address.zip, email FROM " + table,
                    "schema",
                    "DESCRIBE TABLE " + table));
    assertThat(spark.get("schema"))
        .anySatisfy(
            c -> {
              assertThat(c.get("col_name").asText()).isEqualTo("visits");
              assertThat(c.get("data_type").asText()).isEqualTo(format.widens() ? "bigint" : "int");
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

  /** Protobuf: v1..v4 under one subject, the same four changes, framed the Confluent way. */
  @ParameterizedTest(name = "{0}")
  @EnumSource(Format.class)
  void protobufVersionsInterleavedLandWithTheirValuesAndNulls(Format format) throws Exception {
    String topic = "customers-evolving-proto-" + format.key();
    broker.createTopic(topic, 4);
    String visits = format.widens() ? "int64" : "int32";
    String[] versions = {
      "message Customer { int64 id = 1; string name = 2; int32 visits = 3; Address address = 4; }",
      "message Customer { int64 id = 1; string name = 2; int32 visits = 3; Address address = 4;"
          + " optional string email = 5; }",
      "message Customer { int64 id = 1; string name = 2; int32 visits = 3; Address2 address = 4;"
          + " optional string email = 5; }",
      "message Customer { int64 id = 1; optional string name = 2; "
          + visits
          + " visits = 3; Address2 address = 4; optional string email = 5; }"
    };
    int[] ids = new int[4];
    for (int v = 0; v < 4; v++) {
      // a package per format: the two runs' v4 differ under the same message name
      ids[v] =
          registry.register(
              topic + "-value",
              "PROTOBUF",
              "syntax = \"proto3\"; package it.evolve."
                  + format.key()
                  + ";\n"
                  + versions[v]
                  + "\nmessage Address { string city = 1; }"
                  + "\nmessage Address2 { string city = 1; optional string zip = 2; }");
    }
    Map<Long, Expected> expected = customers(400, format, new Random(12));
    List<byte[]> values = new ArrayList<>();
    for (var c : expected.entrySet()) {
      values.add(protobuf(ids[c.getValue().version()], c.getKey(), c.getValue()));
    }
    RawRecords.send(broker, topic, values);
    FloeConfig config = smallCommits(format, topic, "crm.customers_proto");

    // v1..v3 never leave name out, so proto3's "" for an absent plain string does not arise here
    assertEveryRowLands(format, config, "crm.customers_proto", expected);
  }

  /**
   * JSON Schema: properties added (top level and nested), int32 widened to int64, made optional.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(Format.class)
  void jsonSchemaVersionsInterleavedLandWithTheirValuesAndNulls(Format format) throws Exception {
    String topic = "customers-evolving-json-" + format.key();
    broker.createTopic(topic, 4);
    int[] ids = new int[4];
    for (int v = 0; v < 4; v++) {
      ids[v] = registry.register(topic + "-value", "JSON", jsonSchema(v, format));
    }
    Map<Long, Expected> expected = customers(400, format, new Random(13));
    List<byte[]> values = new ArrayList<>();
    expected.forEach((id, e) -> values.add(json(ids[e.version()], id, e)));
    RawRecords.send(broker, topic, values);
    FloeConfig config = smallCommits(format, topic, "crm.customers_json");

    assertEveryRowLands(format, config, "crm.customers_json", expected);
  }

  /** One mapping from {@code topic} into {@code table}, committing every 50 rows. */
  private FloeConfig smallCommits(Format format, String topic, String table) {
    return TestConfigs.parse(
        dir,
        broker,
        registry,
        """
        tables:
          - topics: [%s]
            table: %s
            formats: [%s]
            commit: { interval: 500ms, max-records: 50 }
        """
            .formatted(topic, table, format.key()));
  }

  /**
   * Runs the pipeline until the table holds every customer, then checks the evolved schema and each
   * row's values and nulls.
   */
  private static void assertEveryRowLands(
      Format format, FloeConfig config, String table, Map<Long, Expected> expected) {
    assertThat(
            Pipelines.runUntil(
                config,
                Duration.ofSeconds(90),
                () -> format.rowCount(config, table) >= expected.size()))
        .isNull();

    format.assertEvolvedSchema(config, table);
    List<Customer> rows = format.customers(config, table);
    assertThat(rows).hasSize(expected.size());
    for (Customer c : rows) {
      Expected e = expected.get(c.id());
      assertThat(c.as(e.version())).as("row %s", c.id()).isEqualTo(e);
    }
  }

  /** A row as read back from a table, before it is compared with what was sent. */
  record Customer(long id, String name, long visits, String city, String zip, String email) {
    Expected as(int version) {
      return new Expected(version, name, visits, city, zip, email);
    }
  }

  /** What differs between the formats: widening, and how a table is read. */
  enum Format {
    ICEBERG {
      @Override
      boolean widens() {
        return true;
      }

      @Override
      long rowCount(FloeConfig config, String table) {
        return IcebergTables.rowCount(config, table);
      }

      @Override
      List<Customer> customers(FloeConfig config, String table) {
        List<Customer> customers = new ArrayList<>();
        for (Record r : IcebergTables.rows(config, table)) {
          Record address = (Record) r.getField("address");
          customers.add(
              new Customer(
                  (Long) r.getField("id"),
                  (String) r.getField("name"),
                  (Long) r.getField("visits"),
                  (String) address.getField("city"),
                  (String) address.getField("zip"),
                  (String) r.getField("email")));
        }
        return customers;
      }

      @Override
      void assertEvolvedSchema(FloeConfig config, String table) {
        var schema = IcebergTables.load(config, table).schema();
        assertThat(schema.findType("visits")).isEqualTo(Types.LongType.get());
        assertThat(schema.findField("name").isOptional()).isTrue();
        assertThat(schema.findField("address.zip")).isNotNull();
      }

      @Override
      List<String> partitionColumns(FloeConfig config, String table) {
        return IcebergTables.load(config, table).spec().fields().stream()
            .map(PartitionField::name)
            .toList();
      }

      @Override
      String sparkName(FloeConfig config, String table) {
        return SparkReads.iceberg(table);
      }
    },

    DELTA {
      @Override
      boolean widens() {
        return false;
      }

      @Override
      long rowCount(FloeConfig config, String table) {
        return DeltaTables.rowCount(config, table);
      }

      @Override
      List<Customer> customers(FloeConfig config, String table) {
        List<Customer> customers = new ArrayList<>();
        for (Map<String, Object> r : DeltaTables.rows(config, table)) {
          @SuppressWarnings("unchecked")
          Map<String, Object> address = (Map<String, Object>) r.get("address");
          customers.add(
              new Customer(
                  (Long) r.get("id"),
                  (String) r.get("name"),
                  ((Integer) r.get("visits")).longValue(),
                  (String) address.get("city"),
                  (String) address.get("zip"),
                  (String) r.get("email")));
        }
        return customers;
      }

      @Override
      void assertEvolvedSchema(FloeConfig config, String table) {
        var schema = DeltaTables.log(config, table).update().getMetadata().getSchema();
        assertThat(schema.get("name").isNullable()).isTrue();
        assertThat(schema.get("email").isNullable()).isTrue();
      }

      @Override
      List<String> partitionColumns(FloeConfig config, String table) {
        return DeltaTables.log(config, table).update().getMetadata().getPartitionColumns();
      }

      @Override
      String sparkName(FloeConfig config, String table) {
        return SparkReads.delta(config, table);
      }
    };

    /** The name in the mapping's {@code formats}, and a suffix that keeps topics apart. */
    String key() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Whether v4 widens visits to a long: Delta protocol (1, 2) cannot. */
    abstract boolean widens();

    abstract long rowCount(FloeConfig config, String table);

    abstract List<Customer> customers(FloeConfig config, String table);

    /** Visits widened (where the format can), name optional, the nested and top-level additions. */
    abstract void assertEvolvedSchema(FloeConfig config, String table);

    abstract List<String> partitionColumns(FloeConfig config, String table);

    abstract String sparkName(FloeConfig config, String table);
  }

  /**
   * {@code count} customers by id: the first fifth in version order (v1, v2, v3, v4), then
   * interleaved, as late producers keep writing old versions.
   */
  private static Map<Long, Expected> customers(int count, Format format, Random random) {
    Map<Long, Expected> customers = new LinkedHashMap<>();
    int inOrder = count / 20;
    for (long id = 0; id < count; id++) {
      int v = id < 4 * inOrder ? (int) (id / inOrder) : random.nextInt(4);
      customers.put(
          id,
          new Expected(
              v,
              v == 3 && id % 3 == 0 ? null : "n" + id,
              v == 3 && format.widens() ? 5_000_000_000L + id : id,
              "c" + id,
              v >= 2 && id % 2 == 0 ? "z" + id : null,
              v >= 1 && id % 5 != 0 ? "e" + id + "@x" : null));
    }
    return customers;
  }

  private static String text(JsonNode node) {
    return node.isNull() ? null : node.asText();
  }

  private static List<Schema> avroVersions(Format format) {
    return List.of(
        avroSchema(
            """
            {"name": "id", "type": "long"}, {"name": "name", "type": "string"},
            {"name": "visits", "type": "int"},
            {"name": "address", "type": {"type": "record", "name": "Address", "fields": [
              {"name": "city", "type": "string"}]}}"""),
        avroSchema( // v2: + email
            """
            {"name": "id", "type": "long"}, {"name": "name", "type": "string"},
            {"name": "visits", "type": "int"},
            {"name": "address", "type": {"type": "record", "name": "Address", "fields": [
              {"name": "city", "type": "string"}]}},
            {"name": "email", "type": ["null", "string"], "default": null}"""),
        avroSchema( // v3: + address.zip
            """
            {"name": "id", "type": "long"}, {"name": "name", "type": "string"},
            {"name": "visits", "type": "int"},
            {"name": "address", "type": {"type": "record", "name": "Address", "fields": [
              {"name": "city", "type": "string"},
              {"name": "zip", "type": ["null", "string"], "default": null}]}},
            {"name": "email", "type": ["null", "string"], "default": null}"""),
        avroSchema( // v4: visits int -> long (where the format can widen), name optional
            """
            {"name": "id", "type": "long"}, {"name": "name", "type": ["null", "string"], "default": null},
            {"name": "visits", "type": "%s"},
            {"name": "address", "type": {"type": "record", "name": "Address", "fields": [
              {"name": "city", "type": "string"},
              {"name": "zip", "type": ["null", "string"], "default": null}]}},
            {"name": "email", "type": ["null", "string"], "default": null}"""
                .formatted(format.widens() ? "long" : "int")));
  }

  private static Schema avroSchema(String fields) {
    return new Schema.Parser()
        .parse(
            "{\"type\": \"record\", \"name\": \"Customer\", \"namespace\": \"it.evolve\", \"fields\": ["
                + fields
                + "]}");
  }

  private static GenericRecord avro(List<Schema> versions, long id, Expected e) {
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

  private static byte[] protobuf(int schemaId, long id, Expected e) throws IOException {
    ByteArrayOutputStream address = new ByteArrayOutputStream();
    CodedOutputStream a = CodedOutputStream.newInstance(address);
    a.writeString(1, e.city());
    if (e.zip() != null) {
      a.writeString(2, e.zip());
    }
    a.flush();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.writeInt64(1, id);
    if (e.name() != null) {
      out.writeString(2, e.name());
    }
    if (e.version() == 3) {
      out.writeInt64(3, e.visits()); // a small positive varint: int32 and int64 encode it alike
    } else {
      out.writeInt32(3, (int) e.visits());
    }
    out.writeByteArray(4, address.toByteArray());
    if (e.email() != null) {
      out.writeString(5, e.email());
    }
    out.flush();
    return ConfluentFraming.protobuf(schemaId, bytes.toByteArray());
  }

  private static String jsonSchema(int v, Format format) {
    String address1 =
        "{\"type\": \"object\", \"properties\": {\"city\": {\"type\": \"string\"}}, \"required\": [\"city\"]}";
    String address2 =
        "{\"type\": \"object\", \"properties\": {\"city\": {\"type\": \"string\"},"
            + " \"zip\": {\"type\": \"string\"}}, \"required\": [\"city\"]}";
    return "{\"type\": \"object\", \"properties\": {\"id\": {\"type\": \"integer\"},"
        + " \"name\": {\"type\": \"string\"},"
        + " \"visits\": {\"type\": \"integer\", \"connect.type\": \""
        + (v == 3 && format.widens() ? "int64" : "int32")
        + "\"}, \"address\": "
        + (v >= 2 ? address2 : address1)
        + (v >= 1 ? ", \"email\": {\"type\": \"string\"}" : "")
        + "}, \"required\": [\"id\", \"visits\", \"address\""
        + (v == 3 ? "" : ", \"name\"")
        + "]}";
  }

  private static byte[] json(int schemaId, long id, Expected e) {
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
    byte[] payload = json.toString().getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(5 + payload.length)
        .put((byte) 0)
        .putInt(schemaId)
        .put(payload)
        .array();
  }
}
