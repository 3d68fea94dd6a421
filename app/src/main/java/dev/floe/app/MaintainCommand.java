package dev.floe.app;

import dev.floe.core.Durations;
import dev.floe.core.FloeException;
import dev.floe.core.TableId;
import dev.floe.core.config.FloeConfig;
import dev.floe.core.config.Maintenance;
import dev.floe.core.config.TableMapping;
import dev.floe.core.sink.MaintenanceJob;
import dev.floe.core.sink.TableSink;
import dev.floe.core.sink.TableSpec;
import dev.floe.sinks.delta.DeltaTableSink;
import dev.floe.sinks.iceberg.IcebergTableSink;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "maintain",
    description =
        "Runs a maintenance job on a table now, on each format its mapping writes, and prints what"
            + " it did. Safe beside a running floe.")
final class MaintainCommand implements Callable<Integer> {
  enum Job {
    compact(MaintenanceJob.Kind.COMPACT),
    expire(MaintenanceJob.Kind.EXPIRE),
    orphans(MaintenanceJob.Kind.ORPHANS),
    checkpoint(MaintenanceJob.Kind.CHECKPOINT),
    vacuum(MaintenanceJob.Kind.VACUUM),
    rewrite_manifests(MaintenanceJob.Kind.REWRITE_MANIFESTS);

    final MaintenanceJob.Kind kind;

    Job(MaintenanceJob.Kind kind) {
      this.kind = kind;
    }

    boolean deletesByAge() {
      return this == orphans || this == vacuum;
    }
  }

  @Mixin ConfigOption config;

  @Option(names = "--table", required = true, description = "the table, e.g. sales.orders")
  String table;

  @Option(
      names = "--job",
      defaultValue = "compact",
      converter = JobConverter.class,
      description =
          "the job: compact, expire, orphans, checkpoint, vacuum, rewrite-manifests (default"
              + " ${DEFAULT-VALUE})")
  Job job;

  @Option(
      names = "--format",
      description = "only this format (iceberg or delta); default: every format of the mapping")
  String format;

  @Option(names = "--dry-run", description = "only report what the job would do")
  boolean dryRun;

  @Option(
      names = "--older-than",
      description =
          "expire: snapshots (Delta: log versions) older than this go, default 7d; orphans and"
              + " vacuum: files older than this may go, default 3d (Iceberg) and 7d (Delta)")
  String olderThan;

  @Option(
      names = "--manifests-above",
      defaultValue = "0",
      description = "rewrite-manifests: only when the snapshot has more manifests than this")
  int manifestsAbove;

  @Option(
      names = "--force",
      description = "orphans and vacuum: allow --older-than below the 1h safety minimum")
  boolean force;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  static final class JobConverter implements picocli.CommandLine.ITypeConverter<Job> {
    @Override
    public Job convert(String value) {
      return Job.valueOf(value.replace('-', '_'));
    }
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    FloeConfig parsed = config.load();
    TableId id = TableId.parse(table);
    TableMapping mapping =
        parsed.tables().stream().filter(m -> m.produces(id)).findFirst().orElse(null);
    Duration retention;
    try {
      retention = olderThan == null ? null : Durations.parse(olderThan);
    } catch (IllegalArgumentException e) {
      err.println("floe: --older-than " + e.getMessage() + "; write e.g. 3d, 12h or 30m");
      return ExitCodes.BAD_CONFIG;
    }
    if (job.deletesByAge()
        && retention != null
        && retention.compareTo(Maintenance.MINIMUM_RETENTION) < 0
        && !force) {
      err.println(
          "floe: --older-than "
              + olderThan
              + " is below the 1h safety minimum: files of a commit in progress, or that a"
              + " reader of the previous version still opens, could be deleted; use 1h or more,"
              + " or --force if nothing writes or reads the table");
      return ExitCodes.BAD_CONFIG;
    }
    List<String> formats = formats(mapping);
    MaintenanceJob request = new MaintenanceJob(job.kind, retention, manifestsAbove, dryRun);
    TableSpec tableSpec = tableSpec(parsed, mapping, id);
    int failed = 0;
    JobProgress progress =
        JobProgress.start(err, "maintain " + job.name().replace('_', '-') + " " + id);
    try (IcebergTableSink iceberg = new IcebergTableSink(parsed);
        DeltaTableSink delta = new DeltaTableSink(parsed)) {
      Map<String, TableSink> sinks = Map.of("iceberg", iceberg, "delta", delta);
      for (String f : formats) {
        try {
          String done = sinks.get(f).maintain(tableSpec, request);
          out.println(
              f
                  + ": "
                  + (done != null
                      ? done
                      : job.name().replace('_', '-') + " does not apply to " + f + " tables"));
        } catch (FloeException | IllegalStateException | java.io.UncheckedIOException e) {
          err.println("floe: " + f + " table " + id + ": " + e.getMessage());
          failed++;
        } catch (Exception e) { // e.g. the object store refusing a list or delete; delta-standalone
          // (Scala) throws Hadoop's IOExceptions though no Java signature declares them
          err.println(
              "floe: "
                  + f
                  + " table "
                  + id
                  + ": "
                  + job.name().replace('_', '-')
                  + " failed: "
                  + e
                  + "; check that the warehouse's storage is reachable and that its credentials"
                  + " may list and delete, then run it again (what it did so far is safe to redo)");
          failed++;
        }
      }
    }
    progress.finished(failed == 0 ? "done" : "failed");
    return failed == 0 ? ExitCodes.OK : ExitCodes.FAILED;
  }

  private List<String> formats(TableMapping mapping) {
    List<String> all = new ArrayList<>();
    if (format != null) {
      all.add(format.toLowerCase(Locale.ROOT));
    } else if (mapping != null) {
      mapping.formats().forEach(f -> all.add(f.name().toLowerCase(Locale.ROOT)));
    } else {
      all.add("iceberg"); // a table no mapping names: the default format
    }
    return all;
  }

  private static TableSpec tableSpec(FloeConfig parsed, TableMapping mapping, TableId id) {
    if (mapping == null) {
      return new TableSpec(id, parsed.tables().get(0).catalog(), List.of(), 128L << 20, Map.of());
    }
    return mapping.spec(id);
  }
}
