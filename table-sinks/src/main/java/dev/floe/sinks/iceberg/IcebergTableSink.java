package dev.floe.sinks.iceberg;

import dev.floe.core.PartitionOffsets;
import dev.floe.core.config.CatalogSettings;
import dev.floe.core.config.FloeConfig;
import dev.floe.core.sink.TableSink;
import dev.floe.core.sink.TableSpec;
import dev.floe.core.sink.WriteBatch;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.iceberg.Table;

/**
 * Writes rows into Iceberg tables as Parquet data files and commits each batch, with the source
 * offsets it covers, in one snapshot. Offsets live in the snapshot summary ({@code
 * floe.offsets.<group>}), so the table alone says what it holds. Thread-safe; commits to one table
 * from this process take turns, so that local workers do not make each other retry.
 */
public final class IcebergTableSink implements TableSink {
  private final IcebergCatalogs catalogs;
  private final Tables tables;
  private final Map<String, ReentrantLock> commitLocks = new ConcurrentHashMap<>();

  public IcebergTableSink(FloeConfig config) {
    this(config.catalogs(), config.warehouse(), config.s3());
  }

  /**
   * @param catalogs the catalogs by name, as in {@link FloeConfig#catalogs()}
   * @param warehouse local directory for the data of catalogs that set no warehouse of their own
   */
  public IcebergTableSink(Map<String, CatalogSettings> catalogs, String warehouse) {
    this(catalogs, warehouse, null);
  }

  /**
   * @param s3 how to reach an {@code s3://} warehouse; null for a local one
   */
  private IcebergTableSink(
      Map<String, CatalogSettings> catalogs, String warehouse, dev.floe.core.config.S3Settings s3) {
    // Iceberg's worker pool registers a JVM shutdown hook when first used; created during shutdown
    // it
    // fails ("Shutdown in progress"), so create it now rather than in a final commit.
    org.apache.iceberg.util.ThreadPools.getWorkerPool();
    this.catalogs = new IcebergCatalogs(catalogs, warehouse, s3);
    this.tables = new Tables(this.catalogs);
  }

  @Override
  public String format() {
    return "iceberg";
  }

  @Override
  public PartitionOffsets committedOffsets(TableSpec table, String group) {
    Table t = tables.load(table);
    return t == null
        ? PartitionOffsets.empty()
        : SnapshotOffsets.read(t, t.currentSnapshot(), group);
  }

  @Override
  public dev.floe.core.sink.TableSummary summary(TableSpec table) {
    Table t = tables.load(table);
    if (t == null || t.currentSnapshot() == null) {
      return null;
    }
    org.apache.iceberg.Snapshot s = t.currentSnapshot();
    return new dev.floe.core.sink.TableSummary(
        format(),
        s.snapshotId(),
        s.timestampMillis(),
        Long.parseLong(s.summary().getOrDefault("total-records", "0")),
        Long.parseLong(s.summary().getOrDefault("total-data-files", "0")),
        newestRecord(t, s),
        ((org.apache.iceberg.HasTableOperations) t).operations().current().metadataFileLocation());
  }

  /** From the newest Floe commit: compaction and expiry snapshots carry no record timestamps. */
  private static long newestRecord(Table t, org.apache.iceberg.Snapshot s) {
    for (int i = 0; s != null && i < 100; i++) {
      String ms = s.summary().get(SnapshotOffsets.NEWEST_RECORD);
      if (ms != null) {
        return Long.parseLong(ms);
      }
      s = s.parentId() == null ? null : t.snapshot(s.parentId());
    }
    return 0;
  }

  @Override
  public WriteBatch newBatch(TableSpec table) {
    ReentrantLock lock =
        commitLocks.computeIfAbsent(table.catalog() + ":" + table.id(), k -> new ReentrantLock());
    return new IcebergWriteBatch(table, tables, lock);
  }

  /**
   * What rows of {@code rows} would change in the table, one line per change, without changing it;
   * null when the table does not exist yet (it would be created from them).
   *
   * @param partial whether the rows leave out columns on purpose (key or metadata columns whose
   *     type comes from elsewhere): then absent columns are not made optional
   * @throws dev.floe.core.SchemaChangeException when the table cannot take such rows
   */
  public java.util.List<String> planSchema(
      TableSpec table, dev.floe.core.row.Type.Struct rows, boolean partial) {
    Table t = tables.load(table);
    if (t == null) {
      return null;
    }
    return SchemaEvolution.plan(table, t.schema(), rows, SourceIds.read(t), partial).described();
  }

  /**
   * Compacts a table now: small files bin-packed per partition, deletes applied and dropped, beside
   * running ingestion (see {@link Compaction}). With {@code dryRun} it only reports what it would
   * rewrite.
   *
   * @throws dev.floe.core.TransientException when the rewrite failed or lost a commit race; nothing
   *     changed
   */
  @Override
  public String compact(TableSpec table) {
    return compact(table, false).describe();
  }

  public CompactionReport compact(TableSpec table, boolean dryRun) {
    Table t = tables.load(table);
    if (t == null) {
      return new CompactionReport(table.id().toString(), 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, dryRun);
    }
    long target =
        org.apache.iceberg.util.PropertyUtil.propertyAsLong(
            t.properties(),
            org.apache.iceberg.TableProperties.WRITE_TARGET_FILE_SIZE_BYTES,
            table.targetFileSizeBytes());
    return new Compaction(table.id(), t, target).run(dryRun);
  }

  /**
   * Expires a table's snapshots older than {@code olderThan}, keeping the newest Floe commit (its
   * offsets) whatever its age; returns how many went, 0 when the table does not exist.
   */
  @Override
  public String expireSnapshots(TableSpec table, java.time.Duration olderThan) {
    Table t = tables.load(table);
    int expired = t == null ? 0 : SnapshotExpiry.run(table.id(), t, olderThan);
    return table.id()
        + ": expired "
        + expired
        + " snapshot(s) older than "
        + dev.floe.core.Durations.format(olderThan)
        + " (the newest Floe commit is always kept)";
  }

  /** Orphan removal's safety window when the job names none. */
  static final java.time.Duration DEFAULT_ORPHANS = java.time.Duration.ofDays(3);

  /** Expiry's retention when the job names none. */
  static final java.time.Duration DEFAULT_EXPIRY = java.time.Duration.ofDays(7);

  /**
   * Runs compaction, snapshot expiry, orphan-file removal ({@code orphans} and {@code vacuum}) or a
   * manifest rewrite; null for {@code checkpoint}, which Iceberg has no use for.
   */
  @Override
  public String maintain(TableSpec table, dev.floe.core.sink.MaintenanceJob job) {
    if (job.kind() == dev.floe.core.sink.MaintenanceJob.Kind.CHECKPOINT) {
      return null;
    }
    if (job.kind() == dev.floe.core.sink.MaintenanceJob.Kind.COMPACT) {
      return compact(table, job.dryRun()).describe();
    }
    Table t = tables.load(table);
    if (t == null) {
      return table.id() + ": no Iceberg table yet, nothing to do";
    }
    return switch (job.kind()) {
      case EXPIRE ->
          job.dryRun()
              ? table.id() + ": expiry has no dry run; it keeps the newest Floe commit"
              : expireSnapshots(table, job.retention() == null ? DEFAULT_EXPIRY : job.retention());
      case ORPHANS, VACUUM ->
          OrphanFiles.run(
              table.id(),
              t,
              job.retention() == null ? DEFAULT_ORPHANS : job.retention(),
              job.dryRun());
      case REWRITE_MANIFESTS ->
          ManifestRewrite.run(table.id(), t, job.manifestsAbove(), job.dryRun());
      default -> throw new IllegalStateException("unhandled " + job.kind());
    };
  }

  @Override
  public void close() {
    catalogs.close();
  }
}
