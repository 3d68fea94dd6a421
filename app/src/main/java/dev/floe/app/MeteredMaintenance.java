package dev.floe.app;

import dev.floe.core.sink.ForwardingTableSink;
import dev.floe.core.sink.MaintenanceJob;
import dev.floe.core.sink.TableSink;
import dev.floe.core.sink.TableSpec;
import dev.floe.core.sink.TableSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * A sink whose maintenance jobs are counted and timed ({@code floe_maintenance_runs_total}, {@code
 * floe_maintenance_duration_seconds}) by table, format, job and outcome, and whose table's data
 * files and rows are read after each successful run ({@code floe_table_data_files}, {@code
 * floe_table_rows}): a compaction's effect is the drop in files. Given to the maintenance scheduler
 * only, so that the compaction module needs no metrics of its own.
 */
final class MeteredMaintenance extends ForwardingTableSink {
  private final MeterRegistry registry;
  private final java.util.Map<String, java.util.concurrent.atomic.AtomicLong[]> sizes =
      new java.util.concurrent.ConcurrentHashMap<>();

  MeteredMaintenance(TableSink sink, MeterRegistry registry) {
    super(sink);
    this.registry = registry;
  }

  @Override
  public String compact(TableSpec table) {
    return timed(table, "compact", () -> sink.compact(table));
  }

  @Override
  public String expireSnapshots(TableSpec table, Duration olderThan) {
    return timed(table, "expire-snapshots", () -> sink.expireSnapshots(table, olderThan));
  }

  @Override
  public String maintain(TableSpec table, MaintenanceJob job) {
    String name = job.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    return timed(table, name, () -> sink.maintain(table, job));
  }

  private String timed(TableSpec table, String job, Supplier<String> run) {
    long start = System.nanoTime();
    String outcome = "failed";
    try {
      String done = run.get();
      outcome = done == null ? "unsupported" : "ok";
      if (done != null) {
        measure(table);
      }
      return done;
    } finally {
      long nanos = System.nanoTime() - start;
      String[] tags = {
        "table", table.id().toString(), "format", sink.format(), "job", job, "outcome", outcome
      };
      registry.counter("floe.maintenance.runs", tags).increment();
      Timer.builder("floe.maintenance.duration")
          .tags(tags)
          .register(registry)
          .record(Duration.ofNanos(nanos));
    }
  }

  /** The table's data files and rows as of its latest commit, after a run changed them. */
  private void measure(TableSpec table) {
    TableSummary s;
    try {
      s = sink.summary(table);
    } catch (RuntimeException e) { // the run is done; a failed read only leaves the gauges stale
      return;
    }
    if (s == null) {
      return;
    }
    java.util.concurrent.atomic.AtomicLong[] g =
        sizes.computeIfAbsent(
            table.id().toString(),
            id -> {
              var files = new java.util.concurrent.atomic.AtomicLong();
              var rows = new java.util.concurrent.atomic.AtomicLong();
              String[] tags = {"table", id, "format", sink.format()};
              registry.gauge(
                  "floe.table.data.files", io.micrometer.core.instrument.Tags.of(tags), files);
              registry.gauge("floe.table.rows", io.micrometer.core.instrument.Tags.of(tags), rows);
              return new java.util.concurrent.atomic.AtomicLong[] {files, rows};
            });
    g[0].set(s.files());
    g[1].set(s.rows());
  }

  /** The scheduler does not own the sink: the materializer closes it. */
  @Override
  public void close() {}
}
