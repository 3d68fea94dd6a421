package dev.floe.consumer.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.floe.core.Durations;
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
 * any other answer (unknown id, refused credentials, a page that is not a schema) fails at once,
 * because waiting will not change it.
 */
public final class SchemaRegistryClient {
  private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryClient.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RegistrySettings settings;
  private final HttpClient http;
  private final String authorization;
  private final Map<Integer, RegisteredSchema> cache = new ConcurrentHashMap<>();
  private final Map<String, RegisteredSchema> referencedCache = new ConcurrentHashMap<>();

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
    RegisteredSchema fetched = fetch(id, "/schemas/ids/" + id);
    cache.putIfAbsent(id, fetched);
    return fetched;
  }

  /** A subject's schema version ({@code latest} or a number), not cached. */
  public RegisteredSchema version(String subject, String version) {
    return fetch(
        0,
        "/subjects/"
            + java.net.URLEncoder.encode(subject, StandardCharsets.UTF_8)
            + "/versions/"
            + java.net.URLEncoder.encode(version, StandardCharsets.UTF_8));
  }

  /** A schema that another one references, by subject and version; cached like ids. */
  public RegisteredSchema referenced(RegisteredSchema.Reference reference) {
    String key = reference.subject() + "/" + reference.version();
    RegisteredSchema cached = referencedCache.get(key);
    if (cached != null) {
      return cached;
    }
    RegisteredSchema fetched =
        fetch(
            0,
            "/subjects/"
                + java.net.URLEncoder.encode(reference.subject(), StandardCharsets.UTF_8)
                + "/versions/"
                + reference.version());
    referencedCache.putIfAbsent(key, fetched);
    return fetched;
  }

  /**
   * @param id the schema id for messages, 0 when fetching by subject and version
   */
  private RegisteredSchema fetch(int id, String path) {
    URI uri = URI.create(settings.url() + path);
    Backoff backoff =
        new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10), settings.retryFor());
    while (true) {
      HttpResponse<String> response;
      try {
        response =
            http.send(request(uri), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      } catch (IOException e) {
        retryOrGiveUp(
            backoff,
            id,
            e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw Errors.of("Interrupted while fetching schema id " + id, null, e);
      }
      int status = response.statusCode();
      if (status == 200) {
        backoff.recovered(LOG, "Schema Registry " + settings.url());
        return parse(id, uri, response.body());
      }
      if (status >= 500 || status == 429) { // the registry is down or overloaded: worth waiting for
        retryOrGiveUp(backoff, id, "HTTP " + status + ": " + abbreviate(response.body()));
        continue;
      }
      throw refused(id, uri, status, response.body());
    }
  }

  private void retryOrGiveUp(Backoff backoff, int id, String failure) {
    if (!backoff.pause(
        LOG, "Schema Registry " + settings.url() + " (schema id " + id + ")", failure)) {
      throw Errors.transientFailure(
          "Schema Registry "
              + settings.url()
              + " unreachable for "
              + Durations.format(settings.retryFor())
              + " (last error: "
              + failure
              + ")",
          "start the registry or fix schema-registry.url; Floe resumes from the last commit",
          null);
    }
  }

  /** An answer that waiting will not change: say what came back and what it likely means. */
  private RuntimeException refused(int id, URI uri, int status, String body) {
    if (status == 404 && id > 0) {
      return new UnknownSchemaException(id, settings.url());
    }
    if (status == 404) {
      return Errors.of(
          "Schema Registry has no " + uri + ", which a registered schema references",
          "register the referenced schema under that subject and version",
          null);
    }
    if (status == 401 || status == 403) {
      return Errors.of(
          "Schema Registry "
              + settings.url()
              + " refused access (HTTP "
              + status
              + ") to schema id "
              + id,
          "check schema-registry.basic-auth or bearer-token",
          null);
    }
    return Errors.of(
        "Schema Registry answered HTTP " + status + " for " + uri + ": " + abbreviate(body),
        "check that schema-registry.url is the base of the Confluent-compatible API (for Apicurio: .../apis/ccompat/v7)",
        null);
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

  private static RegisteredSchema parse(int id, URI uri, String body) {
    JsonNode node;
    try {
      node = JSON.readTree(body);
    } catch (IOException e) {
      node = null;
    }
    JsonNode schema = node == null ? null : node.get("schema");
    if (schema == null) {
      throw Errors.of(
          "Schema Registry answer for " + uri + " is not a schema: " + abbreviate(body),
          "check that schema-registry.url is the base of the Confluent-compatible API"
              + " (for Apicurio: .../apis/ccompat/v7)",
          null);
    }
    String type = node.hasNonNull("schemaType") ? node.get("schemaType").asText() : "AVRO";
    java.util.List<RegisteredSchema.Reference> references = new java.util.ArrayList<>();
    if (node.has("references")) {
      for (JsonNode r : node.get("references")) {
        references.add(
            new RegisteredSchema.Reference(
                r.path("name").asText(), r.path("subject").asText(), r.path("version").asInt()));
      }
    }
    return new RegisteredSchema(id, type, schema.asText(), references);
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
