package dev.floe.app;

/** Process exit codes, documented in docs/operations.md. */
final class ExitCodes {
  static final int OK = 0;

  /** The pipeline stopped on an error (bad record with on-error: stop, unreachable dependency). */
  static final int FAILED = 1;

  /** The configuration is invalid; nothing was started. */
  static final int BAD_CONFIG = 2;

  private ExitCodes() {}
}
