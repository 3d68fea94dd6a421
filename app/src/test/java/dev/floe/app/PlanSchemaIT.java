package dev.floe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.core.config.FloeConfig;
import dev.floe.embedded.KafkaBroker;
import dev.floe.testsupport.ConfluentAvroProducer;
import dev.floe.testsupport.SchemaRegistry;
import dev.floe.testsupport.SharedServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code floe plan-schema} against a real table and registry, before any producer uses v2. */
class PlanSchemaIT {
  static final KafkaBroker broker = SharedServices.broker();
  static final SchemaRegistry registry = SharedServices.registry();
  @TempDir Path dir;

  static final String V1 =
      """
      {"type": "record", "name": "Visit", "namespace": "it.plan", "fields": [
        {"name": "id", "type": "long"}, {"name": "visits", "type": "int"}]}""";
  static final String VISITS_INT = "{\"name\": \"visits\", \"type\": \"int\"}";
  static final String EMAIL =
      "{\"name\": \"email\", \"type\": [\"null\", \"string\"], \"default\": null}";

  @Test
  void plansAdditionsAndWideningAndRefusesATypeChange() throws Exception {
    Path config =
        tableWithOneV1Row(
            "plan-visits",
            """
            tables:
              - topics: [plan-visits]
                table: web.visits
                commit: { interval: 500ms }
            """,
            parsed -> IcebergTables.rowCount(parsed, "web.visits"));
    FloeConfig parsed = ConfigFiles.load(config);

    Path v2 = schemaFile("v2.avsc", "{\"name\": \"visits\", \"type\": \"long\"}, " + EMAIL);
    Cli.Result planned = planSchema(config, "plan-visits", "--schema-file", v2.toString());
    assertThat(planned.exitCode()).isZero();
    assertThat(planned.out())
        .contains("web.visits: 2 change(s), allowed by schema-evolution: full")
        .contains("widen column visits from int to long")
        .contains("add column email string");
    assertThat(IcebergTables.load(parsed, "web.visits").schema().findField("email"))
        .as("a plan changes nothing")
        .isNull();

    registry.register(
        "plan-visits-value", "AVRO", V1.replace("\"type\": \"int\"", "\"type\": \"string\""));
    Cli.Result refused = planSchema(config, "plan-visits", "--subject", "plan-visits-value");
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.out())
        .contains("web.visits: refused")
        .contains("column 'visits' has type int but the rows' field has type STRING");
  }

  @Test
  void plansADeltaTableAndRefusesWideningWhichDeltaCannotDo() throws Exception {
    Path config =
        tableWithOneV1Row(
            "plan-visits-delta",
            """
            tables:
              - topics: [plan-visits-delta]
                table: web.visits_delta
                formats: [delta]
                commit: { interval: 500ms }
            """,
            parsed -> DeltaTables.rowCount(parsed, "web.visits_delta"));
    FloeConfig parsed = ConfigFiles.load(config);

    Path added = schemaFile("added.avsc", VISITS_INT + ", " + EMAIL);
    Cli.Result planned = planSchema(config, "plan-visits-delta", "--schema-file", added.toString());
    assertThat(planned.exitCode()).as(planned.out()).isZero();
    assertThat(planned.out())
        .contains("web.visits_delta (delta): 1 change(s), allowed by schema-evolution: full")
        .contains("add column email string");
    assertThat(
            DeltaTables.log(parsed, "web.visits_delta")
                .update()
                .getMetadata()
                .getSchema()
                .getFieldNames())
        .as("a plan changes nothing")
        .doesNotContain("email");

    Path widened = schemaFile("widened.avsc", "{\"name\": \"visits\", \"type\": \"long\"}");
    Cli.Result refused =
        planSchema(config, "plan-visits-delta", "--schema-file", widened.toString());
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.out())
        .contains("web.visits_delta (delta): refused")
        .contains("Delta protocol (1, 2) cannot widen a column's type");
  }

  /**
   * Given: one v1 record on a new topic, and a pipeline from {@code tables} that has run until the
   * table holds it. Returns the config file.
   */
  private Path tableWithOneV1Row(String topic, String tables, ToLongFunction<FloeConfig> rows)
      throws Exception {
    broker.createTopic(topic, 1);
    try (ConfluentAvroProducer producer =
        new ConfluentAvroProducer(broker.bootstrapServers(), registry)) {
      GenericRecord r = new GenericData.Record(new Schema.Parser().parse(V1));
      r.put("id", 1L);
      r.put("visits", 3);
      producer.send(topic, r).get();
    }
    Path config = TestConfigs.write(dir, broker, registry, "floe-" + topic, tables);
    FloeConfig parsed = ConfigFiles.load(config);
    assertThat(
            Pipelines.runUntil(parsed, Duration.ofSeconds(60), () -> rows.applyAsLong(parsed) == 1))
        .isNull();
    return config;
  }

  /** V1 with its visits field replaced by {@code fields}, written to {@code name}. */
  private Path schemaFile(String name, String fields) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, V1.replace(VISITS_INT, fields));
    return file;
  }

  /** {@code floe plan-schema} for a topic, the new schema given by {@code source}. */
  private static Cli.Result planSchema(Path config, String topic, String... source) {
    List<String> args =
        new ArrayList<>(List.of("plan-schema", "--config", config.toString(), "--topic", topic));
    args.addAll(List.of(source));
    return Cli.floe(args.toArray(String[]::new));
  }
}
