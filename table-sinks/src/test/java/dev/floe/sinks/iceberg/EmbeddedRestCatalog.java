package dev.floe.sinks.iceberg;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.iceberg.rest.RESTCatalogAdapter;
import org.apache.iceberg.rest.RESTCatalogServlet;
import org.apache.iceberg.rest.responses.ErrorResponse;
import org.apache.iceberg.rest.responses.ErrorResponseParser;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A real Iceberg REST catalog on a free local port: Iceberg's own {@link RESTCatalogServlet} (the
 * server its REST client is tested against) in an embedded Jetty, in front of a {@link JdbcCatalog}
 * on SQLite. It accepts only requests that carry {@code Authorization: Bearer <token>}, and records
 * the header of every request.
 */
final class EmbeddedRestCatalog implements AutoCloseable {
  /** One request as the server saw it, and the status it answered. */
  record Request(String method, String path, String authorization, int status) {}

  private final Path warehouse;
  private final String token;
  private final JdbcCatalog backend;
  private final Server jetty;
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  private EmbeddedRestCatalog(Path dir, String token) {
    this.warehouse = dir.resolve("warehouse");
    this.token = token;
    this.backend = new JdbcCatalog();
    // Hadoop's FileSystem is not on the classpath (see the pom), so the server writes metadata
    // with Floe's local FileIO
    backend.initialize(
        "backend",
        Map.of(
            CatalogProperties.URI,
            "jdbc:sqlite:" + dir.resolve("rest-backend.db"),
            CatalogProperties.WAREHOUSE_LOCATION,
            warehouse.toString(),
            CatalogProperties.FILE_IO_IMPL,
            LocalFileIO.class.getName(),
            JdbcCatalog.PROPERTY_PREFIX + "busy_timeout",
            "10000"));
    this.jetty = new Server(new InetSocketAddress("127.0.0.1", 0));
    ServletContextHandler context = new ServletContextHandler();
    context.addFilter(new FilterHolder(this::authorize), "/*", EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(
        new ServletHolder(new RESTCatalogServlet(new RESTCatalogAdapter(backend))), "/*");
    jetty.setHandler(context);
  }

  static EmbeddedRestCatalog start(Path dir, String token) throws Exception {
    EmbeddedRestCatalog catalog = new EmbeddedRestCatalog(dir, token);
    try {
      catalog.jetty.start();
    } catch (Exception e) {
      catalog.close();
      throw e;
    }
    return catalog;
  }

  String uri() {
    return "http://127.0.0.1:" + ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
  }

  /** Where the server puts tables: clients do not choose locations. */
  Path warehouse() {
    return warehouse;
  }

  /** The requests received since the last {@link #clearRequests}, authorized or not. */
  List<Request> requests() {
    return List.copyOf(requests);
  }

  void clearRequests() {
    requests.clear();
  }

  /** A REST client of its own, as a query engine would read the tables. */
  RESTCatalog newClient() {
    RESTCatalog client = new RESTCatalog();
    client.initialize(
        "reader",
        Map.of(
            CatalogProperties.URI,
            uri(),
            "token",
            token,
            CatalogProperties.FILE_IO_IMPL,
            LocalFileIO.class.getName()));
    return client;
  }

  private void authorize(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) req;
    String authorization = request.getHeader("Authorization");
    HttpServletResponse response = (HttpServletResponse) res;
    try {
      if (("Bearer " + token).equals(authorization)) {
        chain.doFilter(req, res);
      } else {
        reject(response);
      }
    } finally {
      requests.add(
          new Request(
              request.getMethod(), request.getRequestURI(), authorization, response.getStatus()));
    }
  }

  /** Answers 401 with the error body of the REST spec, so that clients raise NotAuthorized. */
  private static void reject(HttpServletResponse response) throws IOException {
    response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
    response.setContentType("application/json");
    response
        .getOutputStream()
        .write(
            ErrorResponseParser.toJson(
                    ErrorResponse.builder()
                        .responseCode(HttpServletResponse.SC_UNAUTHORIZED)
                        .withType("NotAuthorizedException")
                        .withMessage("Bearer token required")
                        .build())
                .getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() throws Exception {
    try {
      jetty.stop();
    } finally {
      backend.close();
    }
  }
}
