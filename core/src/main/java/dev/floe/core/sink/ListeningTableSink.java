package dev.floe.core.sink;

import dev.floe.core.PartitionOffsets;

/**
 * A sink that tells a {@link CommitListener} about each commit of the sink it wraps. The listener
 * sits here, not in the consumer, so that commit coordination does not change to add it.
 */
public final class ListeningTableSink extends ForwardingTableSink {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(ListeningTableSink.class);
  private final CommitListener listener;

  public ListeningTableSink(TableSink sink, CommitListener listener) {
    super(sink);
    this.listener = listener;
  }

  @Override
  public WriteBatch newBatch(TableSpec table) {
    return new Listening(table, sink.newBatch(table));
  }

  private final class Listening extends ForwardingWriteBatch {
    private final TableSpec table;

    Listening(TableSpec table, WriteBatch batch) {
      super(batch);
      this.table = table;
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
  }
}
