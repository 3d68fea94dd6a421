package dev.floe.app;

import static org.assertj.core.api.Assertions.assertThat;

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
  }

  private static GenericRecord record(long id, Expected e) {
    Schema schema = VERSIONS.get(e.version());
    GenericRecord r = new GenericData.Record(schema);
    r.put("id", id);
    r.put("name", e.name());
    r.put("visits", e.version() == 3 ? (Object) e.visits() : (Object) (int) e.visits());
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
