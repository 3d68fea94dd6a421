package dev.floe.core.sink;

import dev.floe.core.PartitionOffsets;
import java.time.Duration;

/**
 * A {@link TableSink} that passes every call on to another: the base of the pipeline's decorators
 * (catalog sync, maintenance scheduling, maintenance metrics), which override only what they add.
 * It overrides the SPI's default methods too: a decorator that inherited a default would silently
 * do nothing where the sink does something (SinkDecoratorsTest in app checks that none is left
 * out).
 */
public abstract class ForwardingTableSink implements TableSink {
  protected final TableSink sink;

  protected ForwardingTableSink(TableSink sink) {
    this.sink = sink;
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
