package dev.floe.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.CodedOutputStream;
import dev.floe.core.config.FloeConfig;
import dev.floe.embedded.KafkaBroker;
import dev.floe.testsupport.ConfluentAvroProducer;
import dev.floe.testsupport.SchemaRegistry;
import dev.floe.testsupport.SharedServices;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A producer renames a field between schema versions: a Protobuf field keeps its number, an Avro
 * field lists its old name as an alias. Records of both versions, interleaved, land in the one
 * column the table already has.
 */
class FieldIdentityIT {
  static final KafkaBroker broker = SharedServices.broker();
  static final SchemaRegistry registry = SharedServices.registry();
  @TempDir Path dir;

  @Test
  void aProtobufFieldRenamedUnderItsNumberKeepsItsColumn() throws Exception {
    String topic = "identity-proto";
    broker.createTopic(topic, 1);
    int v1 =
        registry.register(
            topic + "-value",
            "PROTOBUF",
            "syntax = \"proto3\"; message Person { int64 id = 1; string name = 2; }");
    int v2 =
        registry.register(
            topic + "-value",
            "PROTOBUF",
            "syntax = \"proto3\"; message Person { int64 id = 1; string full_name = 2; }");
    RawRecords.send(
        broker, topic, List.of(person(v1, 1, "ann"), person(v2, 2, "bo"), person(v1, 3, "cy")));

    Map<Long, Object> names = run(topic, "people.proto", 3);

    assertThat(names).isEqualTo(Map.of(1L, "ann", 2L, "bo", 3L, "cy"));
  }

  @Test
  void anAvroFieldRenamedWithAnAliasKeepsItsColumn() throws Exception {
    String topic = "identity-avro";
    broker.createTopic(topic, 1);
    Schema v1 =
        new Schema.Parser()
            .parse(
                """
                {"type": "record", "name": "Person", "namespace": "it.identity", "fields": [
                  {"name": "id", "type": "long"}, {"name": "name", "type": "string"}]}""");
    Schema v2 =
        new Schema.Parser()
            .parse(
                """
                {"type": "record", "name": "Person", "namespace": "it.identity", "fields": [
                  {"name": "id", "type": "long"},
                  {"name": "full_name", "aliases": ["name"], "type": "string"}]}""");
    try (ConfluentAvroProducer producer =
        new ConfluentAvroProducer(broker.bootstrapServers(), registry)) {
      producer.send(topic, avro(v1, 1, "name", "ann")).get();
      producer.send(topic, avro(v2, 2, "full_name", "bo")).get();
      producer.send(topic, avro(v1, 3, "name", "cy")).get();
    }

    Map<Long, Object> names = run(topic, "people.avro", 3);

    assertThat(names).isEqualTo(Map.of(1L, "ann", 2L, "bo", 3L, "cy"));
  }

  /** Runs the topic into {@code table} and returns id → the {@code name} column. */
  private Map<Long, Object> run(String topic, String table, int rows) {
    FloeConfig config =
        TestConfigs.parse(
            dir,
            broker,
            registry,
            """
        tables:
          - topics: [%s]
            table: %s
            commit: { interval: 500ms }
        """
                .formatted(topic, table));
    assertThat(
            Pipelines.runUntil(
                config,
                Duration.ofSeconds(60),
                () -> IcebergTables.rowCount(config, table) == rows))
        .isNull();
    assertThat(IcebergTables.load(config, table).schema().columns())
        .extracting(Types.NestedField::name)
        .containsExactly("id", "name", "_kafka");
    return IcebergTables.rows(config, table).stream()
        .collect(Collectors.toMap(r -> (Long) r.getField("id"), r -> r.getField("name")));
  }

  private static GenericRecord avro(Schema schema, long id, String field, String name) {
    GenericRecord r = new GenericData.Record(schema);
    r.put("id", id);
    r.put(field, name);
    return r;
  }

  /** A Person message, framed the Confluent way. */
  private static byte[] person(int schemaId, long id, String name) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.writeInt64(1, id);
    out.writeString(2, name);
    out.flush();
    return ConfluentFraming.protobuf(schemaId, bytes.toByteArray());
  }
}
