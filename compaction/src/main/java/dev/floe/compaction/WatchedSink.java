package dev.floe.compaction;

import dev.floe.core.sink.ForwardingTableSink;
import dev.floe.core.sink.TableSink;
import dev.floe.core.sink.TableSpec;
import dev.floe.core.sink.WriteBatch;

/**
 * A sink that tells the scheduler which tables it opens batches for, so that the tables of
 * topic-pattern mappings, unknown at start, get their schedule. Everything else is the sink's own.
 */
final class WatchedSink extends ForwardingTableSink {
  private final MaintenanceScheduler scheduler;

  WatchedSink(TableSink sink, MaintenanceScheduler scheduler) {
    super(sink);
    this.scheduler = scheduler;
  }

  @Override
  public WriteBatch newBatch(TableSpec table) {
    WriteBatch batch = sink.newBatch(table);
    scheduler.opened(sink, table);
    return batch;
  }
}
