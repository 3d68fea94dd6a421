package dev.floe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.core.config.FloeConfig;
import dev.floe.embedded.KafkaBroker;
import dev.floe.testsupport.ConfluentAvroProducer;
import dev.floe.testsupport.SchemaRegistry;
import dev.floe.testsupport.SharedServices;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each table keeps its own offsets: a partition that feeds two tables resumes from the smaller
 * offset, and each table skips what it already holds.
 */
class TwoTablesOneTopicIT {
  static final KafkaBroker broker = SharedServices.broker();
  static final SchemaRegistry registry = SharedServices.registry();
  @TempDir Path dir;

  @Test
  void aTableAddedLaterGetsTheWholeTopicWhileTheOldTableGetsOnlyTheNewRecords() throws Exception {
    broker.createTopic("fan", 2);
    try (ConfluentAvroProducer producer =
        new ConfluentAvroProducer(broker.bootstrapServers(), registry)) {
      Events.produce(producer, "fan", 0, 1_000);
    }
    FloeConfig first =
        TestConfigs.parse(
            dir,
            broker,
            registry,
            """
        tables:
          - topics: [fan]
            table: copies.first
            commit: { interval: 500ms }
        """);
    assertThat(
            Pipelines.runUntil(
                first,
                Duration.ofSeconds(60),
                () -> IcebergTables.rowCount(first, "copies.first") == 1_000))
        .isNull();

    // Given more records and a second mapping of the same topic
    try (ConfluentAvroProducer producer =
        new ConfluentAvroProducer(broker.bootstrapServers(), registry)) {
      Events.produce(producer, "fan", 1_000, 500);
    }
    FloeConfig both =
        TestConfigs.parse(
            dir,
            broker,
            registry,
            """
        tables:
          - topics: [fan]
            table: copies.first
            commit: { interval: 500ms }
          - topics: [fan]
            table: copies.second
            commit: { interval: 500ms }
        """);

    // When the pipeline runs with both
    assertThat(
            Pipelines.runUntil(
                both,
                Duration.ofSeconds(60),
                () ->
                    IcebergTables.rowCount(both, "copies.first") == 1_500
                        && IcebergTables.rowCount(both, "copies.second") == 1_500))
        .isNull();

    // Then each table holds every record exactly once
    for (String table : List.of("copies.first", "copies.second")) {
      Map<String, Long> copies =
          IcebergTables.rows(both, table).stream()
              .collect(Collectors.groupingBy(IcebergTables::position, Collectors.counting()));
      assertThat(copies).as(table).hasSize(1_500);
      assertThat(copies.values()).as(table + ": no record twice").allMatch(n -> n == 1);
    }
  }
}
