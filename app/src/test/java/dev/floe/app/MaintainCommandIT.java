package dev.floe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.core.config.FloeConfig;
import dev.floe.sinks.delta.DeltaTableSink;
import dev.floe.sinks.iceberg.IcebergTableSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code floe maintain} on a table that its mapping writes in both formats: each job runs on each
 * format (or says it does not apply), prints its figures, and never changes a row.
 */
class MaintainCommandIT {
  @TempDir Path dir;

  @Test
  void everyJobRunsOnEachFormatOfTheMappingAndKeepsTheRows() throws Exception {
    Path file = dir.resolve("floe.yaml");
    Files.writeString(
        file,
        """
        kafka:
          bootstrap.servers: localhost:9
          group.id: floe-maintain
        schema-registry: { url: "http://localhost:9" }
        warehouse: warehouse
        tables:
          - topics: [accounts]
            table: bank.both
            formats: [iceberg, delta]
            mode: upsert
            key: { format: string, columns: [id] }
            partition-by: ["bucket[2](id)"]
        """);
    FloeConfig config = ConfigFiles.load(file);
    var mapping = config.tables().get(0);
    Map<String, Long> model;
    try (IcebergTableSink iceberg = new IcebergTableSink(config)) {
      model =
          new SmallFileTables(
                  iceberg, SmallFileTables.spec(mapping, "bank.both"), config.groupId(), 3)
              .write(8, 50, 150)
              .model();
    }
    new SmallFileTables(
            new DeltaTableSink(config),
            SmallFileTables.spec(mapping, "bank.both"),
            config.groupId(),
            3)
        .write(8, 50, 150);

    Cli.Result plan = maintain("--job", "compact", "--dry-run");
    assertThat(plan.exitCode()).as(plan.err()).isZero();
    assertThat(plan.out())
        .contains("iceberg: bank.both: would compact 2 partition(s)")
        .contains("delta: bank.both: would optimize");
    Cli.Result compact = maintain("--job", "compact");
    assertThat(compact.out())
        .containsPattern(
            "iceberg: bank.both: compacted 2 partition\\(s\\): \\d+ data files .* -> 2")
        .containsPattern(
            "delta: bank.both: optimized 2 partition\\(s\\): \\d+ files .* -> 2 files");
    Cli.Result checkpoint = maintain("--job", "checkpoint");
    assertThat(checkpoint.out())
        .contains("iceberg: checkpoint does not apply to iceberg tables")
        .contains("delta: bank.both: checkpointed version 9");
    Cli.Result manifests = maintain("--job", "rewrite-manifests");
    assertThat(manifests.out())
        .contains("iceberg: bank.both: rewrote")
        .contains("delta: rewrite-manifests does not apply to delta tables");
    Cli.Result unsafe = maintain("--job", "vacuum", "--older-than", "5m");
    assertThat(unsafe.exitCode()).isEqualTo(ExitCodes.BAD_CONFIG);
    assertThat(unsafe.err()).contains("is below the 1h safety minimum").contains("--force");
    Cli.Result orphans = maintain("--job", "orphans");
    assertThat(orphans.out())
        .contains("iceberg: bank.both: removed 0 orphan files (0.0 MB) older than 3d")
        .contains("delta: bank.both: vacuumed 0 unreferenced files (0.0 MB) older than 7d");
    Cli.Result expire = maintain("--job", "expire", "--older-than", "1h");
    assertThat(expire.out()).contains("iceberg: bank.both: expired").contains("delta: bank.both:");

    assertThat(SmallFileTables.icebergRows(config, "bank.both")).isEqualTo(model);
    assertThat(SmallFileTables.deltaRows(config, "bank.both")).isEqualTo(model);
  }

  private Cli.Result maintain(String... args) {
    String[] all = new String[args.length + 5];
    all[0] = "maintain";
    all[1] = "--config";
    all[2] = dir.resolve("floe.yaml").toString();
    all[3] = "--table";
    all[4] = "bank.both";
    System.arraycopy(args, 0, all, 5, args.length);
    return Cli.floe(all);
  }
}
