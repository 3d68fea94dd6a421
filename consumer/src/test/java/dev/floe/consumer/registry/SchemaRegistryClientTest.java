package dev.floe.consumer.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.floe.core.FloeException;
import dev.floe.core.config.RegistrySettings;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The registry client's authentication options and its handling of HTTP statuses.
 *
 * <p>A JDK {@link HttpServer} on loopback stands in for the registry, and only to do what the real
 * one cannot be made to do here: show the request headers the client sends, and refuse on demand
 * (401, 503). No registry with authentication is available to the tests (the Apicurio fixture runs
 * without auth), so these are checks of the client's side of the protocol, not of interoperability;
 * {@code SchemaRegistryClientIT} covers that against a real Apicurio Registry.
 */
class SchemaRegistryClientTest {
  private static final String AVRO_ANSWER = "{\"schema\": \"{\\\"type\\\": \\\"string\\\"}\"}";
  private static final Duration RETRY_FOR = Duration.ofSeconds(10);

  private HttpServer server;
  private final List<HttpRequestSeen> requests = new CopyOnWriteArrayList<>();
  private final Deque<Integer> statuses = new ArrayDeque<>();

  record HttpRequestSeen(String path, String authorization) {}

  @BeforeEach
  void startStandIn() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::answer);
    server.start();
  }

  @AfterEach
  void stopStandIn() {
    server.stop(0);
  }

  @Test
  void basicAuthSendsBase64OfUserColonPassword() {
    SchemaRegistryClient client = client("alice", "s3cret", null);

    client.schema(7);

    assertThat(requests)
        .singleElement()
        .isEqualTo(new HttpRequestSeen("/schemas/ids/7", "Basic YWxpY2U6czNjcmV0"));
  }

  @Test
  void bearerTokenIsSentAsBearerAuthorization() {
    SchemaRegistryClient client = client(null, null, "t");

    client.schema(7);

    assertThat(requests).extracting(HttpRequestSeen::authorization).containsExactly("Bearer t");
  }

  @Test
  void withoutCredentialsNoAuthorizationHeaderIsSent() {
    SchemaRegistryClient client = client(null, null, null);

    RegisteredSchema schema = client.schema(7);

    assertThat(requests).extracting(HttpRequestSeen::authorization).containsOnlyNulls().hasSize(1);
    assertThat(schema).isEqualTo(new RegisteredSchema(7, "AVRO", "{\"type\": \"string\"}"));
  }

  @ParameterizedTest
  @ValueSource(ints = {401, 403})
  void refusedAccessFailsAtOnceNamingTheAuthSettings(int status) {
    statuses.add(status);
    SchemaRegistryClient client = client("alice", "wrong", null);
    long started = System.nanoTime();

    assertThatThrownBy(() -> client.schema(7))
        .isInstanceOf(FloeException.class)
        .hasMessageContaining("HTTP " + status)
        .hasMessageContaining("schema id 7")
        .hasMessageContaining(baseUrl())
        .hasMessageContaining("basic-auth")
        .hasMessageContaining("bearer-token");
    assertThat(requests).as("not retried").hasSize(1);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void unavailableRegistryIsRetriedUntilItAnswers() {
    statuses.add(503);
    statuses.add(503);
    SchemaRegistryClient client = client(null, null, null);

    RegisteredSchema schema = client.schema(7);

    assertThat(schema.text()).isEqualTo("{\"type\": \"string\"}");
    assertThat(requests).hasSize(3);
  }

  @Test
  void unknownIdIsNotRetried() {
    statuses.add(404);
    SchemaRegistryClient client = client(null, null, null);

    assertThatThrownBy(() -> client.schema(7))
        .isInstanceOf(SchemaRegistryClient.UnknownSchemaException.class);
    assertThat(requests).hasSize(1);
  }

  private SchemaRegistryClient client(String username, String password, String bearerToken) {
    return new SchemaRegistryClient(
        new RegistrySettings(
            baseUrl(), username, password, bearerToken, Duration.ofSeconds(5), RETRY_FOR));
  }

  private String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void answer(HttpExchange exchange) throws IOException {
    requests.add(
        new HttpRequestSeen(
            exchange.getRequestURI().getPath(),
            exchange.getRequestHeaders().getFirst("Authorization")));
    Integer scripted;
    synchronized (statuses) {
      scripted = statuses.poll();
    }
    int status = scripted == null ? 200 : scripted;
    String body =
        status == 200 ? AVRO_ANSWER : "{\"error_code\": " + status + ", \"message\": \"no\"}";
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
