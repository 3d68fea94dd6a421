package dev.floe.catalogsync.ddl;

import dev.floe.core.config.CatalogSettings;

/**
 * Snowflake reads externally managed Iceberg tables through a catalog integration: with a REST
 * catalog (Polaris, Open Catalog) it follows the catalog; with an object-store integration it reads
 * the metadata file it is told, so each new commit needs a refresh.
 */
final class SnowflakeStatements {
  private SnowflakeStatements() {}

  static String render(AttachStatements.Table t) {
    String name = t.namespace().replace('.', '_') + "_" + t.id().name();
    StringBuilder b = new StringBuilder();
    b.append("-- Snowflake: attach ").append(t.id()).append(" (").append(t.format()).append(")\n");
    b.append("-- <external_volume>: an external volume whose storage location is ")
        .append(Paths.dir(t.warehouse()))
        .append("\n\n");
    if (!t.iceberg()) {
      b.append("CREATE CATALOG INTEGRATION IF NOT EXISTS floe_delta\n")
          .append("  CATALOG_SOURCE = OBJECT_STORE\n  TABLE_FORMAT = DELTA\n  ENABLED = TRUE;\n\n")
          .append("CREATE ICEBERG TABLE ")
          .append(name)
          .append("\n  EXTERNAL_VOLUME = '<external_volume>'\n  CATALOG = 'floe_delta'\n")
          .append("  BASE_LOCATION = ")
          .append(Paths.quote(t.relative(t.root()) + "/"))
          .append(";\n\n-- after new commits:\nALTER ICEBERG TABLE ")
          .append(name)
          .append(" REFRESH;\n");
      return b.toString();
    }
    CatalogSettings rest = t.firstOf(CatalogSettings.Type.REST);
    if (rest != null) {
      b.append("-- A: through a catalog integration with REST catalog '")
          .append(rest.name())
          .append("' (")
          .append(rest.uri())
          .append("); Snowflake follows its commits\n")
          .append("CREATE ICEBERG TABLE ")
          .append(name)
          .append("\n  EXTERNAL_VOLUME = '<external_volume>'\n")
          .append("  CATALOG = '<catalog_integration>'\n")
          .append("  CATALOG_NAMESPACE = ")
          .append(Paths.quote(t.namespace()))
          .append("\n  CATALOG_TABLE_NAME = ")
          .append(Paths.quote(t.id().name()))
          .append("\n  AUTO_REFRESH = TRUE;\n\n")
          .append("-- B: or from the files alone\n");
    }
    String metadata = Paths.quote(t.relative(t.location()));
    b.append("CREATE CATALOG INTEGRATION IF NOT EXISTS floe_object_store\n")
        .append("  CATALOG_SOURCE = OBJECT_STORE\n  TABLE_FORMAT = ICEBERG\n  ENABLED = TRUE;\n\n")
        .append("CREATE ICEBERG TABLE ")
        .append(name)
        .append("\n  EXTERNAL_VOLUME = '<external_volume>'\n  CATALOG = 'floe_object_store'\n")
        .append("  METADATA_FILE_PATH = ")
        .append(metadata)
        .append(";\n\n-- after each commit, with the newest metadata file (floe ddl prints it):\n")
        .append("ALTER ICEBERG TABLE ")
        .append(name)
        .append(" REFRESH ")
        .append(metadata)
        .append(";\n");
    return b.toString();
  }
}
