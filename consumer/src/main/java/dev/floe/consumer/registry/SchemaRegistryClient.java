package dev.floe.consumer.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.floe.core.Errors;
import dev.floe.core.FloeException;
import dev.floe.core.config.RegistrySettings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks schemas up by id through the Confluent Schema Registry REST API. Ids are immutable in the
 * registry, so every id is fetched once and cached for the life of the process. An unreachable
 * registry (connection errors, 5xx, 429) is retried with exponential backoff for {@code retry-for};
 * an id the registry does not know is not retried.
 */
public final class SchemaRegistryClient {
  private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryClient.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RegistrySettings settings;
  private final HttpClient http;
  private final String authorization;
  private final Map<Integer, RegisteredSchema> cache = new ConcurrentHashMap<>();

  public SchemaRegistryClient(RegistrySettings settings) {
    this.settings = settings;
    this.http = HttpClient.newBuilder().connectTimeout(settings.timeout()).build();
    this.authorization = authorization(settings);
  }

  /**
   * The schema registered under {@code id}; throws {@link UnknownSchemaException} if there is none.
   */
  public RegisteredSchema schema(int id) {
    RegisteredSchema cached = cache.get(id);
    if (cached != null) {
      return cached;
    }
    // Fetch outside computeIfAbsent: a retrying fetch must not block lookups of other ids.
    RegisteredSchema fetched = fetch(id);
    cache.putIfAbsent(id, fetched);
    return fetched;
  }

  private RegisteredSchema fetch(int id) {
    URI uri = URI.create(settings.url() + "/schemas/ids/" + id);
    Backoff backoff =
        new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10), settings.retryFor());
    while (true) {
      String failure;
      try {
        HttpResponse<String> response =
            http.send(request(uri), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        int status = response.statusCode();
        if (status == 200) {
          backoff.recovered(LOG, "Schema Registry " + settings.url());
          return parse(id, response.body());
        }
        if (status == 404) {
          throw new UnknownSchemaException(id, settings.url());
        }
        if (status == 401 || status == 403) {
          throw Errors.of(
              "Schema Registry "
                  + settings.url()
                  + " refused access (HTTP "
                  + status
                  + ") to schema id "
                  + id,
              "check schema-registry.basic-auth or bearer-token",
              null);
        }
        failure = "HTTP " + status + ": " + abbreviate(response.body());
      } catch (IOException e) {
        failure =
            e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw Errors.of("Interrupted while fetching schema id " + id, null, e);
      }
      if (!backoff.pause(
          LOG, "Schema Registry " + settings.url() + " (schema id " + id + ")", failure)) {
        throw Errors.of(
            "Schema Registry "
                + settings.url()
                + " unreachable for "
                + settings.retryFor()
                + " (last error: "
                + failure
                + ")",
            "start the registry or fix schema-registry.url; Floe resumes from the last commit",
            null);
      }
    }
  }

  private HttpRequest request(URI uri) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri)
            .timeout(settings.timeout())
            .header("Accept", "application/vnd.schemaregistry.v1+json, application/json");
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return b.GET().build();
  }

  private static RegisteredSchema parse(int id, String body) throws IOException {
    JsonNode node = JSON.readTree(body);
    JsonNode schema = node.get("schema");
    if (schema == null) {
      throw new IOException(
          "registry answer for id " + id + " has no 'schema' field: " + abbreviate(body));
    }
    String type = node.hasNonNull("schemaType") ? node.get("schemaType").asText() : "AVRO";
    return new RegisteredSchema(id, type, schema.asText());
  }

  private static String authorization(RegistrySettings s) {
    if (s.username() != null) {
      String raw = s.username() + ":" + s.password();
      return "Basic " + Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }
    return s.bearerToken() == null ? null : "Bearer " + s.bearerToken();
  }

  private static String abbreviate(String s) {
    return s == null ? "" : s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }

  /** The registry answered, but knows no schema with this id: the record is bad input. */
  public static final class UnknownSchemaException extends FloeException {
    UnknownSchemaException(int id, String url) {
      super(
          "schema id " + id + " is not registered in " + url,
          "check that producers and Floe use the same registry (schema-registry.url)",
          null);
    }
  }
}
