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
    String fixText = fix == null ? null : ". Fix: " + fix;
    String causeText = cause == null ? null : cause.getMessage();
    if (causeText != null && fixText != null && causeText.endsWith(fixText)) {
      // a wrapper passing on its cause's fix says it once, at the end
      causeText = causeText.substring(0, causeText.length() - fixText.length());
    }
    if (causeText != null && !problem.contains(causeText)) {
      sb.append(": ").append(causeText);
    }
    if (fixText != null) {
      sb.append(fixText);
    }
    return sb.toString();
  }
}
