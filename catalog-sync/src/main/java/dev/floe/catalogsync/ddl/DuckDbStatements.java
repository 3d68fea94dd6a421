package dev.floe.catalogsync.ddl;

/** DuckDB reads a table straight from its files: no catalog needed. */
final class DuckDbStatements {
  private DuckDbStatements() {}

  static String render(AttachStatements.Table t) {
    StringBuilder b = new StringBuilder();
    b.append("-- DuckDB: read ").append(t.id()).append(" (").append(t.format()).append(")\n");
    if (t.iceberg()) {
      b.append("INSTALL iceberg;\nLOAD iceberg;\n")
          .append("-- the newest metadata file now; run floe ddl again after later commits\n")
          .append("SELECT * FROM iceberg_scan(")
          .append(Paths.quote(Paths.plain(t.location())))
          .append(") LIMIT 10;\n");
    } else {
      b.append("INSTALL delta;\nLOAD delta;\nSELECT * FROM delta_scan(")
          .append(Paths.quote(Paths.plain(t.root())))
          .append(") LIMIT 10;\n");
    }
    return b.toString();
  }
}
