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
import org.apache.iceberg.data.Record;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exactly-once contract under SIGKILL: a child JVM running {@code floe run} is killed at random
 * moments and right after it starts a commit, then restarted; the table ends up with every record
 * exactly once. A final SIGTERM shows the graceful stop commits what was read.
 */
class CrashRestartIT {
  private static final Logger LOG = LoggerFactory.getLogger(CrashRestartIT.class);
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
    Random random = new Random(2026);
    Path logs = Path.of("target", "crash-it");

    int kills = 0;
    int midCommitKills = 0;
    while (kills < 6 || midCommitKills < 3) {
      boolean midCommit = kills % 2 == 1;
      long before = IcebergTables.rowCount(parsed, "raw.crash");
      try (ChildFloe floe = ChildFloe.run(config, logs.resolve("run-" + kills + ".log"))) {
        // let each run commit something first, so kills interleave with real progress
        await()
            .atMost(Duration.ofSeconds(90))
            .until(() -> IcebergTables.rowCount(parsed, "raw.crash") > before || !floe.isAlive());
        if (midCommit) { // kill right after the next commit starts: files written, snapshot not yet
          // swapped in
          int seen = floe.commitsStarted();
          await()
              .atMost(Duration.ofSeconds(90))
              .until(
                  () ->
                      floe.commitsStarted() > seen
                          || !floe.isAlive()
                          || IcebergTables.rowCount(parsed, "raw.crash") >= RECORDS);
        } else {
          Thread.sleep(random.nextInt(1500));
        }
        assertThat(floe.isAlive()).as("floe died by itself:\n%s", floe.logTail()).isTrue();
        floe.kill();
      }
      kills++;
      midCommitKills += midCommit ? 1 : 0;
      LOG.info(
          "Kill {} ({}): table rows {} -> {}",
          kills,
          midCommit ? "mid-commit" : "random",
          before,
          IcebergTables.rowCount(parsed, "raw.crash"));
      if (IcebergTables.rowCount(parsed, "raw.crash") >= RECORDS) {
        break; // everything landed before we could kill more; the checks below still apply
      }
    }
    assertThat(kills).isGreaterThanOrEqualTo(5);

    // Final run: commits only on stop, so the rows it read reach the table only through the SIGTERM
    // path.
    Path lastConfig =
        TestConfigs.write(
            dir,
            broker,
            registry,
            "floe-crash",
            tables.formatted(10_000_000).replace("interval: 1s", "interval: 10m"));
    long remaining = RECORDS - IcebergTables.rowCount(parsed, "raw.crash");
    try (ChildFloe floe = ChildFloe.run(lastConfig, logs.resolve("run-final.log"))) {
      await()
          .atMost(Duration.ofSeconds(120))
          .until(() -> floe.hasRead(remaining) || !floe.isAlive());
      int exit = floe.terminate();
      assertThat(exit).as("exit code after SIGTERM; log:\n%s", floe.logTail()).isZero();
    }

    List<Record> rows = IcebergTables.rows(parsed, "raw.crash");
    Map<String, Long> copies =
        rows.stream()
            .collect(Collectors.groupingBy(IcebergTables::position, Collectors.counting()));
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
    assertThat(Sets.difference(expected, copies.keySet())).as("records lost").isEmpty();
    assertThat(rows).hasSize(RECORDS);
  }

  /** Small set helper so the assertion message lists the lost positions themselves. */
  private static final class Sets {
    static Set<String> difference(Set<String> a, Set<String> b) {
      return a.stream().filter(x -> !b.contains(x)).limit(20).collect(Collectors.toSet());
    }
  }
}
