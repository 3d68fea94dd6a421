package dev.floe.sinks.iceberg;

import static dev.floe.sinks.iceberg.Fixtures.GROUP;

import dev.floe.core.PartitionOffsets;
import dev.floe.core.SourcePartition;
import dev.floe.core.row.Row;
import dev.floe.core.sink.TableSink;
import dev.floe.core.sink.TableSpec;
import dev.floe.core.sink.WriteBatch;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * Committed batches of random upserts and deletes (one in six) of accounts over a fixed number of
 * keys, read from partition accounts-0 and mirrored in a model of what the table must hold.
 */
final class RandomUpserts {
  private static final SourcePartition ACCOUNTS_0 = new SourcePartition("accounts", 0);

  private final TableSink sink;
  private final TableSpec spec;
  private final int keys;
  private final Random random;
  private final Map<String, Long> model = new HashMap<>();
  private long nextOffset;

  RandomUpserts(TableSink sink, TableSpec spec, int keys, Random random) {
    this.sink = sink;
    this.spec = spec;
    this.keys = keys;
    this.random = random;
  }

  void commitBatches(int batches, int rowsPerBatch) {
    for (int b = 0; b < batches; b++) {
      commitBatch(rowsPerBatch);
    }
  }

  void commitBatch(int rows) {
    WriteBatch batch = sink.newBatch(spec);
    for (int i = 0; i < rows; i++) {
      String id = "k" + random.nextInt(keys);
      if (random.nextInt(6) == 0) {
        batch.delete(UpsertTest.KEY, Row.wrap(id));
        model.remove(id);
      } else {
        long balance = random.nextLong();
        batch.write(UpsertTest.ACCOUNT, Row.wrap(id, balance));
        model.put(id, balance);
      }
    }
    PartitionOffsets expected =
        nextOffset == 0
            ? PartitionOffsets.empty()
            : PartitionOffsets.of(Map.of(ACCOUNTS_0, nextOffset));
    batch.commit(GROUP, expected, PartitionOffsets.of(Map.of(ACCOUNTS_0, nextOffset + rows)));
    nextOffset += rows;
  }

  /** The balance per id that the committed batches leave. */
  Map<String, Long> model() {
    return model;
  }

  /** The offset of accounts-0 the next batch starts from: what the table's offsets must say. */
  long nextOffset() {
    return nextOffset;
  }
}
