package dev.floe.testsupport.rest;

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
import java.nio.file.Files;
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
 * on SQLite. It answers only requests with {@code Authorization: Bearer <token>}; given a client id
 * and secret it also issues that token at {@code /v1/oauth/tokens} for the OAuth2
 * client-credentials grant, as Polaris does. It records every request and the status it answered.
 *
 * <p>The module using it declares what it runs on (this module declares them optional, so that
 * modules without a REST catalog test do not get them): iceberg-core, iceberg-core's {@code tests}
 * jar (the servlet), jetty-ee10-servlet and sqlite-jdbc.
 */
public final class RestCatalogServer implements AutoCloseable {
  /** One request as the server saw it, and the status it answered. */
  public record Request(String method, String path, String authorization, int status) {}

  private final Path warehouse;
  private final String token;
  private final String clientId; // null: no token endpoint
  private final String clientSecret;
  private final String fileIo;
  private final JdbcCatalog backend;
  private final Server jetty;
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  private RestCatalogServer(Builder b, Path dir) {
    this.warehouse = dir.resolve("warehouse");
    this.token = b.token;
    this.clientId = b.clientId;
    this.clientSecret = b.clientSecret;
    this.fileIo = b.fileIo;
    this.backend = new JdbcCatalog();
    backend.initialize(
        "backend",
        Map.of(
            CatalogProperties.URI,
            "jdbc:sqlite:" + dir.resolve("rest-backend.db"),
            CatalogProperties.WAREHOUSE_LOCATION,
            warehouse.toString(),
            CatalogProperties.FILE_IO_IMPL,
            fileIo,
            JdbcCatalog.PROPERTY_PREFIX + "busy_timeout",
            "10000"));
    this.jetty = new Server(new InetSocketAddress("127.0.0.1", 0));
    ServletContextHandler context = new ServletContextHandler();
    context.addFilter(new FilterHolder(this::authorize), "/*", EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(
        new ServletHolder(new RESTCatalogServlet(new RESTCatalogAdapter(backend))), "/*");
    jetty.setHandler(context);
  }

  /**
   * A server that accepts {@code token}, and writes metadata with the FileIO class {@code fileIo}:
   * Hadoop's FileSystem, Iceberg's default, is not on the test class paths, so tests pass Floe's
   * {@code LocalFileIO} (which this module cannot name: the sinks depend on it).
   */
  public static Builder builder(String token, String fileIo) {
    return new Builder(token, fileIo);
  }

  /** How the server is set up before it starts. */
  public static final class Builder {
    private final String token;
    private final String fileIo;
    private String clientId;
    private String clientSecret;

    private Builder(String token, String fileIo) {
      this.token = token;
      this.fileIo = fileIo;
    }

    /** Issues the token to this client at {@code /v1/oauth/tokens} (client-credentials grant). */
    public Builder clientCredentials(String id, String secret) {
      this.clientId = id;
      this.clientSecret = secret;
      return this;
    }

    /** Starts the server with its database and warehouse in {@code dir} (created if missing). */
    public RestCatalogServer start(Path dir) throws Exception {
      Files.createDirectories(dir);
      RestCatalogServer server = new RestCatalogServer(this, dir);
      try {
        server.jetty.start();
      } catch (Exception e) {
        server.close();
        throw e;
      }
      return server;
    }
  }

  public String uri() {
    return "http://127.0.0.1:" + ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
  }

  /** Where the server puts tables: clients do not choose locations. */
  public Path warehouse() {
    return warehouse;
  }

  /** The requests received since the last {@link #clearRequests}, authorized or not. */
  public List<Request> requests() {
    return List.copyOf(requests);
  }

  public void clearRequests() {
    requests.clear();
  }

  /**
   * A client that knows the catalog and nothing else, as a query engine does: it finds tables by
   * name and reads their files where the catalog says they are.
   */
  public RESTCatalog newClient() {
    RESTCatalog client = new RESTCatalog();
    client.initialize(
        "reader",
        Map.of(
            CatalogProperties.URI, uri(), "token", token, CatalogProperties.FILE_IO_IMPL, fileIo));
    return client;
  }

  private void authorize(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) req;
    String authorization = request.getHeader("Authorization");
    HttpServletResponse response = (HttpServletResponse) res;
    try {
      if (clientId != null && request.getRequestURI().endsWith("/oauth/tokens")) {
        issueToken(request, response);
      } else if (("Bearer " + token).equals(authorization)) {
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

  /** The client-credentials grant (RFC 6749 4.4): form fields client_id and client_secret. */
  private void issueToken(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    if (!"client_credentials".equals(request.getParameter("grant_type"))
        || !clientId.equals(request.getParameter("client_id"))
        || !clientSecret.equals(request.getParameter("client_secret"))) {
      // the OAuth2 error body (RFC 6749 5.2), not the REST one: the client parses this endpoint so
      response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
      write(
          response,
          "{\"error\":\"invalid_client\",\"error_description\":\"unknown client or wrong secret\"}");
      return;
    }
    write(
        response,
        "{\"access_token\":\""
            + token
            + "\",\"token_type\":\"bearer\",\"issued_token_type\":"
            + "\"urn:ietf:params:oauth:token-type:access_token\",\"expires_in\":3600}");
  }

  /** Answers 401 with the error body of the REST spec, so that clients raise NotAuthorized. */
  private static void reject(HttpServletResponse response) throws IOException {
    response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
    write(
        response,
        ErrorResponseParser.toJson(
            ErrorResponse.builder()
                .responseCode(HttpServletResponse.SC_UNAUTHORIZED)
                .withType("NotAuthorizedException")
                .withMessage("Bearer token required")
                .build()));
  }

  private static void write(HttpServletResponse response, String json) throws IOException {
    response.setContentType("application/json");
    response.getOutputStream().write(json.getBytes(StandardCharsets.UTF_8));
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
