package dev.floe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.core.config.FloeConfig;
import dev.floe.embedded.KafkaBroker;
import dev.floe.testsupport.ConfluentAvroProducer;
import dev.floe.testsupport.SchemaRegistry;
import dev.floe.testsupport.SharedServices;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exactly-once contract under SIGKILL: a child JVM running {@code floe run} is killed at random
 * moments and right after it starts a commit, then restarted; the table ends up with every record
 * exactly once. A final SIGTERM shows the graceful stop commits what was read.
 */
class CrashRestartIT {
  private static final int RECORDS = 200_000;
  static final KafkaBroker broker = SharedServices.broker();
  static final SchemaRegistry registry = SharedServices.registry();
  @TempDir Path dir;

  @Test
  void killNineAtRandomMomentsAndMidCommitLosesAndDoublesNothing() throws Exception {
    broker.createTopic("crash", 4);
    List<RecordMetadata> produced;
    try (ConfluentAvroProducer producer =
        new ConfluentAvroProducer(broker.bootstrapServers(), registry)) {
      produced = Events.produce(producer, "crash", 0, RECORDS);
    }
    String tables =
        """
        workers: 2
        tables:
          - topics: [crash]
            table: raw.crash
            partition-by: ["bucket[2](user)"]
            commit: { interval: 1s, max-records: %d }
        """;
    Path config = TestConfigs.write(dir, broker, registry, "floe-crash", tables.formatted(10_000));
    FloeConfig parsed = ConfigFiles.load(config);
    KillLoop loop =
        new KillLoop(
            config,
            Path.of("target", "crash-it"),
            () -> IcebergTables.rowCount(parsed, "raw.crash"),
            RECORDS);

    // kill mid-commit right after the commit starts: files written, snapshot not yet swapped in
    int kills = loop.killAndRestart(KillLoop.MidCommit.AFTER_COMMIT_STARTS, new Random(2026));
    assertThat(kills).isGreaterThanOrEqualTo(5);

    // Final run: commits only on stop, so the rows it read reach the table only through the SIGTERM
    // path.
    loop.stopGracefully(
        TestConfigs.write(
            dir,
            broker,
            registry,
            "floe-crash",
            tables.formatted(10_000_000).replace("interval: 1s", "interval: 10m")));

    ExactlyOnce.assertExactlyOnce(
        "raw.crash",
        IcebergTables.rows(parsed, "raw.crash").stream().map(IcebergTables::position).toList(),
        produced,
        RECORDS);
  }
}
