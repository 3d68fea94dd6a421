package dev.floe.app;

import dev.floe.core.FloeException;
import dev.floe.core.TableId;
import dev.floe.core.config.FloeConfig;
import dev.floe.core.config.TableMapping;
import dev.floe.core.sink.TableSpec;
import dev.floe.sinks.iceberg.CompactionReport;
import dev.floe.sinks.iceberg.IcebergTableSink;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "maintain",
    description =
        "Runs a maintenance job on a table now and prints what it did. Safe beside a running floe.")
final class MaintainCommand implements Callable<Integer> {
  enum Job {
    compact,
    expire
  }

  @Option(names = "--config", required = true, description = "the config file, e.g. floe.yaml")
  Path config;

  @Option(names = "--table", required = true, description = "the table, e.g. sales.orders")
  String table;

  @Option(
      names = "--job",
      defaultValue = "compact",
      description = "the job: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE})")
  Job job;

  @Option(names = "--dry-run", description = "compact: only report what the job would do")
  boolean dryRun;

  @Option(
      names = "--older-than",
      defaultValue = "7d",
      description = "expire: snapshots older than this go (default ${DEFAULT-VALUE})")
  String olderThan;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    FloeConfig parsed;
    try {
      parsed = ConfigFiles.load(config);
    } catch (FloeException e) {
      spec.commandLine().getErr().println(config + ": " + e.getMessage());
      return ExitCodes.BAD_CONFIG;
    }
    TableId id = TableId.parse(table);
    TableMapping mapping =
        parsed.tables().stream()
            .filter(
                m ->
                    m.topics().stream().anyMatch(t -> m.tableFor(t).equals(id))
                        || m.topicPattern() != null)
            .findFirst()
            .orElse(null);
    String catalog = mapping == null ? parsed.tables().get(0).catalog() : mapping.catalog();
    long target = mapping == null ? 128L << 20 : mapping.targetFileSizeBytes();
    JobProgress progress =
        JobProgress.start(spec.commandLine().getErr(), "maintain " + job + " " + id);
    try (IcebergTableSink sink = new IcebergTableSink(parsed)) {
      TableSpec tableSpec = new TableSpec(id, catalog, List.of(), target, Map.of());
      if (job == Job.expire) {
        spec.commandLine()
            .getOut()
            .println(sink.expireSnapshots(tableSpec, dev.floe.core.Durations.parse(olderThan)));
        progress.finished("done");
        return ExitCodes.OK;
      }
      CompactionReport report = sink.compact(tableSpec, dryRun);
      spec.commandLine().getOut().println(report.describe());
      progress.finished("done");
      return ExitCodes.OK;
    } catch (FloeException e) {
      progress.finished("failed");
      spec.commandLine().getErr().println("floe: " + e.getMessage());
      return ExitCodes.FAILED;
    }
  }
}
