package dev.floe.sinks.iceberg;

import dev.floe.core.row.Row;
import dev.floe.core.row.Type;

/** The Iceberg tests' rows of every type, shared with the Delta tests of the same module. */
public final class IcebergTestRows {
  public static final Type.Struct ALL_TYPES = Fixtures.ALL_TYPES;

  private IcebergTestRows() {}

  public static Row allTypesRow(long id) {
    return Fixtures.allTypesRow(id);
  }

  public static Row nullsRow(long id) {
    return Fixtures.nullsRow(id);
  }
}
