package dev.floe.sinks.iceberg;

import dev.floe.core.Errors;
import dev.floe.core.PartitionOffsets;
import dev.floe.core.SourcePartition;
import dev.floe.core.TableId;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.BaseTable;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.RowDelta;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.Transaction;
import org.apache.iceberg.UpdateSchema;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One table commit of data files (and, for upserts, delete files) together with a group's offsets,
 * exactly once:
 *
 * <ol>
 *   <li>refresh the table; its current snapshot is the base;
 *   <li>if an earlier attempt's outcome is unknown, look for this commit's id among the snapshots
 *       since that attempt's base: found means done;
 *   <li>fence: the group's offsets at the base must equal {@code expected} for every partition of
 *       {@code next}, else {@link dev.floe.core.CommitFencedException};
 *   <li>append the files with the base's offsets overlaid by {@code next}, through {@link
 *       GuardedOperations} so that the commit lands on this base or not at all;
 *   <li>on a concurrent commit, back off and start again; on an unknown outcome, remember it and
 *       start again (step 2 decides).
 * </ol>
 *
 * A retry after an unknown outcome cannot duplicate the batch: both attempts are compare-and-swap
 * commits in the catalog, the earlier on a base that is an ancestor of (or equal to) the later
 * one's, so at most one of them can land, and step 2 finds it if it did.
 */
final class OffsetCommit {
  private static final Logger LOG = LoggerFactory.getLogger(OffsetCommit.class);
  static final int MAX_ATTEMPTS = 20;
  private static final long MIN_BACKOFF_MS = 50;
  private static final long MAX_BACKOFF_MS = 5_000;

  private final TableId id;
  private final Table table;
  private final List<DataFile> files;
  private final List<DeleteFile> deletes;
  private final String group;
  private final PartitionOffsets expected;
  private final PartitionOffsets next;
  private final String commitId;
  private boolean uncertain;
  private Long uncertainSince; // base snapshot of the first attempt whose outcome is unknown

  OffsetCommit(
      TableId id,
      Table table,
      List<DataFile> files,
      List<DeleteFile> deletes,
      String group,
      PartitionOffsets expected,
      PartitionOffsets next,
      String commitId) {
    this.id = id;
    this.table = table;
    this.files = files;
    this.deletes = deletes;
    this.group = group;
    this.expected = expected;
    this.next = next;
    this.commitId = commitId;
  }

  private List<SchemaEvolution> evolutions = List.of();
  private org.apache.iceberg.Schema evolvedSchema;
  private String sourceIds;
  private String schemaSource;
  private long newestRecordMillis;

  /**
   * Commits {@code evolutions} of the table's schema in the same commit as the files, which were
   * written with {@code evolved}; {@code sourceIds} is the new floe.source-ids property, or null.
   */
  OffsetCommit evolving(
      List<SchemaEvolution> evolutions,
      org.apache.iceberg.Schema evolved,
      String sourceIds,
      String schemaSource) {
    this.evolutions = List.copyOf(evolutions);
    this.evolvedSchema = evolved;
    this.sourceIds = sourceIds;
    this.schemaSource = schemaSource;
    return this;
  }

  /** Records the newest source timestamp of the batch's records in the snapshot summary. */
  OffsetCommit newestRecord(long epochMillis) {
    this.newestRecordMillis = epochMillis;
    return this;
  }

  /** Whether an attempt may have landed unseen: then the batch's files must never be deleted. */
  boolean uncertain() {
    return uncertain;
  }

  /** Commits and returns the id of the snapshot that holds the batch. */
  long run() {
    RuntimeException last = null;
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      if (attempt > 1) {
        backoff(attempt);
      }
      Snapshot base;
      try {
        table.refresh();
        base = table.currentSnapshot();
        Snapshot landed = uncertain ? find(base) : null;
        if (landed != null) {
          return landed.snapshotId();
        }
      } catch (RuntimeException e) { // the catalog is unreachable: a transient fault
        last = e;
        continue;
      }
      fence(base);
      GuardedOperations ops =
          new GuardedOperations(((HasTableOperations) table).operations(), base);
      try {
        Table guarded = new BaseTable(ops, table.name());
        Map<String, String> summary = SnapshotOffsets.summary(table, base, group, next, commitId);
        if (newestRecordMillis > 0) {
          summary.put(SnapshotOffsets.NEWEST_RECORD, String.valueOf(newestRecordMillis));
        }
        if (evolutions.isEmpty()) {
          commitFiles(guarded, summary);
        } else { // the schema the files were written with becomes the table's in the same commit
          Transaction txn = guarded.newTransaction();
          UpdateSchema update = txn.updateSchema();
          evolutions.forEach(e -> e.applyTo(update));
          update.commit();
          if (!txn.table().schema().sameSchema(evolvedSchema)) {
            throw Errors.of(
                "Table "
                    + id
                    + "'s schema changed while this batch evolved it; its files do not fit the"
                    + " table any more",
                "restart Floe if it stopped: the batch was dropped, its records are read again"
                    + " from the table's offsets",
                null);
          }
          org.apache.iceberg.UpdateProperties properties = txn.updateProperties();
          if (sourceIds != null) {
            properties.set(SourceIds.PROPERTY, sourceIds);
          }
          if (schemaSource != null) {
            properties.set(dev.floe.core.SchemaChangeException.TABLE_SOURCE_PROPERTY, schemaSource);
          }
          properties.commit();
          commitFiles(txn.table(), summary);
          txn.commitTransaction();
          // a transaction takes its snapshot id from its own operations, not from ops
          return txn.table().currentSnapshot().snapshotId();
        }
        return ops.lastSnapshotId();
      } catch (dev.floe.core.FloeException e) {
        throw e; // nothing was committed, and retrying cannot help
      } catch (GuardedOperations.BaseMovedException | CommitFailedException e) {
        LOG.debug("Table {} moved during commit {}; retrying", id, commitId, e);
        last = e;
      } catch (
          RuntimeException e) { // CommitStateUnknownException, or a failure whose effect is unknown
        LOG.warn(
            "Commit {} to table {} has an unknown outcome; checking the table before retrying",
            commitId,
            id,
            e);
        if (!uncertain) {
          uncertain = true;
          uncertainSince = base == null ? null : base.snapshotId();
        }
        last = e;
      }
    }
    throw Errors.transientFailure(
        "Cannot commit to table " + id + " after " + MAX_ATTEMPTS + " attempts",
        "check that the catalog is reachable; Floe retries the batch from the table's offsets",
        last);
  }

  private void commitFiles(Table target, Map<String, String> summary) {
    if (deletes.isEmpty()) {
      AppendFiles append = target.newAppend();
      files.forEach(append::appendFile);
      summary.forEach(append::set);
      append.commit();
    } else { // upserts: rows and the deletes of their keys become visible together
      RowDelta delta = target.newRowDelta();
      files.forEach(delta::addRows);
      deletes.forEach(delta::addDeletes);
      summary.forEach(delta::set);
      delta.commit();
    }
  }

  private void fence(Snapshot base) {
    PartitionOffsets current = SnapshotOffsets.read(table, base, group);
    for (Map.Entry<SourcePartition, Long> e : next.asMap().entrySet()) {
      Long actual = current.next(e.getKey());
      Long wanted = expected.next(e.getKey());
      if (!Objects.equals(actual, wanted)) {
        throw Errors.fenced(id, e.getKey(), wanted, actual);
      }
    }
  }

  /**
   * This commit's snapshot among {@code head} and its ancestors down to the first uncertain base.
   */
  private Snapshot find(Snapshot head) {
    for (Snapshot s = head;
        s != null;
        s = s.parentId() == null ? null : table.snapshot(s.parentId())) {
      if (uncertainSince != null && s.snapshotId() == uncertainSince) {
        return null;
      }
      if (commitId.equals(s.summary().get(SnapshotOffsets.COMMIT_ID))) {
        return s;
      }
    }
    return null;
  }

  private void backoff(int attempt) {
    long max = Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS << Math.min(attempt - 2, 10));
    try {
      Thread.sleep(
          max / 2
              + ThreadLocalRandom.current().nextLong(max / 2 + 1)); // jitter de-synchronizes rivals
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Errors.of("Interrupted while committing to table " + id, null, e);
    }
  }
}
