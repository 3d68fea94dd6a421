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
import java.util.List;
import org.apache.iceberg.Snapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each commit trigger on its own: the other two are set so that they cannot fire. */
class CommitTriggersIT {
  static final KafkaBroker broker = SharedServices.broker();
  static final SchemaRegistry registry = SharedServices.registry();
  @TempDir Path dir;

  @Test
  void maxRecordsCutsBatchesAtExactlyThatManyRows() throws Exception {
    FloeConfig config =
        produceAndConfigure("by-records", 5_000, "{ interval: 10m, max-records: 1000 }");

    assertThat(
            Pipelines.runUntil(
                config,
                Duration.ofSeconds(60),
                () -> IcebergTables.rowCount(config, "triggers.by_records") == 5_000))
        .isNull();

    assertThat(addedRecords(config, "triggers.by_records"))
        .containsExactly(1000L, 1000L, 1000L, 1000L, 1000L);
  }

  @Test
  void maxBytesCommitsLongBeforeTheRecordLimit() throws Exception {
    FloeConfig config =
        produceAndConfigure("by-bytes", 5_000, "{ interval: 10m, max-bytes: 1KiB }");

    assertThat(
            Pipelines.runUntil(
                config,
                Duration.ofSeconds(60),
                () -> IcebergTables.rowCount(config, "triggers.by_bytes") == 5_000))
        .isNull();

    // the sink refreshes its size estimate every 1,000 rows, so each batch ends at the first
    // refresh
    assertThat(addedRecords(config, "triggers.by_bytes"))
        .hasSizeGreaterThanOrEqualTo(4)
        .allMatch(n -> n <= 1_000);
  }

  @Test
  void intervalCommitsASmallBatchWhileRecordsKeepNotArriving() throws Exception {
    FloeConfig config = produceAndConfigure("by-time", 200, "{ interval: 1s }");

    assertThat(
            Pipelines.runUntil(
                config,
                Duration.ofSeconds(30),
                () -> IcebergTables.rowCount(config, "triggers.by_time") == 200))
        .isNull();

    assertThat(addedRecords(config, "triggers.by_time")).containsExactly(200L);
  }

  private FloeConfig produceAndConfigure(String topic, int records, String commit)
      throws Exception {
    broker.createTopic(topic, 1);
    try (ConfluentAvroProducer producer =
        new ConfluentAvroProducer(broker.bootstrapServers(), registry)) {
      Events.produce(producer, topic, 0, records);
    }
    return TestConfigs.parse(
        dir,
        broker,
        registry,
        """
        tables:
          - topics: [%s]
            table: triggers.${topic}
            commit: %s
        """
            .formatted(topic, commit));
  }

  /** Rows added by each snapshot, oldest first. */
  private static List<Long> addedRecords(FloeConfig config, String table) {
    List<Long> added = new ArrayList<>();
    for (Snapshot s : IcebergTables.load(config, table).snapshots()) {
      added.add(Long.parseLong(s.summary().getOrDefault("added-records", "0")));
    }
    return added;
  }
}
