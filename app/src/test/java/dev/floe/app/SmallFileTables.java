package dev.floe.app;

import dev.floe.core.PartitionOffsets;
import dev.floe.core.SourcePartition;
import dev.floe.core.TableId;
import dev.floe.core.config.FloeConfig;
import dev.floe.core.config.TableMapping;
import dev.floe.core.row.Field;
import dev.floe.core.row.Row;
import dev.floe.core.row.Type;
import dev.floe.core.sink.TableSink;
import dev.floe.core.sink.TableSpec;
import dev.floe.core.sink.WriteBatch;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.iceberg.data.Record;

/**
 * Upsert tables with many small files and deletes, written through Floe's real sinks in small
 * commits (as streaming ingestion leaves them), with the model of their rows; and independent reads
 * of both formats (Iceberg generics, delta-standalone's log with a plain Parquet reader).
 */
final class SmallFileTables {
  static final Type.Struct ROW =
      new Type.Struct(
          List.of(
              Field.required("id", Type.Primitive.STRING),
              Field.optional("balance", Type.Primitive.LONG)));
  static final Type.Struct KEY =
      new Type.Struct(List.of(Field.required("id", Type.Primitive.STRING)));

  private final TableSink sink;
  private final TableSpec spec;
  private final String group;
  private final Map<String, Long> model = new HashMap<>();
  private final Random random;
  private long offset;

  SmallFileTables(TableSink sink, TableSpec spec, String group, long seed) {
    this.sink = sink;
    this.spec = spec;
    this.group = group;
    this.random = new Random(seed);
  }

  /** The spec of a mapping's table as Floe builds it. */
  static TableSpec spec(TableMapping m, String table) {
    return new TableSpec(
        TableId.parse(table),
        m.catalog(),
        m.partitionBy(),
        m.targetFileSizeBytes(),
        m.tableProperties(),
        m.key().columns(),
        m.schemaEvolution());
  }

  /** {@code commits} commits of {@code perCommit} records: new keys, updates, some deletes. */
  SmallFileTables write(int commits, int perCommit, int keys) {
    SourcePartition p = new SourcePartition("accounts", 0);
    for (int c = 0; c < commits; c++) {
      WriteBatch batch = sink.newBatch(spec);
      for (int i = 0; i < perCommit; i++) {
        String id = "k" + random.nextInt(keys);
        if (random.nextInt(10) == 0) {
          batch.delete(KEY, Row.wrap(id));
          model.remove(id);
        } else {
          long balance = random.nextLong();
          batch.write(ROW, Row.wrap(id, balance));
          model.put(id, balance);
        }
      }
      PartitionOffsets expected =
          offset == 0 ? PartitionOffsets.empty() : PartitionOffsets.of(Map.of(p, offset));
      offset += perCommit;
      batch.commit(group, expected, PartitionOffsets.of(Map.of(p, offset)));
    }
    return this;
  }

  Map<String, Long> model() {
    return Map.copyOf(model);
  }

  static Map<String, Long> icebergRows(FloeConfig config, String table) {
    Map<String, Long> rows = new HashMap<>();
    for (Record r : IcebergTables.rows(config, table)) {
      if (rows.put((String) r.getField("id"), (Long) r.getField("balance")) != null) {
        throw new AssertionError("two rows of key " + r.getField("id") + " in " + table);
      }
    }
    return rows;
  }

  static Map<String, Long> deltaRows(FloeConfig config, String table) {
    Map<String, Long> rows = new HashMap<>();
    for (Map<String, Object> r : DeltaTables.rows(config, table)) {
      if (rows.put((String) r.get("id"), (Long) r.get("balance")) != null) {
        throw new AssertionError("two rows of key " + r.get("id") + " in " + table);
      }
    }
    return rows;
  }

  /** The Delta table's latest version, or -1: cheap to poll for progress. */
  static long deltaVersion(FloeConfig config, String table) {
    return DeltaTables.log(config, table).update().getVersion();
  }

  static Path deltaLocation(FloeConfig config, String table) {
    return dev.floe.sinks.delta.DeltaTableSink.location(config.warehouse(), TableId.parse(table));
  }
}
