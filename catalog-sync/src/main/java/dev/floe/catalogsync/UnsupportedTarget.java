package dev.floe.catalogsync;

import dev.floe.core.Errors;
import dev.floe.core.config.CatalogSettings;

/** A catalog type this version of Floe cannot write to yet: every sync reports it. */
final class UnsupportedTarget implements SyncTarget {
  private final CatalogSettings settings;

  UnsupportedTarget(CatalogSettings settings) {
    this.settings = settings;
  }

  @Override
  public CatalogSettings settings() {
    return settings;
  }

  @Override
  public boolean holds(String format) {
    return true;
  }

  @Override
  public void sync(TableState state) {
    throw Errors.of(
        "Catalog '"
            + settings.name()
            + "' is of type "
            + settings.typeName()
            + ", which this version of Floe cannot register "
            + state.id()
            + " in",
        "remove it from register-in; for Iceberg tables, a rest or jdbc catalog that the Hive"
            + " Metastore's readers can also use",
        null);
  }

  @Override
  public void close() {}
}
