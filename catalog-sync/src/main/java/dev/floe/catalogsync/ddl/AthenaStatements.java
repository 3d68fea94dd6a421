package dev.floe.catalogsync.ddl;

import dev.floe.core.config.CatalogSettings;

/**
 * Athena reads what the AWS Glue Data Catalog holds. Delta tables attach with DDL (the schema comes
 * from the Delta log); an existing Iceberg table has no Athena DDL, so it goes into Glue through
 * the Glue API, which Floe does itself for a {@code glue} catalog in {@code register-in}.
 */
final class AthenaStatements {
  private AthenaStatements() {}

  static String render(AttachStatements.Table t) {
    String db = t.namespace().replace('.', '_');
    StringBuilder b = new StringBuilder();
    b.append("-- Athena (engine v3): attach ")
        .append(t.id())
        .append(" (")
        .append(t.format())
        .append(")\n");
    CatalogSettings glue = t.firstOf(CatalogSettings.Type.GLUE);
    if (glue != null) {
      b.append("-- Floe keeps it registered in Glue catalog '")
          .append(glue.name())
          .append("' after every commit: query it directly\n")
          .append("SELECT * FROM \"")
          .append(db)
          .append("\".\"")
          .append(t.id().name())
          .append("\" LIMIT 10;\n");
      return b.toString();
    }
    if (!t.iceberg()) {
      b.append("CREATE DATABASE IF NOT EXISTS ")
          .append(db)
          .append(";\n\nCREATE EXTERNAL TABLE ")
          .append(db)
          .append('.')
          .append(t.id().name())
          .append("\nLOCATION ")
          .append(Paths.quote(Paths.dir(t.root())))
          .append("\nTBLPROPERTIES ('table_type' = 'DELTA');\n");
      return b.toString();
    }
    b.append("-- Athena has no DDL for an existing Iceberg table: register it in Glue (AWS CLI).\n")
        .append(
            "-- Each commit writes a new metadata file; list a glue catalog under register-in\n")
        .append("-- and Floe moves metadata_location itself.\n")
        .append("aws glue create-database --database-input '{\"Name\":\"")
        .append(db)
        .append("\"}'\n")
        .append("aws glue create-table --database-name ")
        .append(db)
        .append(" --table-input '{\"Name\":\"")
        .append(t.id().name())
        .append("\",\"TableType\":\"EXTERNAL_TABLE\",\"Parameters\":{\"table_type\":\"ICEBERG\",")
        .append("\"metadata_location\":\"")
        .append(Paths.uri(t.location()))
        .append("\"},\"StorageDescriptor\":{\"Location\":\"")
        .append(Paths.uri(t.root()))
        .append("\"}}'\n");
    return b.toString();
  }
}
