package dev.floe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.core.config.FloeConfig;
import dev.floe.core.config.TableMapping;
import dev.floe.sinks.delta.DeltaTableSink;
import dev.floe.sinks.iceberg.IcebergTableSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.iceberg.Snapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code floe maintain --job compact} in a child JVM, SIGKILLed while it writes the compacted files
 * (before its commit): the table still reads exactly the same rows, the next run succeeds, and
 * orphan removal / VACUUM delete what the killed run left behind.
 */
class MaintenanceCrashIT {
  @TempDir Path dir;

  @Test
  void killNineMidCompactionLeavesTheIcebergTableReadableAndTheNextRunSucceeds() throws Exception {
    FloeConfig config = config("iceberg");
    Map<String, Long> model;
    try (IcebergTableSink sink = new IcebergTableSink(config)) {
      model = table(sink, config, 4_000).write(60, 500, 4_000).model();
    }
    Path data = Path.of(java.net.URI.create(location(config)).getPath()).resolve("data");
    int snapshots = snapshots(config);

    killWhenAFileAppears(data, "compaction-", "--format", "iceberg");

    assertThat(snapshots(config)).as("the killed run committed nothing").isEqualTo(snapshots);
    assertThat(SmallFileTables.icebergRows(config, "bank.compacted")).isEqualTo(model);
    assertThat(files(data, "compaction-")).as("the killed run's files").isNotEmpty();

    Cli.Result next = maintain("--job", "compact", "--format", "iceberg");
    assertThat(next.exitCode()).as(next.err()).isZero();
    assertThat(next.out()).contains("iceberg: bank.compacted: compacted 4 partition(s)");
    assertThat(SmallFileTables.icebergRows(config, "bank.compacted")).isEqualTo(model);

    List<Path> leftovers = files(data, "compaction-");
    Thread.sleep(1_100);
    Cli.Result orphans =
        maintain("--job", "orphans", "--older-than", "1s", "--force", "--format", "iceberg");
    assertThat(orphans.out()).contains("iceberg: bank.compacted: removed");
    assertThat(files(data, "compaction-"))
        .as("only the successful run's files stay")
        .hasSize(4)
        .isSubsetOf(leftovers);
    assertThat(SmallFileTables.icebergRows(config, "bank.compacted")).isEqualTo(model);
  }

  @Test
  void killNineMidOptimizeLeavesTheDeltaTableReadableAndTheNextRunSucceeds() throws Exception {
    FloeConfig config = config("delta");
    DeltaTableSink sink = new DeltaTableSink(config);
    Map<String, Long> model = table(sink, config, 1_000_000).write(30, 500, 1_000_000).model();
    Path location = SmallFileTables.deltaLocation(config, "bank.compacted");
    long version = DeltaTables.log(config, "bank.compacted").update().getVersion();

    killWhenAFileAppears(location, "optimize-", "--format", "delta");

    assertThat(DeltaTables.log(config, "bank.compacted").update().getVersion())
        .as("the killed run committed nothing")
        .isEqualTo(version);
    assertThat(SmallFileTables.deltaRows(config, "bank.compacted")).isEqualTo(model);
    assertThat(files(location, "optimize-")).isNotEmpty();

    Cli.Result next = maintain("--job", "compact", "--format", "delta");
    assertThat(next.exitCode()).as(next.err()).isZero();
    assertThat(next.out()).contains("delta: bank.compacted: optimized 4 partition(s)");
    assertThat(SmallFileTables.deltaRows(config, "bank.compacted")).isEqualTo(model);
    assertThat(DeltaTables.log(config, "bank.compacted").update().getAllFiles()).hasSize(4);

    Thread.sleep(1_100);
    Cli.Result vacuum =
        maintain("--job", "vacuum", "--older-than", "1s", "--force", "--format", "delta");
    assertThat(vacuum.out()).contains("delta: bank.compacted: vacuumed");
    try (Stream<Path> all = Files.walk(location)) {
      assertThat(
              all.filter(p -> p.toString().endsWith(".parquet"))
                  .filter(p -> !p.toString().contains("_delta_log")))
          .as("only the live files stay")
          .hasSize(4);
    }
    assertThat(SmallFileTables.deltaRows(config, "bank.compacted")).isEqualTo(model);
  }

  /** Runs maintain --job compact in a child JVM and SIGKILLs it as soon as it writes a file. */
  private void killWhenAFileAppears(Path under, String marker, String... args) throws Exception {
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                "maintain",
                "--config",
                dir.resolve("floe.yaml").toString(),
                "--table",
                "bank.compacted",
                "--job",
                "compact"));
    command.addAll(List.of(args));
    try (ChildFloe child =
        ChildFloe.command(
            Path.of("target", "maintenance-crash-it", marker + "log"),
            command.toArray(String[]::new))) {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (files(under, marker).isEmpty()) {
        assertThat(child.isAlive()).as("ended before writing: %s", child.logTail()).isTrue();
        assertThat(System.nanoTime()).as("no compacted file within 60 s").isLessThan(deadline);
        Thread.sleep(2);
      }
      child.kill();
    }
  }

  private Cli.Result maintain(String... args) {
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                "maintain",
                "--config",
                dir.resolve("floe.yaml").toString(),
                "--table",
                "bank.compacted"));
    command.addAll(List.of(args));
    return Cli.floe(command.toArray(String[]::new));
  }

  private static SmallFileTables table(
      dev.floe.core.sink.TableSink sink, FloeConfig config, int seed) {
    TableMapping m = config.tables().get(0);
    return new SmallFileTables(
        sink, SmallFileTables.spec(m, "bank.compacted"), config.groupId(), seed);
  }

  private static List<Path> files(Path under, String marker) {
    if (!Files.exists(under)) {
      return List.of();
    }
    try (Stream<Path> all = Files.walk(under)) {
      return all.filter(p -> p.getFileName().toString().contains(marker)).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String location(FloeConfig config) {
    return IcebergTables.load(config, "bank.compacted").location();
  }

  private static int snapshots(FloeConfig config) {
    int n = 0;
    for (Snapshot ignored : IcebergTables.load(config, "bank.compacted").snapshots()) {
      n++;
    }
    return n;
  }

  private FloeConfig config(String format) throws IOException {
    Path file = dir.resolve("floe.yaml");
    Files.writeString(
        file,
        """
        kafka:
          bootstrap.servers: localhost:9
          group.id: floe-maintenance
        schema-registry: { url: "http://localhost:9" }
        warehouse: warehouse
        tables:
          - topics: [accounts]
            table: bank.compacted
            formats: [%s]
            mode: upsert
            key: { format: string, columns: [id] }
            partition-by: ["bucket[4](id)"]
        """
            .formatted(format));
    return ConfigFiles.load(file);
  }
}
