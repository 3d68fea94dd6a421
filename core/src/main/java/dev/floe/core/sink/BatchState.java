package dev.floe.core.sink;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a {@link WriteBatch} is in its life: open for rows, failed half-way through a row,
 * committing or aborted, or committed. Each table format's batch holds one, so that the rules of
 * what may follow what, and the errors that say so, are the same for every format. Not thread-safe,
 * like the batch.
 */
public final class BatchState {
  private static final Logger LOG = LoggerFactory.getLogger(BatchState.class);

  private enum Stage {
    OPEN,
    FAILED,
    CLOSED,
    COMMITTED
  }

  private final String table;
  private Stage stage = Stage.OPEN;

  /**
   * @param table how errors name the batch's table, e.g. {@code "Delta table db.t"} or {@code
   *     "table db.t"}
   */
  public BatchState(String table) {
    this.table = table;
  }

  /** Throws unless the batch still takes rows and can commit. */
  public void requireOpen() {
    if (stage != Stage.OPEN) {
      throw new IllegalStateException(
          "Batch of "
              + table
              + " is "
              + (stage == Stage.FAILED
                  ? "failed: abort it"
                  : "committed or aborted: start a new one"));
    }
  }

  /** True until the batch fails, commits or is aborted. */
  public boolean open() {
    return stage == Stage.OPEN;
  }

  /** True once a row failed half-way: its file's columns are uneven and only abort is left. */
  public boolean failed() {
    return stage == Stage.FAILED;
  }

  /** A row failed half-way through its file: the batch can only be aborted. */
  public void fail() {
    stage = Stage.FAILED;
  }

  /** The commit has begun: its files are closed, and no more rows are taken. */
  public void close() {
    stage = Stage.CLOSED;
  }

  /** The commit went through: the files belong to the table and abort leaves them. */
  public void committed() {
    stage = Stage.COMMITTED;
  }

  /**
   * Ends the batch for {@link WriteBatch#abort}: runs {@code closeFiles} when the files may still
   * be open (a failure there is only logged, since the files are deleted anyway). Returns whether
   * the batch's files are to be deleted: false once it committed, as they are the table's then.
   */
  public boolean abort(Runnable closeFiles) {
    if (stage == Stage.COMMITTED) {
      return false;
    }
    if (stage == Stage.OPEN || stage == Stage.FAILED) {
      stage = Stage.CLOSED;
      try {
        closeFiles.run();
      } catch (RuntimeException e) {
        LOG.debug("Closing files of an aborted batch failed; deleting them anyway", e);
      }
    }
    return true;
  }
}
