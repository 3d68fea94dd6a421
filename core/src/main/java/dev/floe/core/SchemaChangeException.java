package dev.floe.core;

/**
 * Rows whose schema the table cannot take: a type change that is no promotion, or a change the
 * mapping's {@code schema-evolution} level does not allow. A bad record at the evolve stage.
 */
public final class SchemaChangeException extends FloeException {
  /**
   * The table property (Iceberg) or Delta configuration key that names the source schema whose rows
   * created the table or last changed its columns, e.g. {@code schema id 42}.
   */
  public static final String TABLE_SOURCE_PROPERTY = "floe.schema-source";

  SchemaChangeException(String problem, String fix) {
    super(problem, fix, null);
  }

  /** This refusal, also naming the source schema that last set the table's columns, if known. */
  public SchemaChangeException naming(String tableSource) {
    return tableSource == null
        ? this
        : new SchemaChangeException(
            problem() + " (the table's columns were last set by rows of " + tableSource + ")",
            fix());
  }
}
