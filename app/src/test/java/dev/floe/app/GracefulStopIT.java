package dev.floe.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floe.core.config.FloeConfig;
import dev.floe.embedded.KafkaBroker;
import dev.floe.testsupport.ConfluentAvroProducer;
import dev.floe.testsupport.SchemaRegistry;
import dev.floe.testsupport.SharedServices;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM is the graceful stop: what was read is committed before the process exits. */
class GracefulStopIT {
  static final KafkaBroker broker = SharedServices.broker();
  static final SchemaRegistry registry = SharedServices.registry();
  @TempDir Path dir;

  @Test
  void sigtermCommitsEverythingReadBeforeExiting() throws Exception {
    broker.createTopic("orders", 2);
    try (ConfluentAvroProducer producer =
        new ConfluentAvroProducer(broker.bootstrapServers(), registry)) {
      Events.produce(producer, "orders", 0, 20_000);
    }
    // No trigger fires during the run: only the stop can commit.
    Path config =
        TestConfigs.write(
            dir,
            broker,
            registry,
            "floe-stop",
            """
        workers: 2
        tables:
          - topics: [orders]
            table: sales.orders
            commit: { interval: 10m, max-records: 10000000 }
        """);
    FloeConfig parsed = ConfigFiles.load(config);

    try (ChildFloe floe = ChildFloe.run(config, Path.of("target", "graceful-stop", "run.log"))) {
      await().atMost(Duration.ofSeconds(60)).until(() -> floe.hasRead(20_000) || !floe.isAlive());
      assertThat(IcebergTables.rows(parsed, "sales.orders"))
          .as("nothing committed before the stop")
          .isEmpty();
      int exit = floe.terminate();
      assertThat(exit).as("exit code; log:\n%s", floe.logTail()).isZero();
    }

    assertThat(IcebergTables.rows(parsed, "sales.orders")).hasSize(20_000);
  }
}
