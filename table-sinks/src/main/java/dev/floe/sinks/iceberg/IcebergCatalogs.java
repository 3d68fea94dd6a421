package dev.floe.sinks.iceberg;

import dev.floe.core.Errors;
import dev.floe.core.config.CatalogSettings;
import dev.floe.core.config.FloeConfig;
import dev.floe.core.config.S3Settings;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.iceberg.rest.RESTCatalog;

/**
 * The Iceberg catalogs of a configuration. {@link #load} opens one for readers (the app, tests,
 * maintenance jobs); the sink keeps one shared instance per name and closes them with itself.
 */
public final class IcebergCatalogs implements AutoCloseable {
  /** SQLite waits this long for another process's write lock instead of failing at once. */
  static final int SQLITE_BUSY_TIMEOUT_MS = 60_000;

  private static final int INIT_ATTEMPTS = 5;

  private final Map<String, CatalogSettings> settings;
  private final String warehouse;
  private final S3Settings s3;
  private final Map<String, Catalog> open = new ConcurrentHashMap<>();

  /**
   * @param s3 how to reach an {@code s3://} warehouse; null for a local one
   */
  IcebergCatalogs(Map<String, CatalogSettings> settings, String warehouse, S3Settings s3) {
    this.settings = Map.copyOf(settings);
    this.warehouse = warehouse;
    this.s3 = s3;
  }

  /**
   * Opens the catalog named {@code catalogName} as Floe configures it (FileIO, SQLite settings).
   * The caller owns the instance and closes it ({@code ((AutoCloseable) catalog).close()}).
   */
  public static Catalog load(FloeConfig config, String catalogName) {
    return open(settingsOf(config.catalogs(), catalogName), config.warehouse(), config.s3());
  }

  /** The shared instance of one catalog, opened at first use. */
  Catalog catalog(String name) {
    return open.computeIfAbsent(name, n -> open(settingsOf(settings, n), warehouse, s3));
  }

  @Override
  public void close() {
    for (Catalog catalog : open.values()) {
      if (catalog instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception e) {
          // closing releases connections only; nothing to recover
          org.slf4j.LoggerFactory.getLogger(IcebergCatalogs.class)
              .warn("Closing catalog {} failed", catalog.name(), e);
        }
      }
    }
    open.clear();
  }

  static Catalog open(CatalogSettings s, String floeWarehouse, S3Settings s3) {
    return switch (s.type()) {
      case JDBC -> jdbc(s, floeWarehouse, s3);
      case REST -> rest(s, s3);
      case HIVE, GLUE ->
          throw Errors.of(
              "Catalog '" + s.name() + "' (" + s.typeName() + ") cannot hold Floe's commits",
              "commit to a jdbc or rest catalog and list '" + s.name() + "' under register-in",
              null);
    };
  }

  private static Catalog jdbc(CatalogSettings s, String floeWarehouse, S3Settings s3) {
    Map<String, String> props = new HashMap<>();
    props.put(CatalogProperties.URI, s.uri());
    props.put(
        CatalogProperties.WAREHOUSE_LOCATION,
        s.warehouse() != null ? s.warehouse() : floeWarehouse);
    // V1 adds the column that tells tables from views, so that views work in the same catalog
    props.put(JdbcCatalog.PROPERTY_PREFIX + "schema-version", "V1");
    if (s.uri().startsWith("jdbc:sqlite:")) {
      // Several processes share the file: writers wait for the lock instead of failing, and WAL
      // lets
      // readers go on while one writes. Both survive kill -9 (the WAL is replayed at next open).
      props.put(
          JdbcCatalog.PROPERTY_PREFIX + "busy_timeout", String.valueOf(SQLITE_BUSY_TIMEOUT_MS));
      props.put(JdbcCatalog.PROPERTY_PREFIX + "journal_mode", "WAL");
      createParentDirectory(s);
    }
    if (s3 != null) {
      props.putAll(WarehouseIO.catalogProperties(s3));
    }
    props.putAll(s.properties());
    // S3FileIO is loaded by name from the properties; LocalFileIO is handed over directly
    boolean customIo = props.containsKey(CatalogProperties.FILE_IO_IMPL);
    // Processes that open a new database at the same time race to create and migrate the catalog
    // tables ("duplicate column name: iceberg_type"); the loser finds the work done on a second
    // try.
    for (int attempt = 1; ; attempt++) {
      JdbcCatalog catalog =
          customIo ? new JdbcCatalog() : new JdbcCatalog(p -> localFileIo(p), null, true);
      try {
        return initialize(catalog, s, props);
      } catch (RuntimeException e) {
        closeQuietly(catalog);
        if (attempt == INIT_ATTEMPTS) {
          throw e;
        }
        pause(attempt);
      }
    }
  }

  private static void closeQuietly(JdbcCatalog catalog) {
    try {
      catalog.close();
    } catch (Exception | Error e) {
      // a half-initialized catalog may fail to close; it holds nothing else
    }
  }

  private static void pause(int attempt) {
    try {
      Thread.sleep(50L * attempt + java.util.concurrent.ThreadLocalRandom.current().nextLong(50));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Errors.of("Interrupted while opening a catalog", null, e);
    }
  }

  private static Catalog rest(CatalogSettings s, S3Settings s3) {
    Map<String, String> props = new HashMap<>();
    props.put(CatalogProperties.URI, s.uri());
    if (s.warehouse() != null) {
      props.put(CatalogProperties.WAREHOUSE_LOCATION, s.warehouse());
    }
    // the FileIO of Floe's warehouse; a server that vends another FileIO overrides this
    props.putAll(WarehouseIO.catalogProperties(s3));
    props.putAll(s.properties());
    return initialize(new RESTCatalog(), s, props);
  }

  private static Catalog initialize(Catalog catalog, CatalogSettings s, Map<String, String> props) {
    try {
      catalog.initialize(s.name(), props);
      return catalog;
    } catch (RuntimeException e) {
      throw Errors.of(
          "Cannot open Iceberg catalog '"
              + s.name()
              + "' ("
              + s.type().name().toLowerCase()
              + " at "
              + s.uri()
              + ")",
          "check the catalog's uri and credentials under catalogs." + s.name(),
          e);
    }
  }

  private static LocalFileIO localFileIo(Map<String, String> props) {
    LocalFileIO io = new LocalFileIO();
    io.initialize(props);
    return io;
  }

  private static void createParentDirectory(CatalogSettings s) {
    String file = s.uri().substring("jdbc:sqlite:".length());
    int query = file.indexOf('?');
    java.nio.file.Path parent =
        java.nio.file.Path.of(query < 0 ? file : file.substring(0, query))
            .toAbsolutePath()
            .getParent();
    try {
      java.nio.file.Files.createDirectories(parent);
    } catch (java.io.IOException e) {
      throw Errors.of(
          "Cannot create the directory " + parent + " of catalog '" + s.name() + "'",
          "make the warehouse directory writable by Floe",
          e);
    }
  }

  private static CatalogSettings settingsOf(Map<String, CatalogSettings> catalogs, String name) {
    CatalogSettings s = catalogs.get(name);
    if (s == null) {
      throw Errors.of(
          "Catalog '" + name + "' is not configured",
          "define it under catalogs: or use one of " + catalogs.keySet(),
          null);
    }
    return s;
  }
}
