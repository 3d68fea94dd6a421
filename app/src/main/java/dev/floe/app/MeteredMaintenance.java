package dev.floe.app;

import dev.floe.core.PartitionOffsets;
import dev.floe.core.sink.MaintenanceJob;
import dev.floe.core.sink.TableSink;
import dev.floe.core.sink.TableSpec;
import dev.floe.core.sink.TableSummary;
import dev.floe.core.sink.WriteBatch;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * A sink whose maintenance jobs are counted and timed ({@code floe_maintenance_runs_total}, {@code
 * floe_maintenance_duration_seconds}) by table, format, job and outcome. Given to the maintenance
 * scheduler only, so that the compaction module needs no metrics of its own.
 */
final class MeteredMaintenance implements TableSink {
  private final TableSink sink;
  private final MeterRegistry registry;

  MeteredMaintenance(TableSink sink, MeterRegistry registry) {
    this.sink = sink;
    this.registry = registry;
  }

  @Override
  public String format() {
    return sink.format();
  }

  @Override
  public PartitionOffsets committedOffsets(TableSpec table, String group) {
    return sink.committedOffsets(table, group);
  }

  @Override
  public WriteBatch newBatch(TableSpec table) {
    return sink.newBatch(table);
  }

  @Override
  public TableSummary summary(TableSpec table) {
    return sink.summary(table);
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

  /** The scheduler does not own the sink: the materializer closes it. */
  @Override
  public void close() {}
}
