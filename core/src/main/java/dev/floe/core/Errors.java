package dev.floe.core;

/** The one factory for user-facing errors, so that every message has a problem and a fix. */
public final class Errors {
  private Errors() {}

  public static ConfigException config(String key, int line, String problem, String fix) {
    return new ConfigException(key, line, problem, fix);
  }

  public static BadRecordException badRecord(
      SourcePosition position,
      BadRecordException.Stage stage,
      String problem,
      String fix,
      Throwable cause) {
    return new BadRecordException(position, stage, problem, fix, cause);
  }

  public static CommitFencedException fenced(
      TableId table, SourcePartition partition, Long expected, Long actual) {
    return new CommitFencedException(
        "Table "
            + table
            + " offset of "
            + partition
            + " is "
            + actual
            + " but this writer started from "
            + expected
            + ": another writer committed it (this writer lost the partition in a rebalance)");
  }

  public static SchemaChangeException schemaChange(String problem, String fix) {
    return new SchemaChangeException(problem, fix);
  }

  public static TransientException transientFailure(String problem, String fix, Throwable cause) {
    return new TransientException(problem, fix, cause);
  }

  public static FloeException of(String problem, String fix, Throwable cause) {
    return new FloeException(problem, fix, cause);
  }
}
