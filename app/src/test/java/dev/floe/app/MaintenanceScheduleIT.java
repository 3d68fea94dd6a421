package dev.floe.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.floe.compaction.MaintenanceScheduler;
import dev.floe.core.config.FloeConfig;
import dev.floe.core.sink.TableSink;
import dev.floe.sinks.delta.DeltaTableSink;
import dev.floe.sinks.iceberg.IcebergTableSink;
import io.delta.standalone.actions.AddFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.iceberg.Snapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The scheduler with real sinks and tables: a job that fails on a storage error is logged with its
 * table and cause and succeeds at its next time once storage is back; tables of a topic pattern get
 * their schedule when a sink first opens a batch for them.
 */
class MaintenanceScheduleIT {
  @TempDir Path dir;
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private final Logger schedulerLog = (Logger) LoggerFactory.getLogger(MaintenanceScheduler.class);

  @BeforeEach
  void capture() {
    log.start();
    schedulerLog.addAppender(log);
  }

  @AfterEach
  void release() {
    schedulerLog.detachAppender(log);
  }

  @Test
  void aJobFailingOnAStorageErrorIsLoggedWithTableAndCauseAndRunsAgainAtItsNextTime()
      throws Exception {
    FloeConfig config =
        config(
            """
            tables:
              - topics: [accounts]
                table: bank.retried
                formats: [delta]
                mode: upsert
                key: { format: string, columns: [id] }
                maintenance: { compact: "* * * * * ?" }
            """);
    DeltaTableSink delta = new DeltaTableSink(config);
    SmallFileTables table =
        new SmallFileTables(
                delta,
                SmallFileTables.spec(config.tables().get(0), "bank.retried"),
                config.groupId(),
                5)
            .write(12, 40, 200);
    // a storage outage: one data file cannot be read for a while
    AddFile someFile = DeltaTables.log(config, "bank.retried").update().getAllFiles().get(0);
    Path file =
        SmallFileTables.deltaLocation(config, "bank.retried")
            .resolve(java.net.URI.create(someFile.getPath()).getPath());
    Path away = file.resolveSibling(file.getFileName() + ".away");
    Files.move(file, away);

    try (MaintenanceScheduler scheduler =
        MaintenanceScheduler.start(config, Map.<String, TableSink>of("delta", delta))) {
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> messages().contains("Scheduled compact of delta table bank.retried failed"));
      String failure = messages();
      assertThat(failure)
          .contains("Optimize of Delta table bank.retried failed")
          .contains(file.getFileName().toString())
          .contains("it runs again at its next time");
      assertThat(DeltaTables.log(config, "bank.retried").update().getAllFiles())
          .as("the failed job committed nothing")
          .contains(someFile);

      Files.move(away, file); // storage is back
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  messages().contains("Scheduled compact of delta table bank.retried: optimized"));
    }
    assertThat(SmallFileTables.deltaRows(config, "bank.retried")).isEqualTo(table.model());
    assertThat(DeltaTables.log(config, "bank.retried").update().getAllFiles()).hasSize(1);
  }

  @Test
  void tablesOfATopicPatternAreScheduledWhenASinkFirstOpensABatchForThem() throws Exception {
    FloeConfig config =
        config(
            """
            maintenance: { compact: "* * * * * ?" }
            tables:
              - topic-pattern: "events\\\\..*"
                table: raw.${topic}
                formats: [iceberg, delta]
                mode: upsert
                key: { format: string, columns: [id] }
            """);
    IcebergTableSink iceberg = new IcebergTableSink(config);
    DeltaTableSink delta = new DeltaTableSink(config);
    try (MaintenanceScheduler scheduler =
        MaintenanceScheduler.start(config, Map.of("iceberg", iceberg, "delta", delta))) {
      assertThat(messages()).doesNotContain("scheduled");
      var m = config.tables().get(0);
      SmallFileTables ice =
          new SmallFileTables(
                  scheduler.watching(iceberg),
                  SmallFileTables.spec(m, "raw.events_clicks"),
                  config.groupId(),
                  1)
              .write(6, 30, 100);
      SmallFileTables del =
          new SmallFileTables(
                  scheduler.watching(delta),
                  SmallFileTables.spec(m, "raw.events_clicks"),
                  config.groupId(),
                  1)
              .write(6, 30, 100);
      assertThat(messages())
          .contains("Maintenance of iceberg table raw.events_clicks scheduled")
          .contains("Maintenance of delta table raw.events_clicks scheduled");

      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  compactions(config, "raw.events_clicks") > 0
                      && messages().contains("of delta table raw.events_clicks: optimized"));
      assertThat(SmallFileTables.icebergRows(config, "raw.events_clicks")).isEqualTo(ice.model());
      assertThat(SmallFileTables.deltaRows(config, "raw.events_clicks")).isEqualTo(del.model());
    } finally {
      iceberg.close();
    }
  }

  private String messages() {
    StringBuilder all = new StringBuilder();
    for (ILoggingEvent e : log.list) {
      all.append(e.getFormattedMessage()).append('\n');
    }
    return all.toString();
  }

  private static long compactions(FloeConfig config, String table) {
    long n = 0;
    for (Snapshot s : IcebergTables.load(config, table).snapshots()) {
      if ("compaction".equals(s.summary().get("floe.operation"))) {
        n++;
      }
    }
    return n;
  }

  private FloeConfig config(String tables) throws Exception {
    Path file = dir.resolve("floe.yaml");
    Files.writeString(
        file,
        """
        kafka:
          bootstrap.servers: localhost:9
          group.id: floe-maintenance
        schema-registry: { url: "http://localhost:9" }
        warehouse: warehouse
        """
            + tables);
    return ConfigFiles.load(file);
  }
}
