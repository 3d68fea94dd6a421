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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.apache.iceberg.data.Record;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Members join and leave the group while records flow: every record still lands exactly once. Each
 * member has its own sink and catalog connection, as separate processes would.
 */
class RebalanceIT {
  static final KafkaBroker broker = SharedServices.broker();
  static final SchemaRegistry registry = SharedServices.registry();
  @TempDir Path dir;

  @Test
  void thirdMemberJoinsAndOneLeavesMidStreamWithNothingLostOrDoubled() throws Exception {
    broker.createTopic("clicks", 6);
    FloeConfig config =
        TestConfigs.parse(
            dir,
            broker,
            registry,
            """
        tables:
          - topics: [clicks]
            table: web.clicks
            commit: { interval: 1s, max-records: 2000 }
        """);
    CompletableFuture<List<RecordMetadata>> producing =
        CompletableFuture.supplyAsync(() -> produceSlowly(60_000));

    Member a = new Member(config);
    Member b = new Member(config);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> IcebergTables.rowCount(config, "web.clicks") > 5_000);
    Member c = new Member(config);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> IcebergTables.rowCount(config, "web.clicks") > 25_000);
    a.close(); // leaves the group: its partitions move to b and c
    List<RecordMetadata> produced = producing.get();
    await()
        .atMost(Duration.ofSeconds(120))
        .until(
            () ->
                IcebergTables.rowCount(config, "web.clicks") >= produced.size()
                    || b.pipeline.failure() != null
                    || c.pipeline.failure() != null);
    b.close();
    c.close();

    assertThat(a.pipeline.failure()).isNull();
    assertThat(b.pipeline.failure()).isNull();
    assertThat(c.pipeline.failure()).isNull();
    List<Record> rows = IcebergTables.rows(config, "web.clicks");
    Map<String, Long> copies =
        rows.stream()
            .collect(Collectors.groupingBy(IcebergTables::position, Collectors.counting()));
    Set<String> expected =
        produced.stream().map(m -> m.partition() + "/" + m.offset()).collect(Collectors.toSet());
    assertThat(copies.values()).as("no record twice").allMatch(n -> n == 1);
    assertThat(copies.keySet()).as("every record once").isEqualTo(expected);
  }

  private static List<RecordMetadata> produceSlowly(int count) {
    try (ConfluentAvroProducer producer =
        new ConfluentAvroProducer(broker.bootstrapServers(), registry)) {
      List<RecordMetadata> all = new java.util.ArrayList<>();
      for (int i = 0; i < count; i += 2_000) {
        all.addAll(Events.produce(producer, "clicks", i, 2_000));
        Thread.sleep(150);
      }
      return all;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** One group member: a pipeline with its own sink. */
  private static final class Member implements AutoCloseable {
    final IcebergTableSink sink;
    final Pipeline pipeline;

    Member(FloeConfig config) {
      sink = new IcebergTableSink(config);
      pipeline = new Pipeline(config, Map.of("iceberg", sink));
      pipeline.start();
    }

    @Override
    public void close() {
      pipeline.close();
      sink.close();
    }
  }
}
