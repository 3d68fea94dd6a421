package dev.floe.sinks.delta;

import dev.floe.core.PartitionOffsets;
import dev.floe.core.TableId;
import dev.floe.core.config.FloeConfig;
import dev.floe.core.sink.MaintenanceJob;
import dev.floe.core.sink.TableSink;
import dev.floe.core.sink.TableSpec;
import dev.floe.core.sink.WriteBatch;
import dev.floe.sinks.iceberg.LocalFileIO;
import dev.floe.sinks.iceberg.WarehouseIO;
import java.nio.file.Path;
import java.time.Duration;
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

  /** VACUUM's retention when the job names none: Delta's own default. */
  static final Duration DEFAULT_VACUUM = Duration.ofDays(7);

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
   * @param io writes the data files, and lists and deletes them for VACUUM and log cleanup (the log
   *     itself is written through {@code conf}'s file system)
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
  public dev.floe.core.sink.TableSummary summary(TableSpec table) {
    TableLog log = log(table.id());
    return log.exists() ? log.summary(catalogUri(location(table.id()))) : null;
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

  /** OPTIMIZE: small files bin-packed per partition (see {@link DeltaOptimize}). */
  @Override
  public String compact(TableSpec table) {
    return maintain(table, MaintenanceJob.of(MaintenanceJob.Kind.COMPACT));
  }

  /** Log cleanup: log files before the latest checkpoint older than {@code olderThan} go. */
  @Override
  public String expireSnapshots(TableSpec table, Duration olderThan) {
    return maintain(table, new MaintenanceJob(MaintenanceJob.Kind.EXPIRE, olderThan, 0, false));
  }

  /**
   * Runs OPTIMIZE ({@code compact}), log cleanup ({@code expire}), a checkpoint, or VACUUM ({@code
   * vacuum} and {@code orphans}: both delete unreferenced files); null for {@code
   * rewrite-manifests}, which Delta has no use for.
   */
  @Override
  public String maintain(TableSpec table, MaintenanceJob job) {
    TableLog log = log(table.id());
    String at = location(table.id());
    Duration retention = job.retention() == null ? DEFAULT_VACUUM : job.retention();
    return switch (job.kind()) {
      case COMPACT ->
          new DeltaOptimize(table.id(), at, io, log, table.targetFileSizeBytes()).run(job.dryRun());
      case EXPIRE -> DeltaLogCleanup.run(table.id(), at, io, log, retention, job.dryRun());
      case CHECKPOINT -> checkpoint(table, log, job.dryRun());
      case VACUUM, ORPHANS -> DeltaVacuum.run(table.id(), at, io, log, retention, job.dryRun());
      case REWRITE_MANIFESTS -> null;
    };
  }

  /**
   * The table's location as catalogs and engines name it: {@code file:///...} for a local table,
   * {@code s3://bucket/...} for one on S3 (Hadoop's S3A scheme is Floe's business; Athena and Glue
   * expect {@code s3://}).
   */
  static String catalogUri(String location) {
    if (location.startsWith("s3a://")) {
      return "s3://" + location.substring("s3a://".length());
    }
    return location.contains("://") ? location : Path.of(location).toUri().toString();
  }

  private static String checkpoint(TableSpec table, TableLog log, boolean dryRun) {
    long start = System.nanoTime();
    if (!log.exists()) {
      return table.id() + ": no Delta table yet, nothing to checkpoint";
    }
    long version = dryRun ? log.version() : log.checkpoint();
    return String.format(
        "%s: %s version %d, in %d ms",
        table.id(),
        dryRun ? "would checkpoint" : "checkpointed",
        version,
        (System.nanoTime() - start) / 1_000_000);
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
