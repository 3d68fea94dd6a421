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

  @Test
  void plansAdditionsAndWideningAndRefusesATypeChange() throws Exception {
    broker.createTopic("plan-visits", 1);
    try (ConfluentAvroProducer producer =
        new ConfluentAvroProducer(broker.bootstrapServers(), registry)) {
      GenericRecord r = new GenericData.Record(new Schema.Parser().parse(V1));
      r.put("id", 1L);
      r.put("visits", 3);
      producer.send("plan-visits", r).get();
    }
    String tables =
        """
        tables:
          - topics: [plan-visits]
            table: web.visits
            commit: { interval: 500ms }
        """;
    Path config = TestConfigs.write(dir, broker, registry, "floe-plan", tables);
    FloeConfig parsed = ConfigFiles.load(config);
    assertThat(
            Pipelines.runUntil(
                parsed,
                Duration.ofSeconds(60),
                () -> IcebergTables.rowCount(parsed, "web.visits") == 1))
        .isNull();

    Path v2 = dir.resolve("v2.avsc");
    Files.writeString(
        v2,
        V1.replace(
            "{\"name\": \"visits\", \"type\": \"int\"}",
            "{\"name\": \"visits\", \"type\": \"long\"},"
                + " {\"name\": \"email\", \"type\": [\"null\", \"string\"], \"default\": null}"));
    Cli.Result planned =
        Cli.floe(
            "plan-schema",
            "--config",
            config.toString(),
            "--topic",
            "plan-visits",
            "--schema-file",
            v2.toString());
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
    Cli.Result refused =
        Cli.floe(
            "plan-schema",
            "--config",
            config.toString(),
            "--topic",
            "plan-visits",
            "--subject",
            "plan-visits-value");
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.out())
        .contains("web.visits: refused")
        .contains("column 'visits' has type int but the rows' field has type STRING");
  }

  @Test
  void plansADeltaTableAndRefusesWideningWhichDeltaCannotDo() throws Exception {
    broker.createTopic("plan-visits-delta", 1);
    try (ConfluentAvroProducer producer =
        new ConfluentAvroProducer(broker.bootstrapServers(), registry)) {
      GenericRecord r = new GenericData.Record(new Schema.Parser().parse(V1));
      r.put("id", 1L);
      r.put("visits", 3);
      producer.send("plan-visits-delta", r).get();
    }
    String tables =
        """
        tables:
          - topics: [plan-visits-delta]
            table: web.visits_delta
            formats: [delta]
            commit: { interval: 500ms }
        """;
    Path config = TestConfigs.write(dir, broker, registry, "floe-plan-delta", tables);
    FloeConfig parsed = ConfigFiles.load(config);
    assertThat(
            Pipelines.runUntil(
                parsed,
                Duration.ofSeconds(60),
                () -> DeltaTables.rowCount(parsed, "web.visits_delta") == 1))
        .isNull();

    Path added = dir.resolve("added.avsc");
    Files.writeString(
        added,
        V1.replace(
            "{\"name\": \"visits\", \"type\": \"int\"}",
            "{\"name\": \"visits\", \"type\": \"int\"},"
                + " {\"name\": \"email\", \"type\": [\"null\", \"string\"], \"default\": null}"));
    Cli.Result planned =
        Cli.floe(
            "plan-schema",
            "--config",
            config.toString(),
            "--topic",
            "plan-visits-delta",
            "--schema-file",
            added.toString());
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

    Path widened = dir.resolve("widened.avsc");
    Files.writeString(widened, V1.replace("\"type\": \"int\"", "\"type\": \"long\""));
    Cli.Result refused =
        Cli.floe(
            "plan-schema",
            "--config",
            config.toString(),
            "--topic",
            "plan-visits-delta",
            "--schema-file",
            widened.toString());
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.out())
        .contains("web.visits_delta (delta): refused")
        .contains("Delta protocol (1, 2) cannot widen a column's type");
  }
}
