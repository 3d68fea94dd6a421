package dev.floe.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.floe.core.Errors;
import dev.floe.core.config.HttpSettings;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /metrics} (Prometheus text), {@code /health/live}, {@code /health/ready} and {@code
 * /status} (JSON) on the JDK's own HTTP server: four read-only paths do not need a web framework.
 */
final class HttpEndpoint implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HttpEndpoint.class);
  static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;

  private HttpEndpoint(HttpServer server) {
    this.server = server;
  }

  /**
   * Starts serving; null when the endpoint is off ({@code http.port: -1}) or when the default port
   * is taken (then a warning says so). A configured port that cannot be bound is an error.
   */
  static HttpEndpoint start(
      HttpSettings settings, Metrics metrics, Health health, Callable<StatusReport> status) {
    if (!settings.enabled()) {
      return null;
    }
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), 16);
    } catch (IOException e) {
      if (e instanceof BindException && !settings.configured()) {
        LOG.warn(
            "No metrics or health endpoint: the default port {} is taken ({}); set http.port to a"
                + " free port, or 0 for any",
            settings.port(),
            e.getMessage());
        return null;
      }
      throw Errors.of(
          "'http.port': cannot listen on "
              + settings.host()
              + ":"
              + settings.port()
              + " ("
              + e.getMessage()
              + ")",
          "choose a free port, 0 for any free port, or -1 to turn the endpoint off",
          e);
    }
    server.createContext(
        "/metrics",
        x -> send(x, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape()));
    server.createContext(
        "/health/live",
        x -> {
          boolean live = health.live();
          send(x, live ? 200 : 503, "application/json", json(Map.of("live", live)));
        });
    server.createContext(
        "/health/ready",
        x -> {
          Map<String, Boolean> checks = health.readiness();
          boolean ready = !checks.containsValue(false);
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("ready", ready);
          body.put("checks", checks);
          send(x, ready ? 200 : 503, "application/json", json(body));
        });
    server.createContext(
        "/status",
        x -> {
          try {
            send(x, 200, "application/json", json(status.call()));
          } catch (Exception e) {
            send(x, 503, "application/json", json(Map.of("error", String.valueOf(e))));
          }
        });
    // one thread: scrapes and probes are rare, and none may hold up the pipeline
    server.setExecutor(
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "floe-http");
              t.setDaemon(true);
              return t;
            }));
    server.start();
    HttpEndpoint endpoint = new HttpEndpoint(server);
    LOG.info(
        "Serving /metrics, /health/live, /health/ready and /status on http://{}:{}",
        settings.host(),
        endpoint.port());
    return endpoint;
  }

  int port() {
    return server.getAddress().getPort();
  }

  private static String json(Object value) throws IOException {
    return JSON.writeValueAsString(value);
  }

  private static void send(HttpExchange x, int code, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", type);
    x.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
