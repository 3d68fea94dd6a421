package dev.floe.consumer;

import dev.floe.consumer.route.TableRoute;
import dev.floe.core.PartitionOffsets;
import dev.floe.core.SourcePartition;
import dev.floe.core.config.CommitPolicy;
import dev.floe.core.row.Row;
import dev.floe.core.row.Type;
import dev.floe.core.sink.WriteBatch;
import java.util.HashMap;
import java.util.Map;

/**
 * A table's uncommitted rows and the offsets they cover: for each source partition, the table
 * offset the batch started from (for fencing) and the next offset after its last record.
 */
final class OpenBatch {
  private final TableRoute route;
  private final WriteBatch batch;
  private final long openedNanos = System.nanoTime();
  private final Map<SourcePartition, Long> expected = new HashMap<>();
  private final Map<SourcePartition, Long> next = new HashMap<>();
  private int lastSchemaId = Integer.MIN_VALUE;
  private long newestRecordMillis;

  OpenBatch(TableRoute route, WriteBatch batch) {
    this.route = route;
    this.batch = batch;
  }

  TableRoute route() {
    return route;
  }

  WriteBatch batch() {
    return batch;
  }

  /** Records that the batch covers {@code offset} of {@code p}; {@code tableOffset} may be null. */
  void cover(SourcePartition p, Long tableOffset, long offset) {
    if (!next.containsKey(p)) {
      expected.put(p, tableOffset);
    }
    next.put(p, offset + 1);
  }

  /** Notes a covered record's Kafka timestamp: the newest one gives the table's freshness. */
  void seen(long recordMillis) {
    newestRecordMillis = Math.max(newestRecordMillis, recordMillis);
  }

  long newestRecordMillis() {
    return newestRecordMillis;
  }

  void delete(Type.Struct keySchema, Row key) {
    batch.delete(keySchema, key);
  }

  void write(Type.Struct schema, Row row, int schemaId) {
    if (schemaId != lastSchemaId) { // tell the sink once per change, not per row
      lastSchemaId = schemaId;
      batch.source(schemaId > 0 ? "schema id " + schemaId : "the mapping's value-schema");
    }
    batch.write(schema, row);
  }

  /**
   * Whether the batch reached {@code commit.max-records} or {@code commit.max-bytes}; checked per
   * record.
   */
  boolean full() {
    CommitPolicy policy = route.mapping().commit();
    return batch.records() >= policy.maxRecords() || batch.bytes() >= policy.maxBytes();
  }

  /** Whether the batch is full or older than {@code commit.interval}; checked after each poll. */
  boolean due(long nowNanos) {
    return full() || nowNanos - openedNanos >= route.mapping().commit().interval().toNanos();
  }

  boolean isEmpty() {
    return next.isEmpty();
  }

  PartitionOffsets expected() {
    Map<SourcePartition, Long> known = new HashMap<>();
    expected.forEach(
        (p, o) -> {
          if (o != null) {
            known.put(p, o);
          }
        });
    return PartitionOffsets.of(known);
  }

  PartitionOffsets next() {
    return PartitionOffsets.of(next);
  }
}
