package dev.floe.catalogsync;

import dev.floe.sinks.iceberg.LocalFileIO;
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
import java.util.Map;
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
 * A real Iceberg REST catalog on a free local port: Iceberg's own {@link RESTCatalogServlet} in an
 * embedded Jetty, in front of a {@link JdbcCatalog} on SQLite. It answers only requests with {@code
 * Authorization: Bearer <token>}, and issues that token at {@code /v1/oauth/tokens} for the OAuth2
 * client-credentials grant of one client id and secret, as Polaris does.
 */
public final class RestCatalogServer implements AutoCloseable {
  private final String token;
  private final String clientId;
  private final String clientSecret;
  private final JdbcCatalog backend;
  private final Server jetty;

  private RestCatalogServer(Path dir, String token, String clientId, String clientSecret) {
    this.token = token;
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    this.backend = new JdbcCatalog();
    backend.initialize(
        "backend",
        Map.of(
            CatalogProperties.URI,
            "jdbc:sqlite:" + dir.resolve("rest-backend.db"),
            CatalogProperties.WAREHOUSE_LOCATION,
            dir.resolve("rest-warehouse").toString(),
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

  public static RestCatalogServer start(
      Path dir, String token, String clientId, String clientSecret) throws Exception {
    java.nio.file.Files.createDirectories(dir);
    RestCatalogServer server = new RestCatalogServer(dir, token, clientId, clientSecret);
    try {
      server.jetty.start();
    } catch (Exception e) {
      server.close();
      throw e;
    }
    return server;
  }

  public String uri() {
    return "http://127.0.0.1:" + ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
  }

  /**
   * A client that knows the catalog and nothing else, as a query engine does: it finds tables by
   * name and reads their files where the catalog says they are.
   */
  public RESTCatalog newReader() {
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
    HttpServletResponse response = (HttpServletResponse) res;
    if (request.getRequestURI().endsWith("/oauth/tokens")) {
      issueToken(request, response);
    } else if (("Bearer " + token).equals(request.getHeader("Authorization"))) {
      chain.doFilter(req, res);
    } else {
      error(response, 401, "NotAuthorizedException", "Bearer token required");
    }
  }

  /** The client-credentials grant (RFC 6749 4.4): form fields client_id and client_secret. */
  private void issueToken(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    if (!"client_credentials".equals(request.getParameter("grant_type"))
        || !clientId.equals(request.getParameter("client_id"))
        || !clientSecret.equals(request.getParameter("client_secret"))) {
      // the OAuth2 error body (RFC 6749 5.2), not the REST one: the client parses this endpoint so
      response.setStatus(401);
      response.setContentType("application/json");
      response
          .getOutputStream()
          .write(
              "{\"error\":\"invalid_client\",\"error_description\":\"unknown client or wrong secret\"}"
                  .getBytes(StandardCharsets.UTF_8));
      return;
    }
    response.setContentType("application/json");
    response
        .getOutputStream()
        .write(
            ("{\"access_token\":\""
                    + token
                    + "\",\"token_type\":\"bearer\",\"issued_token_type\":"
                    + "\"urn:ietf:params:oauth:token-type:access_token\",\"expires_in\":3600}")
                .getBytes(StandardCharsets.UTF_8));
  }

  /** Answers with the error body of the REST spec, so that clients raise the matching exception. */
  private static void error(HttpServletResponse response, int status, String type, String message)
      throws IOException {
    response.setStatus(status);
    response.setContentType("application/json");
    response
        .getOutputStream()
        .write(
            ErrorResponseParser.toJson(
                    ErrorResponse.builder()
                        .responseCode(status)
                        .withType(type)
                        .withMessage(message)
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
