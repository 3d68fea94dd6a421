package dev.floe.catalogsync;

import dev.floe.core.Errors;
import dev.floe.core.config.CatalogSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.inmemory.InMemoryFileIO;
import org.apache.iceberg.jdbc.JdbcCatalog;

/**
 * An Iceberg JDBC catalog (PostgreSQL, SQLite). Its table {@code iceberg_tables} maps a name to a
 * metadata file; Iceberg's {@code JdbcCatalog} moves that pointer only in its own commits, so this
 * class writes the row itself, with the same conditional UPDATE that {@code JdbcTableOperations}
 * commits with: the pointer moves only from the value this sync read.
 */
final class JdbcTarget implements SyncTarget {
  private static final String SELECT =
      "SELECT metadata_location FROM iceberg_tables"
          + " WHERE catalog_name = ? AND table_namespace = ? AND table_name = ?"
          + " AND (iceberg_type = 'TABLE' OR iceberg_type IS NULL)";
  private static final String INSERT =
      "INSERT INTO iceberg_tables (catalog_name, table_namespace, table_name, metadata_location,"
          + " previous_metadata_location, iceberg_type) VALUES (?, ?, ?, ?, NULL, 'TABLE')";
  private static final String UPDATE =
      "UPDATE iceberg_tables SET metadata_location = ?, previous_metadata_location = ?"
          + " WHERE catalog_name = ? AND table_namespace = ? AND table_name = ?"
          + " AND metadata_location = ?";

  private final CatalogSettings settings;
  private boolean initialized;

  JdbcTarget(CatalogSettings settings) {
    this.settings = settings;
  }

  @Override
  public CatalogSettings settings() {
    return settings;
  }

  @Override
  public boolean holds(String format) {
    return format.equals("iceberg");
  }

  @Override
  public void sync(TableState state) {
    createCatalogTables();
    String namespace = String.join(".", state.id().namespace()); // as JdbcCatalog stores it
    try (Connection c = DriverManager.getConnection(settings.uri(), connectionProperties())) {
      String current = current(c, namespace, state);
      if (current == null) {
        execute(c, INSERT, settings.name(), namespace, state.id().name(), state.location());
        return;
      }
      if (!MetadataFiles.sameRoot(MetadataFiles.tableRoot(current), state.root())) {
        throw SyncFailures.otherTable(settings, state, MetadataFiles.tableRoot(current));
      }
      if (MetadataFiles.isNewer(state.location(), current)) {
        int moved =
            execute(
                c,
                UPDATE,
                state.location(),
                current,
                settings.name(),
                namespace,
                state.id().name(),
                current);
        if (moved == 0) { // someone moved it since the SELECT; the next round sees their value
          throw Errors.transientFailure(
              "Table " + state.id() + " changed in catalog '" + settings.name() + "' during sync",
              "nothing to do: Floe syncs it again",
              null);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("SQL error " + e.getSQLState() + ": " + e.getMessage(), e);
    }
  }

  private String current(Connection c, String namespace, TableState state) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(SELECT)) {
      s.setString(1, settings.name());
      s.setString(2, namespace);
      s.setString(3, state.id().name());
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? r.getString(1) : null;
      }
    }
  }

  private static int execute(Connection c, String sql, String... values) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < values.length; i++) {
        s.setString(i + 1, values[i]);
      }
      return s.executeUpdate();
    }
  }

  /** Iceberg's own code creates (or migrates) the catalog tables, so their layout is Iceberg's. */
  private void createCatalogTables() {
    if (initialized) {
      return;
    }
    Map<String, String> props = new HashMap<>(settings.properties());
    props.put(CatalogProperties.URI, settings.uri());
    props.putIfAbsent(
        CatalogProperties.WAREHOUSE_LOCATION,
        settings.warehouse() != null ? settings.warehouse() : "unused");
    props.put(JdbcCatalog.PROPERTY_PREFIX + "schema-version", "V1"); // the iceberg_type column
    // this sync writes rows only; the catalog never reads a table file here
    try (JdbcCatalog catalog = new JdbcCatalog(p -> new InMemoryFileIO(), null, true)) {
      catalog.initialize(settings.name(), props);
    }
    initialized = true;
  }

  private Properties connectionProperties() {
    Properties p = new Properties();
    settings
        .properties()
        .forEach(
            (k, v) -> {
              if (k.startsWith(JdbcCatalog.PROPERTY_PREFIX)) {
                p.setProperty(k.substring(JdbcCatalog.PROPERTY_PREFIX.length()), v);
              }
            });
    if (settings.uri().startsWith("jdbc:sqlite:")) {
      p.putIfAbsent("busy_timeout", "60000"); // other processes write the file too
    }
    return p;
  }

  @Override
  public void close() {}
}
