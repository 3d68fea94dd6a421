package dev.floe.catalogsync.ddl;

import dev.floe.core.config.CatalogSettings;

/** Spark attaches Iceberg catalogs by configuration, and reads Delta tables by path. */
final class SparkStatements {
  static final String ICEBERG_RUNTIME = "org.apache.iceberg:iceberg-spark-runtime-4.0_2.13:1.12.0";
  static final String DELTA_RUNTIME = "io.delta:delta-spark_2.13:4.0.0";

  private SparkStatements() {}

  static String render(AttachStatements.Table t) {
    StringBuilder b = new StringBuilder();
    b.append("# Spark 4.0: attach ").append(t.id()).append(" (").append(t.format()).append(")\n");
    if (!t.iceberg()) {
      b.append("spark-sql --packages ")
          .append(DELTA_RUNTIME)
          .append(" \\\n  --conf spark.sql.extensions=io.delta.sql.DeltaSparkSessionExtension \\\n")
          .append(
              "  --conf spark.sql.catalog.spark_catalog=org.apache.spark.sql.delta.catalog.DeltaCatalog\n\n")
          .append("SELECT * FROM delta.`")
          .append(Paths.uri(t.root()))
          .append("` LIMIT 10;\n");
      return b.toString();
    }
    CatalogSettings c = t.catalogs().get(0);
    String prefix = "  --conf spark.sql.catalog." + c.name();
    b.append("spark-sql --packages ").append(ICEBERG_RUNTIME);
    if (c.type() == CatalogSettings.Type.JDBC) {
      b.append(
          c.uri().startsWith("jdbc:postgresql:")
              ? ",org.postgresql:postgresql:42.7.4"
              : ",org.xerial:sqlite-jdbc:3.47.1.0");
    }
    b.append(
            " \\\n  --conf spark.sql.extensions=org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions \\\n")
        .append(prefix)
        .append("=org.apache.iceberg.spark.SparkCatalog \\\n")
        .append(prefix)
        .append(".type=")
        .append(c.typeName());
    if (c.uri() != null) {
      b.append(" \\\n").append(prefix).append(".uri=").append(c.uri());
    }
    String warehouse =
        c.type() == CatalogSettings.Type.JDBC && c.warehouse() == null
            ? t.warehouse()
            : c.warehouse();
    if (warehouse != null) {
      b.append(" \\\n").append(prefix).append(".warehouse=").append(warehouse);
    }
    if (c.properties().containsKey("credential")) {
      b.append(" \\\n").append(prefix).append(".credential=$FLOE_CATALOG_CREDENTIAL");
    } else if (c.properties().containsKey("token")) {
      b.append(" \\\n").append(prefix).append(".token=$FLOE_CATALOG_TOKEN");
    }
    b.append("\n\nSELECT * FROM ")
        .append(c.name())
        .append('.')
        .append(t.id())
        .append(" LIMIT 10;\n");
    return b.toString();
  }
}
