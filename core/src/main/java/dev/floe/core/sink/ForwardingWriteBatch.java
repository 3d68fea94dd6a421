package dev.floe.core.sink;

import dev.floe.core.PartitionOffsets;
import dev.floe.core.row.Row;
import dev.floe.core.row.Type;

/**
 * A {@link WriteBatch} that passes every call on to another, default methods too (see {@link
 * ForwardingTableSink}); decorators override only what they add.
 */
public abstract class ForwardingWriteBatch implements WriteBatch {
  protected final WriteBatch batch;

  protected ForwardingWriteBatch(WriteBatch batch) {
    this.batch = batch;
  }

  @Override
  public void write(Type.Struct schema, Row row) {
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
  public void delete(Type.Struct keySchema, Row key) {
    batch.delete(keySchema, key);
  }

  @Override
  public boolean usable() {
    return batch.usable();
  }

  @Override
  public int schemaChanges() {
    return batch.schemaChanges();
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
    return batch.commit(group, expected, next);
  }

  @Override
  public void abort() {
    batch.abort();
  }
}
