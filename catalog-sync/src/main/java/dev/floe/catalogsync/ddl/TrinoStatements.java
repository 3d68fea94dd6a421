package dev.floe.catalogsync.ddl;

import dev.floe.core.config.CatalogSettings;

/**
 * Trino reads Iceberg tables through a catalog file naming Floe's catalog, and Delta tables through
 * a metastore or its {@code register_table} procedure.
 */
final class TrinoStatements {
  private TrinoStatements() {}

  static String render(AttachStatements.Table t) {
    StringBuilder b = new StringBuilder();
    b.append("# Trino: attach ").append(t.id()).append(" (").append(t.format()).append(")\n");
    if (!t.iceberg()) {
      b.append("# etc/catalog/floe_delta.properties\n")
          .append("connector.name=delta_lake\n")
          .append("hive.metastore=file\n")
          .append("hive.metastore.catalog.dir=")
          .append(Paths.uri(t.warehouse()))
          .append("/trino-metastore\n")
          .append("delta.register-table-procedure.enabled=true\n\n")
          .append("-- then, in Trino:\n")
          .append("CREATE SCHEMA IF NOT EXISTS floe_delta.")
          .append(t.namespace())
          .append(";\nCALL floe_delta.system.register_table(schema_name => ")
          .append(Paths.quote(t.namespace()))
          .append(", table_name => ")
          .append(Paths.quote(t.id().name()))
          .append(", table_location => ")
          .append(Paths.quote(Paths.uri(t.root())))
          .append(");\nSELECT * FROM floe_delta.")
          .append(t.id())
          .append(" LIMIT 10;\n");
      return b.toString();
    }
    CatalogSettings c = t.catalogs().get(0);
    b.append("# etc/catalog/").append(c.name()).append(".properties\n");
    b.append("connector.name=iceberg\n");
    switch (c.type()) {
      case REST -> {
        b.append("iceberg.catalog.type=rest\niceberg.rest-catalog.uri=")
            .append(c.uri())
            .append('\n');
        if (c.warehouse() != null) {
          b.append("iceberg.rest-catalog.warehouse=").append(c.warehouse()).append('\n');
        }
        if (c.properties().containsKey("credential")) {
          b.append("iceberg.rest-catalog.security=OAUTH2\n")
              .append("iceberg.rest-catalog.oauth2.credential=${ENV:FLOE_CATALOG_CREDENTIAL}\n");
        } else if (c.properties().containsKey("token")) {
          b.append("iceberg.rest-catalog.security=OAUTH2\n")
              .append("iceberg.rest-catalog.oauth2.token=${ENV:FLOE_CATALOG_TOKEN}\n");
        }
      }
      case JDBC ->
          b.append("iceberg.catalog.type=jdbc\niceberg.jdbc-catalog.catalog-name=")
              .append(c.name())
              .append("\niceberg.jdbc-catalog.connection-url=")
              .append(c.uri())
              .append("\niceberg.jdbc-catalog.driver-class=")
              .append(
                  c.uri().startsWith("jdbc:postgresql:")
                      ? "org.postgresql.Driver"
                      : "org.sqlite.JDBC")
              .append("\niceberg.jdbc-catalog.default-warehouse-dir=")
              .append(Paths.uri(c.warehouse() != null ? c.warehouse() : t.warehouse()))
              .append('\n');
      case HIVE ->
          b.append("iceberg.catalog.type=hive_metastore\nhive.metastore.uri=")
              .append(c.uri())
              .append('\n');
      case GLUE -> b.append("iceberg.catalog.type=glue\n");
    }
    b.append("\n-- then, in Trino:\nSELECT * FROM ")
        .append(c.name())
        .append('.')
        .append(t.id())
        .append(" LIMIT 10;\n");
    return b.toString();
  }
}
