package dev.floe.catalogsync;

import dev.floe.core.PartitionOffsets;
import dev.floe.core.SourcePartition;
import dev.floe.core.TableId;
import dev.floe.core.config.ConfigParser;
import dev.floe.core.config.FloeConfig;
import dev.floe.core.row.Field;
import dev.floe.core.row.Row;
import dev.floe.core.row.Type;
import dev.floe.core.sink.CommitListener;
import dev.floe.core.sink.CommitResult;
import dev.floe.core.sink.ListeningTableSink;
import dev.floe.core.sink.TableSink;
import dev.floe.core.sink.TableSpec;
import dev.floe.core.sink.WriteBatch;
import dev.floe.sinks.iceberg.IcebergTableSink;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;

/**
 * Floe's own Iceberg sink writing rows {@code (id, name)} to a table, with commits passed to a
 * listener as the app wires it; and an independent reader of what a catalog serves.
 */
final class FloeWrites implements AutoCloseable {
  static final String GROUP = "floe-sync-test";
  static final Type.Struct SCHEMA =
      new Type.Struct(
          List.of(
              Field.required("id", Type.Primitive.LONG),
              Field.optional("name", Type.Primitive.STRING)));

  private final TableSink sink;
  private final TableSpec spec;
  private long next;

  FloeWrites(FloeConfig config, String table, CommitListener listener) {
    this(new IcebergTableSink(config), table, listener);
  }

  /** Writes through {@code sink}, e.g. a {@link dev.floe.sinks.delta.DeltaTableSink}. */
  FloeWrites(TableSink sink, String table, CommitListener listener) {
    this.sink = new ListeningTableSink(sink, listener);
    this.spec = new TableSpec(TableId.parse(table), "local", List.of(), 128L << 20, Map.of());
  }

  /** Parses a config the way a user writes it; {@code env} holds the ${env:...} values. */
  static FloeConfig config(Path dir, String catalogsAndTables, Map<String, String> env) {
    String yaml =
        """
        kafka: { bootstrap.servers: localhost:9092, group.id: %s }
        schema-registry: { url: http://localhost:8081 }
        warehouse: %s
        """
                .formatted(GROUP, dir.resolve("warehouse"))
            + catalogsAndTables;
    return new ConfigParser(k -> true, env::get).parse(yaml, dir);
  }

  /** Commits rows with ids {@code [from, to)} in one table commit. */
  CommitResult commit(long from, long to) {
    WriteBatch batch = sink.newBatch(spec);
    for (long id = from; id < to; id++) {
      batch.write(SCHEMA, Row.wrap(id, "row-" + id));
    }
    PartitionOffsets expected = offsets(next);
    next += to - from;
    return batch.commit(GROUP, expected, offsets(next));
  }

  private static PartitionOffsets offsets(long next) {
    return next == 0
        ? PartitionOffsets.empty()
        : PartitionOffsets.of(Map.of(new SourcePartition("orders", 0), next));
  }

  /** The ids a reader of {@code catalog} sees in the table it finds under {@code name}. */
  static Set<Long> ids(Catalog catalog, String name) {
    Table table = catalog.loadTable(TableIdentifier.parse(name));
    Set<Long> ids = new TreeSet<>();
    try (CloseableIterable<Record> rows = IcebergGenerics.read(table).build()) {
      rows.forEach(r -> ids.add((Long) r.getField("id")));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return ids;
  }

  static Set<Long> range(long from, long to) {
    List<Long> ids = new ArrayList<>();
    for (long id = from; id < to; id++) {
      ids.add(id);
    }
    return new TreeSet<>(ids);
  }

  @Override
  public void close() {
    sink.close();
  }
}
