package dev.floe.core;

/**
 * Rows whose schema the table cannot take: a type change that is no promotion, or a change the
 * mapping's {@code schema-evolution} level does not allow. A bad record at the evolve stage.
 */
public final class SchemaChangeException extends FloeException {
  SchemaChangeException(String problem, String fix) {
    super(problem, fix, null);
  }
}
