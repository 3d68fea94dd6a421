package dev.floe.core;

/**
 * The one error type users see. Every message says what went wrong (naming the thing: config key
 * and line, topic/partition/offset, table), why, and how to fix it. Build instances through {@link
 * Errors} so the wording stays consistent.
 */
public class FloeException extends RuntimeException {
  private final String problem;
  private final String fix;

  protected FloeException(String problem, String fix, Throwable cause) {
    super(compose(problem, fix, cause), cause);
    this.problem = problem;
    this.fix = fix;
  }

  /** What went wrong, without the fix. */
  public String problem() {
    return problem;
  }

  /** How the user can fix it, or null when there is nothing to do but report it. */
  public String fix() {
    return fix;
  }

  private static String compose(String problem, String fix, Throwable cause) {
    StringBuilder sb = new StringBuilder(problem);
    // a wrapped Floe error contributes its problem only: its fix is usually the one passed here
    String because =
        cause instanceof FloeException f ? f.problem() : cause == null ? null : cause.getMessage();
    if (because != null && !problem.contains(because)) {
      sb.append(": ").append(because);
    }
    if (fix != null) {
      sb.append(". Fix: ").append(fix);
    }
    return sb.toString();
  }
}
