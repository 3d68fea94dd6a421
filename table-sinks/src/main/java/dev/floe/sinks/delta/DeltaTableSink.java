package dev.floe.sinks.delta;

import dev.floe.core.PartitionOffsets;
import dev.floe.core.TableId;
import dev.floe.core.config.FloeConfig;
import dev.floe.core.sink.MaintenanceJob;
import dev.floe.core.sink.TableSink;
import dev.floe.core.sink.TableSpec;
import dev.floe.core.sink.WriteBatch;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

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

  private final Path warehouse;
  private final org.apache.hadoop.conf.Configuration conf;
  private final Map<TableId, TableLog> logs = new ConcurrentHashMap<>();
  private final Map<TableId, ReentrantLock> commitLocks = new ConcurrentHashMap<>();

  public DeltaTableSink(FloeConfig config) {
    this(config.warehouse());
  }

  /**
   * @param warehouse local directory under which the tables live
   */
  public DeltaTableSink(String warehouse) {
    this(warehouse, TableLog.configuration());
  }

  /** With a Hadoop configuration of the caller's, e.g. another log store. */
  DeltaTableSink(String warehouse, org.apache.hadoop.conf.Configuration conf) {
    this.warehouse = Path.of(warehouse);
    this.conf = conf;
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
    return log.exists() ? log.summary(location(table.id()).toUri().toString()) : null;
  }

  @Override
  public WriteBatch newBatch(TableSpec table) {
    ReentrantLock lock = commitLocks.computeIfAbsent(table.id(), k -> new ReentrantLock());
    return new DeltaWriteBatch(table, location(table.id()), log(table.id()), lock);
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
    Path at = location(table.id());
    Duration retention = job.retention() == null ? DEFAULT_VACUUM : job.retention();
    return switch (job.kind()) {
      case COMPACT ->
          new DeltaOptimize(table.id(), at, log, table.targetFileSizeBytes()).run(job.dryRun());
      case EXPIRE -> DeltaLogCleanup.run(table.id(), at, log, retention, job.dryRun());
      case CHECKPOINT -> checkpoint(table, log, job.dryRun());
      case VACUUM, ORPHANS -> DeltaVacuum.run(table.id(), at, log, retention, job.dryRun());
      case REWRITE_MANIFESTS -> null;
    };
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
  }

  private Path location(TableId id) {
    return location(warehouse.toString(), id);
  }

  private TableLog log(TableId id) {
    return logs.computeIfAbsent(id, i -> new TableLog(i, location(i).toString(), conf));
  }
}
