package dev.floe.core;

/**
 * Another writer moved a table's offsets for partitions this writer owns: this writer is a zombie
 * (it lost the partitions in a rebalance). Its files are dropped and it re-reads the offsets.
 */
public final class CommitFencedException extends FloeException {
  CommitFencedException(String problem) {
    super(
        problem,
        "none needed: Floe drops the stale files and resumes from the table's offsets",
        null);
  }
}
