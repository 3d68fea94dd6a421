package dev.floe.core.sink;

/**
 * Told about every table commit that went through, on the committing thread: implementations hand
 * the work to a thread of their own and return at once, so that ingestion never waits for them.
 */
@FunctionalInterface
public interface CommitListener {
  void committed(TableSpec table, CommitResult result);
}
