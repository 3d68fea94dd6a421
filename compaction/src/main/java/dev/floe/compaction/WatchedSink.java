package dev.floe.compaction;

import dev.floe.core.PartitionOffsets;
import dev.floe.core.sink.MaintenanceJob;
import dev.floe.core.sink.TableSink;
import dev.floe.core.sink.TableSpec;
import dev.floe.core.sink.WriteBatch;
import java.time.Duration;

/**
 * A sink that tells the scheduler which tables it opens batches for, so that the tables of
 * topic-pattern mappings, unknown at start, get their schedule. Everything else is the sink's own;
 * a method added to {@link TableSink} must be passed on here too.
 */
final class WatchedSink implements TableSink {
  private final TableSink sink;
  private final MaintenanceScheduler scheduler;

  WatchedSink(TableSink sink, MaintenanceScheduler scheduler) {
    this.sink = sink;
    this.scheduler = scheduler;
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
    WriteBatch batch = sink.newBatch(table);
    scheduler.opened(sink, table);
    return batch;
  }

  @Override
  public dev.floe.core.sink.TableSummary summary(TableSpec table) {
    return sink.summary(table);
  }

  @Override
  public String compact(TableSpec table) {
    return sink.compact(table);
  }

  @Override
  public String expireSnapshots(TableSpec table, Duration olderThan) {
    return sink.expireSnapshots(table, olderThan);
  }

  @Override
  public String maintain(TableSpec table, MaintenanceJob job) {
    return sink.maintain(table, job);
  }

  @Override
  public void close() {
    sink.close();
  }
}
