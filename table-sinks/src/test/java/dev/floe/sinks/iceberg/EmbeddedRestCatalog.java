package dev.floe.sinks.iceberg;

import dev.floe.testsupport.rest.RestCatalogServer;
import java.nio.file.Path;
import java.util.List;
import org.apache.iceberg.rest.RESTCatalog;

/**
 * The shared REST catalog fixture ({@link RestCatalogServer}) as {@link RestCatalogIT} uses it:
 * bearer token only, metadata written with {@link LocalFileIO}, every request recorded.
 */
final class EmbeddedRestCatalog implements AutoCloseable {
  private final RestCatalogServer server;

  private EmbeddedRestCatalog(RestCatalogServer server) {
    this.server = server;
  }

  static EmbeddedRestCatalog start(Path dir, String token) throws Exception {
    return new EmbeddedRestCatalog(
        RestCatalogServer.builder(token, LocalFileIO.class.getName()).start(dir));
  }

  String uri() {
    return server.uri();
  }

  /** Where the server puts tables: clients do not choose locations. */
  Path warehouse() {
    return server.warehouse();
  }

  /** The requests received since the last {@link #clearRequests}, authorized or not. */
  List<RestCatalogServer.Request> requests() {
    return server.requests();
  }

  void clearRequests() {
    server.clearRequests();
  }

  /** A REST client of its own, as a query engine would read the tables. */
  RESTCatalog newClient() {
    return server.newClient();
  }

  @Override
  public void close() throws Exception {
    server.close();
  }
}
