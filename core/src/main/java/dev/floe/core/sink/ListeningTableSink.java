package dev.floe.core.sink;

import dev.floe.core.PartitionOffsets;

/**
 * A sink that tells a {@link CommitListener} about each commit of the sink it wraps. The listener
 * sits here, not in the consumer, so that commit coordination does not change to add it.
 *
 * <p>Every method of {@link TableSink} and {@link WriteBatch} is delegated, default methods too: a
 * default left out would silently do nothing here (SinkDecoratorsTest in app checks them all).
 */
public final class ListeningTableSink implements TableSink {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(ListeningTableSink.class);
  private final TableSink sink;
  private final CommitListener listener;

  public ListeningTableSink(TableSink sink, CommitListener listener) {
    this.sink = sink;
    this.listener = listener;
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
    return new Listening(table, sink.newBatch(table));
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
  public String expireSnapshots(TableSpec table, java.time.Duration olderThan) {
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

  private final class Listening implements WriteBatch {
    private final TableSpec table;
    private final WriteBatch batch;

    Listening(TableSpec table, WriteBatch batch) {
      this.table = table;
      this.batch = batch;
    }

    @Override
    public void write(dev.floe.core.row.Type.Struct schema, dev.floe.core.row.Row row) {
      batch.write(schema, row);
    }

    @Override
    public void source(String schema) {
      batch.source(schema);
    }

    @Override
    public void newestRecord(long epochMillis) {
      batch.newestRecord(epochMillis);
    }

    @Override
    public int schemaChanges() {
      return batch.schemaChanges();
    }

    @Override
    public void delete(dev.floe.core.row.Type.Struct keySchema, dev.floe.core.row.Row key) {
      batch.delete(keySchema, key);
    }

    @Override
    public boolean usable() {
      return batch.usable();
    }

    @Override
    public long records() {
      return batch.records();
    }

    @Override
    public long bytes() {
      return batch.bytes();
    }

    @Override
    public CommitResult commit(String group, PartitionOffsets expected, PartitionOffsets next) {
      CommitResult result = batch.commit(group, expected, next);
      if (result.location() != null) {
        try {
          listener.committed(table, result);
        } catch (RuntimeException e) { // the commit went through; a listener must not undo that
          LOG.warn("Listener of commits to table {} failed", table.id(), e);
        }
      }
      return result;
    }

    @Override
    public void abort() {
      batch.abort();
    }
  }
}
