package dev.floe.core.sink;

import dev.floe.core.Errors;
import java.util.List;

/**
 * The key columns a table was created with, recorded with the table (Iceberg property, Delta
 * configuration) so that a mapping whose mode or key columns changed is refused: the table's rows
 * were deduplicated and deleted by the key they were written with, and another key would leave
 * duplicates or delete the wrong rows.
 */
public final class TableKeys {
  /** The table property; an empty value records an append-only table. */
  public static final String PROPERTY = "floe.key-columns";

  private TableKeys() {}

  /** The property value for a table of {@code spec}. */
  public static String of(TableSpec spec) {
    return String.join(",", spec.keyColumns());
  }

  /**
   * Checks the mapping against the key columns the table records ({@code recorded}; null for a
   * table created before Floe recorded them, or by another tool, which is not checked).
   */
  public static void check(TableSpec spec, String recorded) {
    if (recorded == null || recorded.equals(of(spec))) {
      return;
    }
    throw Errors.of(
        "Table "
            + spec.id()
            + " was written "
            + describe(recorded.isEmpty() ? List.of() : List.of(recorded.split(",")))
            + " but its mapping now writes it "
            + describe(spec.keyColumns()),
        "restore the mapping's mode and key.columns, or write to a new table (its rows were"
            + " deduplicated by the key they were written with; another key would leave duplicates or"
            + " delete the wrong rows)",
        null);
  }

  private static String describe(List<String> keys) {
    return keys.isEmpty() ? "append-only (no key columns)" : "with key columns " + keys;
  }
}
