package dev.floe.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.consumer.Pipeline;
import dev.floe.core.config.FloeConfig;
import dev.floe.embedded.KafkaBroker;
import dev.floe.sinks.iceberg.IcebergTableSink;
import dev.floe.testsupport.ConfluentAvroProducer;
import dev.floe.testsupport.SchemaRegistry;
import dev.floe.testsupport.SharedServices;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tables hold the offsets that matter, but Floe also commits the consumer group's offsets after
 * each table commit so that ordinary lag monitoring (kafka-consumer-groups, Burrow, exporters) sees
 * how far behind it is.
 */
class GroupOffsetsIT {
  private static final String TOPIC = "lag-watched";
  private static final String GROUP = "floe-group-offsets-it";
  private static final int PARTITIONS = 3;

  static final KafkaBroker broker = SharedServices.broker();
  static final SchemaRegistry registry = SharedServices.registry();
  @TempDir Path dir;

  @Test
  void groupOffsetsReachTheEndOfEveryPartitionOnceTheTableHoldsEverything() throws Exception {
    broker.createTopic(TOPIC, PARTITIONS);
    int events = 1500;
    try (ConfluentAvroProducer producer =
        new ConfluentAvroProducer(broker.bootstrapServers(), registry)) {
      // Explicit partitions: the sticky partitioner could leave one empty, and a partition Floe
      // never read has no group offset at all (lag tools show "-" rather than 0 for it).
      for (int i = 0; i < events; i++) {
        producer.send(TOPIC, i % PARTITIONS, null, Events.event(i), null);
      }
      producer.flush();
    }
    FloeConfig config =
        ConfigFiles.load(
            TestConfigs.write(
                dir,
                broker,
                registry,
                GROUP,
                """
                tables:
                  - topics: [%s]
                    table: ops.lag_watched
                    commit: { interval: 1s, max-records: 400 }
                """
                    .formatted(TOPIC)));

    try (Admin admin = broker.admin();
        IcebergTableSink sink = new IcebergTableSink(config);
        Pipeline pipeline = new Pipeline(config, Map.of("iceberg", sink))) {
      Map<TopicPartition, Long> end = endOffsets(admin);
      assertThat(end).containsOnlyKeys(partitions()).doesNotContainValue(0L);

      pipeline.start();

      await("the table to hold all " + events + " events")
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  pipeline.failure() != null
                      || IcebergTables.rows(config, "ops.lag_watched").size() >= events);
      assertThat(pipeline.failure()).isNull();

      // Committed asynchronously after the table commit, so give it a moment.
      await("group offsets of " + GROUP + " to reach the end of every partition")
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(groupOffsets(admin)).isEqualTo(end));
      assertThat(IcebergTables.rows(config, "ops.lag_watched")).hasSize(events);
    }
  }

  private static List<TopicPartition> partitions() {
    return IntStream.range(0, PARTITIONS).mapToObj(p -> new TopicPartition(TOPIC, p)).toList();
  }

  private static Map<TopicPartition, Long> endOffsets(Admin admin) throws Exception {
    Map<TopicPartition, OffsetSpec> latest =
        partitions().stream()
            .collect(Collectors.toMap(Function.identity(), tp -> OffsetSpec.latest()));
    Map<TopicPartition, Long> end = new HashMap<>();
    admin.listOffsets(latest).all().get().forEach((tp, info) -> end.put(tp, info.offset()));
    return end;
  }

  private static Map<TopicPartition, Long> groupOffsets(Admin admin) throws Exception {
    Map<TopicPartition, Long> committed = new HashMap<>();
    Map<TopicPartition, OffsetAndMetadata> offsets =
        admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get();
    offsets.forEach(
        (tp, om) -> {
          if (tp.topic().equals(TOPIC) && om != null) {
            committed.put(tp, om.offset());
          }
        });
    return committed;
  }
}
