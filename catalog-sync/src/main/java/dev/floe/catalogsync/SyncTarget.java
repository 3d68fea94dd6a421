package dev.floe.catalogsync;

import dev.floe.core.config.CatalogSettings;

/** One catalog that tables are registered in. Used by one thread at a time. */
interface SyncTarget extends AutoCloseable {
  CatalogSettings settings();

  /** Whether the catalog can hold tables of this format at all. */
  boolean holds(String format);

  /**
   * Registers the table, or moves the catalog's entry to {@code state} when it points at an older
   * state of the same table. Throws when the catalog cannot be reached or refuses, and when it
   * holds another table under the name.
   */
  void sync(TableState state);

  @Override
  void close();
}
