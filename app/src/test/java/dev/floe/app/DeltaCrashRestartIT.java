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
 * The exactly-once contract under SIGKILL for Delta tables, as {@link CrashRestartIT} shows it for
 * Iceberg: a child JVM is killed at random moments and right after it starts a commit (files being
 * closed, the log version not yet written), then restarted; the table ends up with every record
 * exactly once, and a final SIGTERM commits what was read.
 */
class DeltaCrashRestartIT {
  private static final int RECORDS = 200_000;
  static final KafkaBroker broker = SharedServices.broker();
  static final SchemaRegistry registry = SharedServices.registry();
  @TempDir Path dir;

  @Test
  void killNineAtRandomMomentsAndMidCommitLosesAndDoublesNothing() throws Exception {
    broker.createTopic("crash-delta", 4);
    List<RecordMetadata> produced;
    try (ConfluentAvroProducer producer =
        new ConfluentAvroProducer(broker.bootstrapServers(), registry)) {
      produced = Events.produce(producer, "crash-delta", 0, RECORDS);
    }
    String tables =
        """
        workers: 2
        tables:
          - topics: [crash-delta]
            table: raw.crash
            formats: [delta]
            partition-by: ["bucket[2](user)"]
            commit: { interval: 1s, max-records: %d }
        """;
    Path config =
        TestConfigs.write(dir, broker, registry, "floe-crash-delta", tables.formatted(5_000));
    FloeConfig parsed = ConfigFiles.load(config);
    KillLoop loop =
        new KillLoop(
            config,
            Path.of("target", "delta-crash-it"),
            () -> DeltaTables.rowCount(parsed, "raw.crash"),
            RECORDS);

    // SIGKILL the moment the next commit starts
    int kills = loop.killAndRestart(KillLoop.MidCommit.ON_COMMIT_LINE, new Random(2027));
    assertThat(kills).isGreaterThanOrEqualTo(5);

    // Final run commits only on stop: the rows it read reach the table through the SIGTERM path
    loop.stopGracefully(
        TestConfigs.write(
            dir,
            broker,
            registry,
            "floe-crash-delta",
            tables.formatted(10_000_000).replace("interval: 1s", "interval: 10m")));

    ExactlyOnce.assertExactlyOnce(
        "raw.crash",
        DeltaTables.rows(parsed, "raw.crash").stream().map(DeltaTables::position).toList(),
        produced,
        RECORDS);
  }
}
