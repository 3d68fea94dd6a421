package dev.floe.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The smallest useful subset of the Confluent Schema Registry API, in memory, for {@code floe
 * demo}: register a schema under a subject, look a schema up by id, list subjects. Real deployments
 * and the integration tests use a real registry.
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern REGISTER = Pattern.compile("/subjects/([^/]+)/versions");
  private static final Pattern BY_ID = Pattern.compile("/schemas/ids/(\\d+)");

  private final HttpServer server;
  private final List<Map<String, String>> schemas = new ArrayList<>(); // index = id - 1
  private final Map<String, List<Integer>> subjects = new LinkedHashMap<>();

  private EmbeddedSchemaRegistry(HttpServer server) {
    this.server = server;
  }

  /** Starts on a free loopback port. */
  public static EmbeddedSchemaRegistry start() {
    return start(0);
  }

  /** Starts on {@code port} (0: a free one), e.g. again where a stopped one ran. */
  public static EmbeddedSchemaRegistry start(int port) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
      EmbeddedSchemaRegistry registry = new EmbeddedSchemaRegistry(server);
      server.createContext("/", registry::handle);
      server.start();
      return registry;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the embedded schema registry on 127.0.0.1", e);
    }
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Registers a schema (same text, same id) and returns its id. */
  public synchronized int register(String subject, String type, String schema) {
    int id = -1;
    for (int i = 0; i < schemas.size(); i++) {
      if (schemas.get(i).get("schema").equals(schema)
          && schemas.get(i).get("schemaType").equals(type)) {
        id = i + 1;
      }
    }
    if (id < 0) {
      schemas.add(Map.of("schema", schema, "schemaType", type));
      id = schemas.size();
    }
    List<Integer> versions = subjects.computeIfAbsent(subject, s -> new ArrayList<>());
    if (!versions.contains(id)) {
      versions.add(id);
    }
    return id;
  }

  private synchronized Map<String, String> schema(int id) {
    return id >= 1 && id <= schemas.size() ? schemas.get(id - 1) : null;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      try {
        route(exchange);
      } catch (RuntimeException e) {
        reply(exchange, 500, Map.of("error_code", 500, "message", String.valueOf(e.getMessage())));
      }
    }
  }

  private void route(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    Matcher m;
    if (exchange.getRequestMethod().equals("GET") && (m = BY_ID.matcher(path)).matches()) {
      Map<String, String> s = schema(Integer.parseInt(m.group(1)));
      if (s == null) {
        reply(
            exchange,
            404,
            Map.of("error_code", 40403, "message", "Schema " + m.group(1) + " not found"));
      } else {
        reply(
            exchange,
            200,
            s.get("schemaType").equals("AVRO") ? Map.of("schema", s.get("schema")) : s);
      }
    } else if (exchange.getRequestMethod().equals("POST")
        && (m = REGISTER.matcher(path)).matches()) {
      JsonNode body = JSON.readTree(exchange.getRequestBody());
      String type = body.hasNonNull("schemaType") ? body.get("schemaType").asText() : "AVRO";
      reply(exchange, 200, Map.of("id", register(m.group(1), type, body.get("schema").asText())));
    } else if (exchange.getRequestMethod().equals("GET") && path.equals("/subjects")) {
      synchronized (this) {
        reply(exchange, 200, List.copyOf(subjects.keySet()));
      }
    } else {
      reply(
          exchange,
          404,
          Map.of("error_code", 404, "message", "not supported by the embedded registry: " + path));
    }
  }

  private static void reply(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
