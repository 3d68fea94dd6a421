package dev.floe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.core.config.FloeConfig;
import dev.floe.embedded.KafkaBroker;
import dev.floe.testsupport.ConfluentAvroProducer;
import dev.floe.testsupport.SchemaRegistry;
import dev.floe.testsupport.SharedServices;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two formats of one mapping are two tables with their own offsets: a Delta table added to an
 * Iceberg mapping later gets the whole topic, while the Iceberg table gets only the new records.
 */
class FormatsOfOneMappingIT {
  static final KafkaBroker broker = SharedServices.broker();
  static final SchemaRegistry registry = SharedServices.registry();
  @TempDir Path dir;

  @Test
  void deltaAddedLaterGetsTheWholeTopicWhileIcebergGetsOnlyTheNewRecords() throws Exception {
    broker.createTopic("formats", 2);
    try (ConfluentAvroProducer producer =
        new ConfluentAvroProducer(broker.bootstrapServers(), registry)) {
      Events.produce(producer, "formats", 0, 1_000);
    }
    String mapping =
        """
        tables:
          - topics: [formats]
            table: copies.events
            formats: %s
            commit: { interval: 500ms }
        """;
    FloeConfig icebergOnly =
        TestConfigs.parse(dir, broker, registry, mapping.formatted("[iceberg]"));
    assertThat(
            Pipelines.runUntil(
                icebergOnly,
                Duration.ofSeconds(60),
                () -> IcebergTables.rowCount(icebergOnly, "copies.events") == 1_000))
        .isNull();
    assertThat(DeltaTables.rowCount(icebergOnly, "copies.events")).isZero();

    try (ConfluentAvroProducer producer =
        new ConfluentAvroProducer(broker.bootstrapServers(), registry)) {
      Events.produce(producer, "formats", 1_000, 500);
    }
    FloeConfig both =
        TestConfigs.parse(dir, broker, registry, mapping.formatted("[iceberg, delta]"));
    assertThat(
            Pipelines.runUntil(
                both,
                Duration.ofSeconds(60),
                () ->
                    IcebergTables.rowCount(both, "copies.events") == 1_500
                        && DeltaTables.rowCount(both, "copies.events") == 1_500))
        .isNull();

    Map<String, Long> iceberg =
        IcebergTables.rows(both, "copies.events").stream()
            .collect(Collectors.groupingBy(IcebergTables::position, Collectors.counting()));
    Map<String, Long> delta =
        DeltaTables.rows(both, "copies.events").stream()
            .collect(Collectors.groupingBy(DeltaTables::position, Collectors.counting()));
    assertThat(iceberg).hasSize(1_500);
    assertThat(iceberg.values()).as("iceberg: no record twice").allMatch(n -> n == 1);
    assertThat(delta.keySet()).as("delta: the same records").isEqualTo(iceberg.keySet());
    assertThat(delta.values()).as("delta: no record twice").allMatch(n -> n == 1);
  }
}
