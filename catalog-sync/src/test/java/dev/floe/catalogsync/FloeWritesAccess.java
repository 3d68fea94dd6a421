package dev.floe.catalogsync;

import dev.floe.core.config.FloeConfig;
import java.nio.file.Path;
import java.util.Map;

/** {@link FloeWrites} for tests in other packages. */
public final class FloeWritesAccess {
  private FloeWritesAccess() {}

  public static FloeConfig config(Path dir, String catalogsAndTables) {
    return FloeWrites.config(dir, catalogsAndTables, Map.of());
  }

  /** Two commits to the table, without catalog sync; the metadata file of the second. */
  public static String commitTwice(FloeConfig config, String table) {
    try (FloeWrites floe = new FloeWrites(config, table, (spec, result) -> {})) {
      floe.commit(0, 3);
      return floe.commit(3, 6).location();
    }
  }
}
