package dev.floe.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.floe.core.config.FloeConfig;
import dev.floe.embedded.KafkaBroker;
import dev.floe.testsupport.ConfluentAvroProducer;
import dev.floe.testsupport.SchemaRegistry;
import dev.floe.testsupport.SharedServices;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Snapshot;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One mapping, two formats: one consumption feeds an Iceberg and a Delta table, each with its own
 * offsets. The process is SIGKILLed right after one format's commit and before the other's, so the
 * tables stand at different offsets; on restart Floe seeks to the smaller and each table skips what
 * it holds. Both end with every record exactly once.
 */
class BothFormatsCrashIT {
  private static final Logger LOG = LoggerFactory.getLogger(BothFormatsCrashIT.class);
  private static final int RECORDS = 60_000;
  private static final String GROUP = "floe-both";
  static final KafkaBroker broker = SharedServices.broker();
  static final SchemaRegistry registry = SharedServices.registry();
  @TempDir Path dir;

  @Test
  void killsBetweenTheIcebergAndTheDeltaCommitNeitherLoseNorDoubleARecordInEither()
      throws Exception {
    broker.createTopic("both", 2);
    List<RecordMetadata> produced;
    try (ConfluentAvroProducer producer =
        new ConfluentAvroProducer(broker.bootstrapServers(), registry)) {
      produced = Events.produce(producer, "both", 0, RECORDS);
    }
    String tables =
        """
        tables:
          - topics: [both]
            table: raw.both
            formats: [iceberg, delta]
            commit: { interval: %s, max-records: %d }
        """;
    Path config = TestConfigs.write(dir, broker, registry, GROUP, tables.formatted("1s", 3_000));
    FloeConfig parsed = ConfigFiles.load(config);
    Path logs = Path.of("target", "both-formats-crash-it");

    int kills = 0;
    int between = 0;
    while ((kills < 6 || between < 3) && kills < 14) {
      String first = kills % 2 == 0 ? "iceberg" : "delta";
      long before = rows(parsed);
      try (ChildFloe floe = ChildFloe.run(config, logs.resolve("run-" + kills + ".log"))) {
        await()
            .atMost(Duration.ofSeconds(90))
            .until(() -> rows(parsed) > before || !floe.isAlive());
        assertThat(floe.isAlive()).as("floe died by itself:\n%s", floe.logTail()).isTrue();
        floe.killOnLine("to " + first + " table raw.both");
        await().atMost(Duration.ofSeconds(90)).until(() -> !floe.isAlive());
        floe.kill();
      }
      kills++;
      Map<Integer, Long> iceberg = icebergOffsets(parsed);
      Map<Integer, Long> delta = deltaOffsets(parsed);
      boolean apart = !iceberg.equals(delta);
      between += apart ? 1 : 0;
      LOG.info(
          "Kill {} after a {} commit: iceberg offsets {}, delta offsets {}{}",
          kills,
          first,
          iceberg,
          delta,
          apart ? " (between the commits)" : "");
      if (IcebergTables.rowCount(parsed, "raw.both") >= RECORDS
          && DeltaTables.rowCount(parsed, "raw.both") >= RECORDS) {
        break;
      }
    }
    assertThat(kills).isGreaterThanOrEqualTo(5);
    assertThat(between)
        .as("kills that left the two tables at different offsets")
        .isGreaterThanOrEqualTo(3);

    // the last run stops gracefully once everything is read; both tables commit on stop
    Path lastConfig =
        TestConfigs.write(dir, broker, registry, GROUP, tables.formatted("10m", 10_000_000));
    try (ChildFloe floe = ChildFloe.run(lastConfig, logs.resolve("run-final.log"))) {
      long remaining =
          RECORDS
              - Math.min(
                  IcebergTables.rowCount(parsed, "raw.both"),
                  DeltaTables.rowCount(parsed, "raw.both"));
      assertThat(floe.terminateAfterReading(remaining))
          .as("exit code after SIGTERM; log:\n%s", floe.logTail())
          .isZero();
    }

    ExactlyOnce.assertExactlyOnce(
        "iceberg",
        IcebergTables.rows(parsed, "raw.both").stream().map(IcebergTables::position).toList(),
        produced,
        RECORDS);
    ExactlyOnce.assertExactlyOnce(
        "delta",
        DeltaTables.rows(parsed, "raw.both").stream().map(DeltaTables::position).toList(),
        produced,
        RECORDS);
  }

  private static long rows(FloeConfig config) {
    return IcebergTables.rowCount(config, "raw.both") + DeltaTables.rowCount(config, "raw.both");
  }

  private static Map<Integer, Long> icebergOffsets(FloeConfig config) {
    Map<Integer, Long> offsets = new java.util.TreeMap<>();
    if (!IcebergTables.exists(config, "raw.both")) {
      return offsets;
    }
    Snapshot s = IcebergTables.load(config, "raw.both").currentSnapshot();
    String json = s == null ? null : s.summary().get("floe.offsets." + GROUP);
    if (json != null) {
      JsonNode partitions = DeltaTables.json(json).get("both");
      partitions
          .fields()
          .forEachRemaining(e -> offsets.put(Integer.parseInt(e.getKey()), e.getValue().asLong()));
    }
    return offsets;
  }

  private static Map<Integer, Long> deltaOffsets(FloeConfig config) {
    Map<Integer, Long> offsets = new java.util.TreeMap<>();
    for (int p : new ArrayList<>(List.of(0, 1))) {
      long v = DeltaTables.txnVersion(config, "raw.both", "both", p);
      if (v >= 0) {
        offsets.put(p, v);
      }
    }
    return offsets;
  }
}
