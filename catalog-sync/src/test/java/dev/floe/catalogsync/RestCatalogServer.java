package dev.floe.catalogsync;

import dev.floe.sinks.iceberg.LocalFileIO;
import java.nio.file.Path;
import org.apache.iceberg.rest.RESTCatalog;

/**
 * The shared REST catalog fixture ({@link dev.floe.testsupport.rest.RestCatalogServer}) as the sync
 * tests use it: a bearer token that the server also issues for the OAuth2 client-credentials grant
 * of one client id and secret, as Polaris does. Published in this module's test jar for the app's
 * CatalogSyncIT.
 */
public final class RestCatalogServer implements AutoCloseable {
  private final dev.floe.testsupport.rest.RestCatalogServer server;

  private RestCatalogServer(dev.floe.testsupport.rest.RestCatalogServer server) {
    this.server = server;
  }

  public static RestCatalogServer start(
      Path dir, String token, String clientId, String clientSecret) throws Exception {
    return new RestCatalogServer(
        dev.floe.testsupport.rest.RestCatalogServer.builder(token, LocalFileIO.class.getName())
            .clientCredentials(clientId, clientSecret)
            .start(dir));
  }

  public String uri() {
    return server.uri();
  }

  /**
   * A client that knows the catalog and nothing else, as a query engine does: it finds tables by
   * name and reads their files where the catalog says they are.
   */
  public RESTCatalog newReader() {
    return server.newClient();
  }

  @Override
  public void close() throws Exception {
    server.close();
  }
}
