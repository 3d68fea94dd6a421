package dev.floe.catalogsync.ddl;

import dev.floe.core.TableId;
import dev.floe.core.config.CatalogSettings;
import java.util.List;
import java.util.Locale;

/**
 * The statements an analyst runs to attach a table Floe writes to a query engine: Snowflake,
 * Athena, Trino, Spark, DuckDB. Credentials are never printed: where an engine needs one, the text
 * names a placeholder to fill in.
 */
public final class AttachStatements {
  private AttachStatements() {}

  public enum Engine {
    SNOWFLAKE,
    ATHENA,
    TRINO,
    SPARK,
    DUCKDB;

    /** The engine named on the command line, e.g. {@code snowflake}. */
    public static Engine parse(String name) {
      return valueOf(name.toUpperCase(Locale.ROOT));
    }
  }

  /**
   * One table as an engine sees it.
   *
   * @param format {@code iceberg} or {@code delta}
   * @param location Iceberg: the current metadata file; Delta: the table's root directory
   * @param warehouse Floe's warehouse root, which object-store integrations name paths relative to
   * @param catalogs the catalogs that hold the table by name: for Iceberg its home first, then
   *     those of {@code register-in}; for Delta those of {@code register-in} only
   */
  public record Table(
      TableId id,
      String format,
      String location,
      String warehouse,
      List<CatalogSettings> catalogs) {
    public Table {
      catalogs = List.copyOf(catalogs);
    }

    boolean iceberg() {
      return format.equals("iceberg");
    }

    String namespace() {
      return String.join(".", id.namespace());
    }

    /** The table's root: Iceberg keeps metadata files in {@code <root>/metadata/}. */
    String root() {
      if (!iceberg()) {
        return location;
      }
      String dir = location.substring(0, location.lastIndexOf('/'));
      return dir.endsWith("/metadata") ? dir.substring(0, dir.lastIndexOf('/')) : dir;
    }

    /** {@code path} relative to the warehouse (an external volume's root), or as is outside it. */
    String relative(String path) {
      String base = Paths.plain(warehouse);
      String p = Paths.plain(path);
      return p.startsWith(base + "/") ? p.substring(base.length() + 1) : path;
    }

    CatalogSettings firstOf(CatalogSettings.Type type) {
      return catalogs.stream().filter(c -> c.type() == type).findFirst().orElse(null);
    }
  }

  /** The statements, with comments that say where each value comes from and what to fill in. */
  public static String render(Engine engine, Table table) {
    return switch (engine) {
      case SNOWFLAKE -> SnowflakeStatements.render(table);
      case ATHENA -> AthenaStatements.render(table);
      case TRINO -> TrinoStatements.render(table);
      case SPARK -> SparkStatements.render(table);
      case DUCKDB -> DuckDbStatements.render(table);
    };
  }
}
