package dev.floe.sinks.iceberg;

import static dev.floe.sinks.iceberg.Fixtures.GROUP;

import dev.floe.core.PartitionOffsets;
import dev.floe.core.SourcePartition;
import dev.floe.core.row.Row;
import dev.floe.core.sink.TableSink;
import dev.floe.core.sink.TableSpec;
import dev.floe.core.sink.WriteBatch;
import java.util.Map;
import java.util.Random;

/** Committed batches of random upserts and deletes of accounts, mirrored in a model. */
final class RandomUpserts {
  private RandomUpserts() {}

  /**
   * Commits {@code n} random upserts and deletes (one in six) over {@code keys} keys, from offset
   * {@code from} of partition accounts-0; applies them to {@code model} and returns the next
   * offset.
   */
  static long commit(
      TableSink sink,
      TableSpec spec,
      Map<String, Long> model,
      Random random,
      int keys,
      long from,
      int n) {
    WriteBatch batch = sink.newBatch(spec);
    for (int i = 0; i < n; i++) {
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
    SourcePartition p = new SourcePartition("accounts", 0);
    PartitionOffsets expected =
        from == 0 ? PartitionOffsets.empty() : PartitionOffsets.of(Map.of(p, from));
    batch.commit(GROUP, expected, PartitionOffsets.of(Map.of(p, from + n)));
    return from + n;
  }
}
