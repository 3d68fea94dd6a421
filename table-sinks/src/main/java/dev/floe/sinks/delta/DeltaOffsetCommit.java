package dev.floe.sinks.delta;

import dev.floe.core.CommitFencedException;
import dev.floe.core.Errors;
import dev.floe.core.FloeException;
import dev.floe.core.PartitionOffsets;
import dev.floe.core.TableId;
import io.delta.standalone.actions.AddFile;
import io.delta.standalone.exceptions.DeltaConcurrentModificationException;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Delta commit of data files together with a group's offsets, exactly once:
 *
 * <ol>
 *   <li>if an earlier attempt's outcome is unknown, look for this commit's id in the versions
 *       since: found means done;
 *   <li>start a transaction; fence: each partition's {@code txn} version must equal {@code
 *       expected}, else {@link CommitFencedException};
 *   <li>commit the {@code add} and {@code txn} actions; Delta's conflict check fails the commit if
 *       a concurrent commit added files or moved any {@code txn} it read (every Floe commit of the
 *       group moves the group's own {@code txn});
 *   <li>on a conflict, back off and start again (step 2 then fences a zombie); on an unknown
 *       outcome, remember the version it started from and start again (step 1 decides).
 * </ol>
 *
 * Writing a version file is put-if-absent, so of two attempts at most one lands, and step 1 finds
 * it.
 */
final class DeltaOffsetCommit {
  private static final Logger LOG = LoggerFactory.getLogger(DeltaOffsetCommit.class);
  static final int MAX_ATTEMPTS = 20;
  private static final long MIN_BACKOFF_MS = 50;
  private static final long MAX_BACKOFF_MS = 5_000;

  private final TableId id;
  private final TableLog log;
  private final List<AddFile> files;
  private final String group;
  private final PartitionOffsets expected;
  private final PartitionOffsets next;
  private final String commitId;
  private SchemaChange schemaChange; // null for none
  private long newestRecordMillis;
  private CopyOnWrite rewrite; // upserts: the files to rewrite without the batch's keys, or null
  private boolean uncertain;
  private long uncertainSince = -1; // the version before the first attempt with unknown outcome

  DeltaOffsetCommit(
      TableId id,
      TableLog log,
      List<AddFile> files,
      String group,
      PartitionOffsets expected,
      PartitionOffsets next,
      String commitId) {
    this.id = id;
    this.log = log;
    this.files = files;
    this.group = group;
    this.expected = expected;
    this.next = next;
    this.commitId = commitId;
  }

  /**
   * Makes the change's evolved schema the table's in the same commit, if the table still has the
   * change's base schema; null for no change.
   */
  DeltaOffsetCommit evolving(SchemaChange change) {
    this.schemaChange = change;
    return this;
  }

  /** Rewrites, in every attempt, the files holding keys the batch changed; null for none. */
  DeltaOffsetCommit rewriting(CopyOnWrite rewrite) {
    this.rewrite = rewrite;
    return this;
  }

  /** Records the newest source timestamp of the batch's records in the commitInfo. */
  DeltaOffsetCommit newestRecord(long epochMillis) {
    this.newestRecordMillis = epochMillis;
    return this;
  }

  /** Whether an attempt may have landed unseen: then the batch's files must never be deleted. */
  boolean uncertain() {
    return uncertain;
  }

  /** Commits and returns the version that holds the batch. */
  long run() {
    Exception last = null;
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      if (attempt > 1) {
        backoff(attempt);
      }
      long base;
      try {
        // a lower bound is enough: step 1 then searches a few more versions. Not listing the log
        // here saves a LIST per commit on S3 (the transaction lists it anyway)
        base = log.lastSeenVersion();
        long landed = uncertain ? log.find(commitId, uncertainSince) : -1;
        if (landed >= 0) {
          return landed;
        }
      } catch (Exception e) { // the store is unreachable: a transient fault
        last = e;
        continue;
      }
      try {
        return log.commit(
            files, schemaChange, rewrite, group, expected, next, commitId, newestRecordMillis);
      } catch (FloeException e) { // fenced, or the schema moved: nothing landed, retrying is vain
        throw e;
      } catch (DeltaConcurrentModificationException e) {
        LOG.debug("Delta table {} moved during commit {}; retrying", id, commitId, e);
        if (rewrite != null) { // the next attempt rewrites the files it then reads
          rewrite.discardAttempt();
        }
        last = e;
      } catch (Exception e) {
        // e.g. an I/O error while writing the version file, which delta-standalone (Scala) throws
        // as a checked IOException that no Java signature declares
        LOG.warn(
            "Commit {} to Delta table {} has an unknown outcome; checking the log before retrying",
            commitId,
            id,
            e);
        if (!uncertain) {
          uncertain = true;
          uncertainSince = base;
        }
        last = e;
      }
    }
    throw Errors.transientFailure(
        "Cannot commit to Delta table " + id + " after " + MAX_ATTEMPTS + " attempts",
        "check that the table's storage is reachable; Floe retries the batch from the table's offsets",
        last);
  }

  private void backoff(int attempt) {
    long max = Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS << Math.min(attempt - 2, 10));
    try {
      Thread.sleep(max / 2 + ThreadLocalRandom.current().nextLong(max / 2 + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Errors.of("Interrupted while committing to Delta table " + id, null, e);
    }
  }
}
