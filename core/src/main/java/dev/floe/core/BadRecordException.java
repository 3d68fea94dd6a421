package dev.floe.core;

/** A record that cannot land in its table (undecodable, unconvertible, unwritable). */
public final class BadRecordException extends FloeException {
  /** Where in the pipeline the record failed; dead letters carry this as a header. */
  public enum Stage {
    DECODE,
    CONVERT,
    EVOLVE,
    WRITE
  }

  private final SourcePosition position;
  private final Stage stage;

  BadRecordException(
      SourcePosition position, Stage stage, String problem, String fix, Throwable cause) {
    super(
        "Record at " + position + " failed at " + stage.name().toLowerCase() + ": " + problem,
        fix,
        cause);
    this.position = position;
    this.stage = stage;
  }

  public SourcePosition position() {
    return position;
  }

  public Stage stage() {
    return stage;
  }
}
