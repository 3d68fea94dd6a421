package dev.floe.catalogsync;

import dev.floe.core.config.CatalogSettings;
import java.util.HashMap;
import java.util.Map;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.RESTException;
import org.apache.iceberg.rest.RESTCatalog;

/**
 * An Iceberg REST catalog (Polaris, Snowflake Open Catalog, Glue's Iceberg endpoint, Unity, Nessie,
 * Lakekeeper, Gravitino). The REST protocol has no "move the metadata pointer" call, so a table
 * that points at older metadata is dropped without purge and registered again: its files stay, and
 * readers see it missing for the time of two requests.
 */
final class RestTarget implements SyncTarget {
  private final CatalogSettings settings;
  private RESTCatalog catalog; // opened at first use, and again after a failure
  private boolean overwriteSupported = true;

  RestTarget(CatalogSettings settings) {
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
    try {
      syncOpen(state);
    } catch (RuntimeException e) {
      close(); // a failed session (expired token, server restart) is not reused
      throw e;
    }
  }

  private void syncOpen(TableState state) {
    RESTCatalog c = catalog();
    TableIdentifier id =
        TableIdentifier.of(
            Namespace.of(state.id().namespace().toArray(String[]::new)), state.id().name());
    if (!c.namespaceExists(id.namespace())) {
      try {
        c.createNamespace(id.namespace());
      } catch (AlreadyExistsException e) {
        // another writer created it meanwhile
      }
    }
    if (!c.tableExists(id)) {
      c.registerTable(id, state.location());
      return;
    }
    Table table = c.loadTable(id);
    String current = ((HasTableOperations) table).operations().current().metadataFileLocation();
    if (!MetadataFiles.sameRoot(MetadataFiles.tableRoot(current), state.root())) {
      throw SyncFailures.otherTable(settings, state, MetadataFiles.tableRoot(current));
    }
    if (MetadataFiles.isNewer(state.location(), current)) {
      movePointer(c, id, state.location());
    }
  }

  /**
   * Registers with overwrite where the server supports it (one atomic request, REST spec 1.12);
   * else drops without purge and registers again, and readers miss the table for two requests.
   */
  private void movePointer(RESTCatalog c, TableIdentifier id, String metadataLocation) {
    if (overwriteSupported) {
      try {
        c.registerTable(id, metadataLocation, true);
        return;
      } catch (UnsupportedOperationException e) {
        overwriteSupported = false; // the server says so once; ask no more in this session
      } catch (AlreadyExistsException e) {
        // a server that predates the overwrite flag ignores it (Nessie 0.99): the table is ours,
        // the caller checked, so move it the old way
        overwriteSupported = false;
      } catch (RESTException e) { // servers answer 406 Not Acceptable, which the client wraps
        if (!String.valueOf(e.getMessage()).contains("code: 406")) {
          throw e;
        }
        overwriteSupported = false;
      }
    }
    c.dropTable(id, false); // false: the files are the home catalog's table, never purge them
    c.registerTable(id, metadataLocation);
  }

  private RESTCatalog catalog() {
    if (catalog == null) {
      Map<String, String> props = new HashMap<>();
      props.put(CatalogProperties.URI, settings.uri());
      if (settings.warehouse() != null) {
        props.put(CatalogProperties.WAREHOUSE_LOCATION, settings.warehouse());
      }
      // the server reads the metadata files it is given; this client never reads table files
      props.put(CatalogProperties.FILE_IO_IMPL, "org.apache.iceberg.inmemory.InMemoryFileIO");
      props.putAll(settings.properties()); // credential, token, oauth2-server-uri, rest.sigv4-*
      RESTCatalog c = new RESTCatalog();
      c.initialize(settings.name(), props);
      catalog = c;
    }
    return catalog;
  }

  @Override
  public void close() {
    if (catalog != null) {
      try {
        catalog.close();
      } catch (Exception e) {
        // releases an HTTP client only
      }
      catalog = null;
    }
  }
}
