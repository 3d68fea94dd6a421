package dev.floe.sinks.delta;

import dev.floe.core.PartitionOffsets;
import dev.floe.core.TableId;
import dev.floe.core.config.FloeConfig;
import dev.floe.core.sink.TableSink;
import dev.floe.core.sink.TableSpec;
import dev.floe.core.sink.WriteBatch;
import dev.floe.sinks.iceberg.LocalFileIO;
import dev.floe.sinks.iceberg.WarehouseIO;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.iceberg.io.FileIO;

/**
 * Writes rows into Delta Lake tables as Parquet data files and commits each batch, with the source
 * offsets it covers, in one Delta version ({@code add} + {@code txn} actions, offsets also in
 * {@code commitInfo}); upsert tables also rewrite the files that hold a changed key (copy-on-write,
 * see {@link CopyOnWrite}). Tables live at {@code <warehouse>/delta-tables/<namespace>/<name>}:
 * Delta tables have no catalog here, and the separate root keeps them clear of Iceberg tables of
 * the same name. Thread-safe; commits to one table from this process take turns.
 */
public final class DeltaTableSink implements TableSink {
  /** The directory under the warehouse that holds Delta tables. */
  public static final String ROOT = "delta-tables";

  private final String warehouse;
  private final org.apache.hadoop.conf.Configuration conf;
  private final FileIO io;
  private final Map<TableId, TableLog> logs = new ConcurrentHashMap<>();
  private final Map<TableId, ReentrantLock> commitLocks = new ConcurrentHashMap<>();

  public DeltaTableSink(FloeConfig config) {
    this(config.warehouse(), TableLog.configuration(config.s3()), WarehouseIO.open(config));
  }

  /**
   * @param warehouse local directory under which the tables live
   */
  public DeltaTableSink(String warehouse) {
    this(warehouse, TableLog.configuration());
  }

  /** With a Hadoop configuration of the caller's, e.g. another log store. */
  DeltaTableSink(String warehouse, org.apache.hadoop.conf.Configuration conf) {
    this(warehouse, conf, new LocalFileIO());
  }

  /**
   * @param io writes the data files (the log goes through {@code conf}'s file system)
   */
  private DeltaTableSink(String warehouse, org.apache.hadoop.conf.Configuration conf, FileIO io) {
    this.warehouse = warehouse;
    this.conf = conf;
    this.io = io;
  }

  /**
   * Where the Delta table {@code id} lives: under a local warehouse as {@link #location(String,
   * TableId)}; under {@code s3://bucket/prefix} as {@code s3a://bucket/prefix/delta-tables/...},
   * the scheme of Hadoop's S3A file system, which Delta's log store for S3 runs on.
   */
  public static String uri(String warehouse, TableId id) {
    if (!warehouse.startsWith("s3://")) {
      return location(warehouse, id).toString();
    }
    StringBuilder uri =
        new StringBuilder("s3a://").append(warehouse.substring("s3://".length())).append('/');
    uri.append(ROOT);
    for (String level : id.namespace()) {
      uri.append('/').append(level);
    }
    return uri.append('/').append(id.name()).toString();
  }

  /** Where the Delta table {@code id} lives under {@code warehouse}. */
  public static Path location(String warehouse, TableId id) {
    Path p = Path.of(warehouse).resolve(ROOT);
    for (String level : id.namespace()) {
      p = p.resolve(level);
    }
    return p.resolve(id.name());
  }

  @Override
  public String format() {
    return "delta";
  }

  @Override
  public PartitionOffsets committedOffsets(TableSpec table, String group) {
    TableLog log = log(table.id());
    return log.exists() ? log.offsets(group) : PartitionOffsets.empty();
  }

  @Override
  public WriteBatch newBatch(TableSpec table) {
    ReentrantLock lock = commitLocks.computeIfAbsent(table.id(), k -> new ReentrantLock());
    return new DeltaWriteBatch(table, location(table.id()), io, log(table.id()), lock);
  }

  /**
   * What rows of {@code rows} would change in the Delta table, one line per change, without
   * changing it; null when the table does not exist yet (it would be created from them).
   *
   * @param partial whether the rows leave out columns on purpose (key or metadata columns whose
   *     type comes from elsewhere): then absent top-level columns are not made nullable
   * @throws dev.floe.core.SchemaChangeException when the table cannot take such rows
   */
  public List<String> planSchema(
      TableSpec table, dev.floe.core.row.Type.Struct rows, boolean partial) {
    TableLog log = log(table.id());
    if (!log.exists()) {
      return null;
    }
    io.delta.standalone.actions.Metadata meta = log.metadata();
    Set<String> keep =
        partial ? Set.of(meta.getSchema().getFieldNames()) : Set.copyOf(meta.getPartitionColumns());
    return DeltaSchemaEvolution.plan(table, meta.getSchema(), keep, rows).described();
  }

  @Override
  public void close() {
    logs.clear();
    io.close();
  }

  private String location(TableId id) {
    return uri(warehouse, id);
  }

  private TableLog log(TableId id) {
    return logs.computeIfAbsent(id, i -> new TableLog(i, location(i), conf));
  }
}
