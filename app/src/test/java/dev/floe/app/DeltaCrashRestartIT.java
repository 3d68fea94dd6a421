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
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exactly-once contract under SIGKILL for Delta tables, as {@link CrashRestartIT} shows it for
 * Iceberg: a child JVM is killed at random moments and right after it starts a commit (files being
 * closed, the log version not yet written), then restarted; the table ends up with every record
 * exactly once, and a final SIGTERM commits what was read.
 */
class DeltaCrashRestartIT {
  private static final Logger LOG = LoggerFactory.getLogger(DeltaCrashRestartIT.class);
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
    Random random = new Random(2027);
    Path logs = Path.of("target", "delta-crash-it");

    int kills = 0;
    int midCommitKills = 0;
    while (kills < 6 || midCommitKills < 3) {
      boolean midCommit = kills % 2 == 0; // first, so that even five kills hold three of them
      long before = DeltaTables.rowCount(parsed, "raw.crash");
      try (ChildFloe floe = ChildFloe.run(config, logs.resolve("run-" + kills + ".log"))) {
        await()
            .atMost(Duration.ofSeconds(90))
            .until(() -> DeltaTables.rowCount(parsed, "raw.crash") > before || !floe.isAlive());
        assertThat(floe.isAlive()).as("floe died by itself:\n%s", floe.logTail()).isTrue();
        if (midCommit) { // SIGKILL the moment the next commit starts
          floe.killOnLine("Committing ");
          await().atMost(Duration.ofSeconds(90)).until(() -> !floe.isAlive());
        } else {
          Thread.sleep(random.nextInt(1500));
          assertThat(floe.isAlive()).as("floe died by itself:\n%s", floe.logTail()).isTrue();
        }
        floe.kill();
      }
      kills++;
      midCommitKills += midCommit ? 1 : 0;
      LOG.info(
          "Kill {} ({}): table rows {} -> {}",
          kills,
          midCommit ? "mid-commit" : "random",
          before,
          DeltaTables.rowCount(parsed, "raw.crash"));
      if (DeltaTables.rowCount(parsed, "raw.crash") >= RECORDS) {
        break; // everything landed before we could kill more; the checks below still apply
      }
    }
    assertThat(kills).isGreaterThanOrEqualTo(5);

    // Final run commits only on stop: the rows it read reach the table through the SIGTERM path
    Path lastConfig =
        TestConfigs.write(
            dir,
            broker,
            registry,
            "floe-crash-delta",
            tables.formatted(10_000_000).replace("interval: 1s", "interval: 10m"));
    long remaining = RECORDS - DeltaTables.rowCount(parsed, "raw.crash");
    try (ChildFloe floe = ChildFloe.run(lastConfig, logs.resolve("run-final.log"))) {
      await()
          .atMost(Duration.ofSeconds(120))
          .until(() -> floe.hasRead(remaining) || !floe.isAlive());
      int exit = floe.terminate();
      assertThat(exit).as("exit code after SIGTERM; log:\n%s", floe.logTail()).isZero();
    }

    assertExactlyOnce(DeltaTables.rows(parsed, "raw.crash"), produced, RECORDS);
  }

  static void assertExactlyOnce(
      List<Map<String, Object>> rows, List<RecordMetadata> produced, int records) {
    Map<String, Long> copies =
        rows.stream().collect(Collectors.groupingBy(DeltaTables::position, Collectors.counting()));
    Set<String> expected =
        produced.stream().map(m -> m.partition() + "/" + m.offset()).collect(Collectors.toSet());
    assertThat(
            copies.entrySet().stream()
                .filter(e -> e.getValue() > 1)
                .map(Map.Entry::getKey)
                .limit(10)
                .toList())
        .as("records written twice")
        .isEmpty();
    assertThat(expected.stream().filter(x -> !copies.containsKey(x)).limit(20).toList())
        .as("records lost")
        .isEmpty();
    assertThat(rows).hasSize(records);
  }
}
