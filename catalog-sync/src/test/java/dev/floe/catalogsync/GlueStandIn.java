package dev.floe.catalogsync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * NOT AWS Glue: a local HTTP stand-in for the five Glue operations catalog sync calls, because Glue
 * cannot run here. It answers as Glue's JSON API documents (X-Amz-Target dispatch, {@code __type}
 * errors, table VersionId checks on UpdateTable), verifies each request's SigV4 signature with the
 * shared secret, and records every request as received, so tests can check what was sent.
 */
final class GlueStandIn implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One request as received: operation, body, and all header values. */
  record Request(String operation, JsonNode body, String headers) {}

  private final HttpServer server;
  private final AwsCredentials expected;
  private final String region;
  private final Map<String, Boolean> databases = new ConcurrentHashMap<>();
  private final Map<String, ObjectNode> tables = new ConcurrentHashMap<>();
  final List<Request> requests = new CopyOnWriteArrayList<>();

  GlueStandIn(AwsCredentials expected, String region) throws IOException {
    this.expected = expected;
    this.region = region;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  String uri() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
  }

  /** The table as Glue would return it from GetTable, or null. */
  JsonNode table(String database, String name) {
    return tables.get(database + "." + name);
  }

  /** Puts a table there as someone else would have created it. */
  void putTable(String database, String name, ObjectNode tableInput) {
    databases.put(database, true);
    tableInput.put("VersionId", "1");
    tables.put(database + "." + name, tableInput);
  }

  private synchronized void handle(HttpExchange ex) throws IOException {
    byte[] payload = ex.getRequestBody().readAllBytes();
    String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
    String operation = target == null ? "" : target.substring(target.indexOf('.') + 1);
    JsonNode body = JSON.readTree(payload.length == 0 ? "{}".getBytes() : payload);
    requests.add(new Request(operation, body, ex.getRequestHeaders().toString()));
    if (!signatureValid(ex, payload)) {
      reply(
          ex,
          403,
          error("InvalidSignatureException", "The request signature we calculated does not match"));
      return;
    }
    try {
      reply(ex, 200, dispatch(operation, body));
    } catch (GlueError e) {
      reply(ex, 400, error(e.type, e.getMessage()));
    }
  }

  private JsonNode dispatch(String operation, JsonNode body) {
    ObjectNode answer = JSON.createObjectNode();
    switch (operation) {
      case "GetDatabase" -> {
        String name = body.path("Name").asText();
        if (!databases.containsKey(name)) {
          throw new GlueError("EntityNotFoundException", "Database " + name + " not found.");
        }
        answer.putObject("Database").put("Name", name);
      }
      case "CreateDatabase" -> {
        String name = body.path("DatabaseInput").path("Name").asText();
        if (databases.putIfAbsent(name, true) != null) {
          throw new GlueError("AlreadyExistsException", "Database already exists.");
        }
      }
      case "GetTable" -> {
        ObjectNode t =
            tables.get(key(body.path("DatabaseName").asText(), body.path("Name").asText()));
        if (t == null) {
          throw new GlueError(
              "EntityNotFoundException", "Table " + body.path("Name").asText() + " not found.");
        }
        answer.set("Table", t.deepCopy());
      }
      case "CreateTable" -> {
        ObjectNode input = (ObjectNode) body.path("TableInput").deepCopy();
        checkName(input.path("Name").asText());
        String key = key(body.path("DatabaseName").asText(), input.path("Name").asText());
        if (!databases.containsKey(body.path("DatabaseName").asText())) {
          throw new GlueError("EntityNotFoundException", "Database not found.");
        }
        input.put("VersionId", "1");
        if (tables.putIfAbsent(key, input) != null) {
          throw new GlueError("AlreadyExistsException", "Table already exists.");
        }
      }
      case "UpdateTable" -> {
        ObjectNode input = (ObjectNode) body.path("TableInput").deepCopy();
        String key = key(body.path("DatabaseName").asText(), input.path("Name").asText());
        ObjectNode current = tables.get(key);
        if (current == null) {
          throw new GlueError("EntityNotFoundException", "Table not found.");
        }
        if (body.has("VersionId")
            && !body.path("VersionId").asText().equals(current.path("VersionId").asText())) {
          throw new GlueError("ConcurrentModificationException", "Version mismatch.");
        }
        input.put("VersionId", String.valueOf(current.path("VersionId").asInt() + 1));
        tables.put(key, input);
      }
      default -> throw new GlueError("UnknownOperationException", operation);
    }
    return answer;
  }

  /** Glue's documented constraint on names: 1 to 255 characters of a single line. */
  private static void checkName(String name) {
    if (name.isEmpty() || name.length() > 255 || name.contains("\n")) {
      throw new GlueError(
          "InvalidInputException",
          "1 validation error detected: Value at 'tableInput.name' failed to satisfy constraint:"
              + " Member must have length less than or equal to 255");
    }
  }

  private boolean signatureValid(HttpExchange ex, byte[] payload) {
    String authorization = ex.getRequestHeaders().getFirst("Authorization");
    if (authorization == null) {
      return false;
    }
    String signed = authorization.replaceAll(".*SignedHeaders=([^,]+),.*", "$1");
    Map<String, String> headers = new java.util.LinkedHashMap<>();
    for (String h : signed.split(";")) {
      headers.put(h, ex.getRequestHeaders().getFirst(h));
    }
    String amzDate = ex.getRequestHeaders().getFirst("X-Amz-Date");
    return authorization.equals(
        SigV4.authorization("POST", "/", headers, payload, expected, region, "glue", amzDate));
  }

  private static String key(String database, String name) {
    return database + "." + name;
  }

  private static JsonNode error(String type, String message) {
    return JSON.createObjectNode().put("__type", type).put("Message", message);
  }

  private static void reply(HttpExchange ex, int status, JsonNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
    ex.close();
  }

  private static final class GlueError extends RuntimeException {
    final String type;

    GlueError(String type, String message) {
      super(message);
      this.type = type;
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
