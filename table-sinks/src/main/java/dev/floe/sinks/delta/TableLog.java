package dev.floe.sinks.delta;

import dev.floe.core.Errors;
import dev.floe.core.PartitionOffsets;
import dev.floe.core.SchemaChangeException;
import dev.floe.core.SourcePartition;
import dev.floe.core.TableId;
import io.delta.standalone.DeltaLog;
import io.delta.standalone.Operation;
import io.delta.standalone.OptimisticTransaction;
import io.delta.standalone.VersionLog;
import io.delta.standalone.actions.Action;
import io.delta.standalone.actions.AddFile;
import io.delta.standalone.actions.CommitInfo;
import io.delta.standalone.actions.Metadata;
import io.delta.standalone.actions.SetTransaction;
import io.delta.standalone.exceptions.DeltaConcurrentModificationException;
import io.delta.standalone.types.StructType;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;

/**
 * The one class that speaks to the Delta transaction log (delta-standalone), so that a move to
 * Delta Kernel stays local. Floe's offsets live in the log twice: as {@code txn} actions, which
 * Delta's conflict checker guards, and as a map in the {@code commitInfo} of every Floe commit (see
 * {@link LogOffsets}).
 */
final class TableLog {
  static final String ENGINE = "Floe";

  /** Versions read per step when looking back for a group's last commit. */
  private static final int LOOKBACK_WINDOW = 100;

  private final TableId id;
  private final DeltaLog log;

  TableLog(TableId id, String location, Configuration conf) {
    this.id = id;
    this.log = DeltaLog.forTable(conf, location);
  }

  /**
   * Hadoop's defaults (core-default.xml) name the file systems Delta's checkpoints go through; the
   * log itself goes through {@link LocalFileLogStore}.
   */
  static Configuration configuration() {
    Configuration conf = new Configuration();
    conf.set("delta.logStore.file.impl", LocalFileLogStore.class.getName());
    return conf;
  }

  /**
   * @param s3 null for a local warehouse; else the log goes through Hadoop's S3A file system (see
   *     {@link S3aSettings})
   */
  static Configuration configuration(dev.floe.core.config.S3Settings s3) {
    Configuration conf = configuration();
    if (s3 != null) {
      S3aSettings.apply(s3, conf);
    }
    return conf;
  }

  /** Whether the table exists, as of the latest version in the log. */
  boolean exists() {
    log.update();
    return log.tableExists();
  }

  /** The latest table metadata (schema, partition columns, configuration). */
  Metadata metadata() {
    return log.update().getMetadata();
  }

  /** The latest version's files, rows and commit time, for {@code floe status}. */
  dev.floe.core.sink.TableSummary summary(String location) {
    io.delta.standalone.Snapshot snapshot = log.update();
    List<io.delta.standalone.actions.AddFile> files = snapshot.getAllFiles();
    return new dev.floe.core.sink.TableSummary(
        "delta",
        snapshot.getVersion(),
        log.getCommitInfoAt(snapshot.getVersion()).getTimestamp().getTime(),
        LogOffsets.records(files),
        files.size(),
        newestRecord(snapshot.getVersion()),
        location);
  }

  /** From the newest Floe commit, looking back at most 100 versions (maintenance commits). */
  private long newestRecord(long version) {
    for (long v = version; v >= 0 && v > version - 100; v--) {
      long ms = LogOffsets.newestRecord(log.getCommitInfoAt(v));
      if (ms > 0) {
        return ms;
      }
    }
    return 0;
  }

  /** The table's latest version, listing the log for it. */
  long version() {
    return log.update().getVersion();
  }

  /**
   * The version this process last saw, without listing the log (a LIST request on S3): at most the
   * latest, since versions only grow.
   */
  long lastSeenVersion() {
    return log.snapshot().getVersion();
  }

  /**
   * Creates the table at version 0. Returns false when another writer created it first (the caller
   * then reads the winner's metadata).
   */
  boolean create(StructType schema, List<String> partitionColumns, Map<String, String> config) {
    OptimisticTransaction txn = log.startTransaction();
    if (txn.readVersion() >= 0) {
      return false;
    }
    txn.updateMetadata(
        Metadata.builder()
            .id(UUID.randomUUID().toString())
            .name(id.name())
            .schema(schema)
            .partitionColumns(partitionColumns)
            .configuration(config)
            .createdTime(System.currentTimeMillis())
            .build());
    try {
      txn.commit(List.of(), new Operation(Operation.Name.CREATE_TABLE), ENGINE);
      return true;
    } catch (DeltaConcurrentModificationException e) {
      return false;
    }
  }

  /**
   * The group's offsets as the latest version holds them: the partitions named by the newest Floe
   * {@code commitInfo}, each at its {@code txn} version.
   */
  PartitionOffsets offsets(String group) {
    OptimisticTransaction txn = log.startTransaction();
    PartitionOffsets listed = listedOffsets(txn.readVersion(), group);
    Map<SourcePartition, Long> offsets = new java.util.HashMap<>();
    listed
        .asMap()
        .forEach(
            (p, fromInfo) -> {
              long v = txn.txnVersion(LogOffsets.appId(group, p));
              offsets.put(p, v >= 0 ? v : fromInfo); // txn actions are the truth when present
            });
    return PartitionOffsets.of(offsets);
  }

  /**
   * One attempt to commit {@code files} with the group's offsets. Fails with {@link
   * dev.floe.core.CommitFencedException} when a partition's offset is not {@code expected}, and
   * with {@link DeltaConcurrentModificationException} when another commit of the group (or any
   * commit adding files) landed after the transaction started.
   *
   * @return the committed version
   */
  long commit(
      List<AddFile> files,
      SchemaChange schemaChange,
      CopyOnWrite rewrite,
      String group,
      PartitionOffsets expected,
      PartitionOffsets next,
      String commitId,
      long newestRecordMillis) {
    OptimisticTransaction txn = log.startTransaction();
    // any concurrent commit adding files, or any Floe commit of the group, makes this one conflict
    // instead of being rebased silently onto a base whose offsets it did not read
    txn.readWholeTable();
    long groupCommits = txn.txnVersion(LogOffsets.groupAppId(group));
    for (Map.Entry<SourcePartition, Long> e : next.asMap().entrySet()) {
      long v = txn.txnVersion(LogOffsets.appId(group, e.getKey()));
      Long actual = v >= 0 ? v : null;
      Long wanted = expected.next(e.getKey());
      if (!Objects.equals(actual, wanted)) {
        throw Errors.fenced(id, e.getKey(), wanted, actual);
      }
    }
    if (schemaChange != null) {
      evolve(txn, schemaChange);
    }
    PartitionOffsets merged = listedOffsets(txn.readVersion(), group).with(next);
    List<Action> actions = new ArrayList<>(files.size() + next.asMap().size() + 1);
    actions.addAll(files);
    if (rewrite != null && !rewrite.isEmpty() && txn.readVersion() >= 0) {
      // the files as this transaction reads them: a concurrent rewrite of one makes it conflict
      actions.addAll(
          rewrite.rewrite(log.getSnapshotForVersionAsOf(txn.readVersion()).getAllFiles()));
    }
    long now = System.currentTimeMillis();
    next.asMap()
        .forEach(
            (p, offset) ->
                actions.add(
                    new SetTransaction(LogOffsets.appId(group, p), offset, Optional.of(now))));
    actions.add(
        new SetTransaction(
            LogOffsets.groupAppId(group), Math.max(groupCommits, 0) + 1, Optional.of(now)));
    Operation op =
        new Operation(
            Operation.Name.STREAMING_UPDATE,
            LogOffsets.parameters(group, merged, commitId, newestRecordMillis),
            Map.of(
                "numFiles", String.valueOf(files.size()),
                "numOutputRows", String.valueOf(LogOffsets.records(files))),
            Optional.empty());
    return txn.commit(actions, op, ENGINE).getVersion();
  }

  /**
   * Puts a {@code metaData} action with the evolved schema (same id, partition columns and
   * configuration) into the transaction, unless another commit evolved the table the same way.
   */
  private void evolve(OptimisticTransaction txn, SchemaChange change) {
    StructType base = change.base();
    StructType evolved = change.evolved();
    Metadata current = txn.metadata();
    if (current.getSchema().equals(evolved)) {
      return;
    }
    if (!current.getSchema().equals(base)) {
      throw Errors.of(
          "Delta table "
              + id
              + "'s schema changed while this batch evolved it; its files may not fit the table"
              + " any more",
          "restart Floe if it stopped: the batch was dropped, its records are read again from the"
              + " table's offsets",
          null);
    }
    Map<String, String> configuration = new java.util.HashMap<>(current.getConfiguration());
    if (change.source() != null) {
      configuration.put(SchemaChangeException.TABLE_SOURCE_PROPERTY, change.source());
    }
    txn.updateMetadata(current.copyBuilder().schema(evolved).configuration(configuration).build());
  }

  /** The version holding {@code commitId} among those after {@code since}, or -1. */
  long find(String commitId, long since) {
    long latest = version();
    for (long v = latest; v > since; v--) {
      if (commitId.equals(LogOffsets.commitId(log.getCommitInfoAt(v)))) {
        return v;
      }
    }
    return -1;
  }

  /**
   * The group's map in the newest Floe commitInfo at or before {@code version}. Usually that is the
   * latest version itself; otherwise (other writers committed since, or the group is new to the
   * table) the log is read forward in windows going back, so that each window lists the log once.
   */
  private PartitionOffsets listedOffsets(long version, String group) {
    if (version < 0) {
      return PartitionOffsets.empty();
    }
    PartitionOffsets latest = LogOffsets.read(id, version, commitInfo(version), group);
    if (latest != null) {
      return latest;
    }
    for (long end = version - 1; end >= 0; end -= LOOKBACK_WINDOW) {
      long from = Math.max(0, end - LOOKBACK_WINDOW + 1);
      PartitionOffsets found = null;
      try {
        Iterator<VersionLog> changes = log.getChanges(from, false);
        while (changes.hasNext()) {
          VersionLog v = changes.next();
          if (v.getVersion() > end) {
            break;
          }
          for (Action a : v.getActions()) {
            if (a instanceof CommitInfo info) {
              PartitionOffsets offsets = LogOffsets.read(id, v.getVersion(), info, group);
              found = offsets != null ? offsets : found;
            }
          }
        }
      } catch (
          Exception e) { // JSON of old versions removed by log cleanup (an undeclared IOException)
        return found != null ? found : PartitionOffsets.empty();
      }
      if (found != null) {
        return found;
      }
    }
    return PartitionOffsets.empty();
  }

  /** A transaction reading the latest version, for a maintenance rewrite of its files. */
  OptimisticTransaction startRewrite() {
    return log.startTransaction();
  }

  /** The data files of the version {@code txn} reads. */
  List<AddFile> files(OptimisticTransaction txn) {
    return txn.readVersion() < 0
        ? List.of()
        : log.getSnapshotForVersionAsOf(txn.readVersion()).getAllFiles();
  }

  /**
   * Commits a rewrite that changes no rows ({@code remove} + {@code add} with dataChange=false).
   * Delta's conflict check fails it with {@link DeltaConcurrentModificationException} when a commit
   * since {@code txn} started removed one of the same files (an upsert's copy-on-write): committing
   * then would bring back the rows that commit took out.
   */
  long commitRewrite(OptimisticTransaction txn, List<Action> actions, String what) {
    Operation op =
        new Operation(Operation.Name.MANUAL_UPDATE, Map.of(), Map.of(), Optional.of(what));
    return txn.commit(actions, op, ENGINE).getVersion();
  }

  /** Writes a checkpoint of the latest version; returns that version, -1 for no table. */
  long checkpoint() {
    io.delta.standalone.Snapshot latest = log.update();
    if (latest.getVersion() < 0) {
      return -1;
    }
    // delta-standalone checkpoints by itself every delta.checkpointInterval commits; its public API
    // has no checkpoint call, the implementation class has
    ((io.delta.standalone.internal.DeltaLogImpl) log).checkpoint();
    return latest.getVersion();
  }

  /**
   * Paths (as {@code add}/{@code remove} actions write them) that the latest version references, or
   * that it removed at or after {@code sinceMillis}: readers of those recent versions may still
   * open them.
   */
  java.util.Set<String> referencedPaths(long sinceMillis) {
    io.delta.standalone.Snapshot latest = log.update();
    java.util.Set<String> paths = new java.util.HashSet<>();
    if (latest.getVersion() < 0) {
      return paths;
    }
    latest.getAllFiles().forEach(f -> paths.add(f.getPath()));
    // removes are kept in the snapshot state for delta.deletedFileRetentionDuration (1 week)
    scala.jdk.javaapi.CollectionConverters.asJava(
            ((io.delta.standalone.internal.SnapshotImpl) latest).tombstones())
        .forEach(
            r -> {
              if (r.getDeletionTimestamp().orElse(Long.MAX_VALUE) >= sinceMillis) {
                paths.add(r.getPath());
              }
            });
    return paths;
  }

  /** The newest version written by a Floe ingestion commit (it lists the offsets), or -1. */
  long newestFloeCommit() {
    for (long v = version(); v >= 0; v--) {
      CommitInfo info = commitInfo(v);
      if (info == null) {
        return -1; // cleaned up before: nothing older is readable either
      }
      if (LogOffsets.commitId(info) != null) {
        return v;
      }
    }
    return -1;
  }

  private CommitInfo commitInfo(long version) {
    try {
      return log.getCommitInfoAt(version);
    } catch (Exception e) { // cleaned up, or unreadable: the caller looks further back
      return null;
    }
  }
}
