package dev.floe.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.consumer.Pipeline;
import dev.floe.core.PartitionOffsets;
import dev.floe.core.SourcePartition;
import dev.floe.core.config.FloeConfig;
import dev.floe.core.sink.TableSpec;
import dev.floe.embedded.KafkaBroker;
import dev.floe.sinks.iceberg.IcebergTableSink;
import dev.floe.testsupport.ConfluentAvroProducer;
import dev.floe.testsupport.SchemaRegistry;
import dev.floe.testsupport.SharedServices;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker whose partition was committed by another writer while its batch was open (a zombie after
 * a rebalance) must not commit: it drops its files, re-reads the table's offsets and goes on from
 * there, so that nothing is doubled.
 */
class ZombieFencingIT {
  static final KafkaBroker broker = SharedServices.broker();
  static final SchemaRegistry registry = SharedServices.registry();
  @TempDir Path dir;

  @Test
  void aBatchWhosePartitionMovedUnderItIsDroppedAndTheWorkerResumesFromTheTable() throws Exception {
    broker.createTopic("zombie", 1);
    FloeConfig config =
        TestConfigs.parse(
            dir,
            broker,
            registry,
            """
        tables:
          - topics: [zombie]
            table: raw.zombie
            commit: { interval: 4s }
        """);
    SourcePartition p = new SourcePartition("zombie", 0);
    try (ConfluentAvroProducer producer =
        new ConfluentAvroProducer(broker.bootstrapServers(), registry)) {
      Events.produce(producer, "zombie", 0, 100);
      assertThat(
              Pipelines.runUntil(
                  config,
                  Duration.ofSeconds(30),
                  () -> IcebergTables.rowCount(config, "raw.zombie") == 100))
          .isNull();
      Events.produce(producer, "zombie", 100, 900);
    }

    try (IcebergTableSink sink = new IcebergTableSink(config);
        Pipeline pipeline = new Pipeline(config, Map.of(sink.format(), sink))) {
      pipeline.start();
      // Given the worker has read offsets 100..999 into a batch it has not committed yet
      await().atMost(Duration.ofSeconds(30)).until(() -> pipeline.stats().recordsRead() >= 900);
      assertThat(pipeline.stats().commits()).isZero();

      // When another writer of the group commits the partition up to offset 500 first
      try (IcebergTableSink other = new IcebergTableSink(config)) {
        TableSpec spec =
            new TableSpec(
                config.tables().get(0).tableFor("zombie"),
                "local",
                List.of(),
                128L << 20,
                Map.of());
        other
            .newBatch(spec)
            .commit(
                config.groupId(),
                PartitionOffsets.of(Map.of(p, 100L)),
                PartitionOffsets.of(Map.of(p, 500L)));
      }

      // Then the worker's commit is fenced, and it goes on from offset 500
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  pipeline.failure() != null
                      || IcebergTables.rowCount(config, "raw.zombie") >= 600);
      assertThat(pipeline.failure()).isNull();
    }
    List<Long> offsets =
        IcebergTables.rows(config, "raw.zombie").stream()
            .map(r -> (Long) ((Record) r.getField("_kafka")).getField("offset"))
            .sorted()
            .collect(Collectors.toList());
    List<Long> expected = LongStream.range(0, 100).boxed().collect(Collectors.toList());
    expected.addAll(LongStream.range(500, 1_000).boxed().toList());
    assertThat(offsets).isEqualTo(expected);
  }
}
