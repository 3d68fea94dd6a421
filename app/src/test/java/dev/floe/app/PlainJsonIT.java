package dev.floe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.core.BadRecordException;
import dev.floe.core.config.FloeConfig;
import dev.floe.embedded.KafkaBroker;
import dev.floe.testsupport.SchemaRegistry;
import dev.floe.testsupport.SharedServices;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plain JSON without a registry: the mapping's value-schema describes the values. */
class PlainJsonIT {
  static final KafkaBroker broker = SharedServices.broker();
  static final SchemaRegistry registry = SharedServices.registry();
  @TempDir Path dir;

  private static final String SCHEMA =
      """
      {"$schema": "http://json-schema.org/draft-07/schema#", "type": "object",
       "properties": {
         "id": {"type": "integer"},
         "name": {"type": "string"},
         "day": {"type": "string", "format": "date"},
         "at": {"type": "string", "format": "date-time"},
         "tags": {"type": "array", "items": {"type": "string"}},
         "price": {"type": ["number", "null"]}
       },
       "required": ["id", "name"]}""";

  @Test
  void plainJsonValuesLandTypedAndAValueThatDoesNotFitStopsThePipeline() throws Exception {
    broker.createTopic("plain", 1);
    Files.writeString(dir.resolve("plain.json"), SCHEMA);
    List<String> values =
        List.of(
            "{\"id\": 1, \"name\": \"a\", \"day\": \"2026-11-21\", \"at\": \"2026-11-21T10:15:30.5+01:00\", \"tags\": [\"x\", \"y\"], \"price\": 9.5}",
            "{\"name\": \"b\", \"id\": 2, \"price\": null}",
            "{\"id\": \"three\", \"name\": \"c\"}");
    RawRecords.send(
        broker, "plain", values.stream().map(v -> v.getBytes(StandardCharsets.UTF_8)).toList());
    FloeConfig config =
        TestConfigs.parse(
            dir,
            broker,
            registry,
            """
        tables:
          - topics: [plain]
            table: raw.plain
            value-format: json
            value-schema: plain.json
            commit: { interval: 1s }
        """);

    Throwable failure = Pipelines.runUntil(config, Duration.ofSeconds(60), () -> false);

    assertThat(failure)
        .isInstanceOf(BadRecordException.class)
        .hasMessageContaining("topic 'plain' partition 0 offset 2")
        .hasMessageContaining("id");
    List<Record> rows = IcebergTables.rows(config, "raw.plain");
    rows.sort(Comparator.comparing(r -> (Long) r.getField("id")));
    assertThat(rows).hasSize(2);
    Record first = rows.get(0);
    assertThat(first.getField("name")).isEqualTo("a");
    assertThat(first.getField("day")).isEqualTo(LocalDate.of(2026, 11, 21));
    assertThat(first.getField("at")).isEqualTo(OffsetDateTime.parse("2026-11-21T09:15:30.500Z"));
    assertThat(first.getField("tags")).isEqualTo(List.of("x", "y"));
    assertThat(new BigDecimal(first.getField("price").toString())).isEqualByComparingTo("9.5");
    Record second = rows.get(1);
    assertThat(second.getField("name")).isEqualTo("b");
    assertThat(second.getField("price")).isNull();
    assertThat(second.getField("day")).isNull();
  }
}
