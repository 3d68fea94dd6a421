package dev.floe.core;

/**
 * A failure that may pass by itself (a registry, catalog or store unreachable for a while, a commit
 * that kept conflicting): Floe drops the open batches, waits and reads again from the tables'
 * offsets, rather than stopping. Nothing is skipped.
 */
public final class TransientException extends FloeException {
  TransientException(String problem, String fix, Throwable cause) {
    super(problem, fix, cause);
  }

  /**
   * Whether {@code e} is worth retrying: a transient failure, or a failure caused by I/O (storage,
   * network) anywhere in its causes.
   */
  public static boolean isTransient(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof TransientException || t instanceof java.io.IOException) {
        return true;
      }
    }
    return false;
  }
}
