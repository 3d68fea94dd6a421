package dev.floe.catalogsync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The few calls of the AWS Glue JSON API that catalog sync makes: {@code POST /} with {@code
 * X-Amz-Target: AWSGlue.<Operation>}, a JSON body, and a SigV4 signature.
 */
final class GlueClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

  /** An error answer of Glue: its {@code __type} (e.g. EntityNotFoundException) and message. */
  static final class GlueException extends RuntimeException {
    final String type;

    GlueException(String type, int status, String message) {
      super(type + " (HTTP " + status + "): " + message);
      this.type = type;
    }
  }

  private final URI endpoint;
  private final String region;
  private final AwsCredentials credentials;
  private final String catalogId; // the account id, null for the caller's own
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  GlueClient(URI endpoint, String region, AwsCredentials credentials, String catalogId) {
    this.endpoint = endpoint;
    this.region = region;
    this.credentials = credentials;
    this.catalogId = catalogId;
  }

  ObjectNode body() {
    ObjectNode b = JSON.createObjectNode();
    if (catalogId != null) {
      b.put("CatalogId", catalogId);
    }
    return b;
  }

  /** Calls an operation; throws {@link GlueException} for an error answer. */
  JsonNode call(String operation, ObjectNode body) {
    try {
      byte[] payload = JSON.writeValueAsBytes(body);
      String amzDate = ZonedDateTime.now(ZoneOffset.UTC).format(AMZ_DATE);
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put("host", endpoint.getAuthority());
      headers.put("content-type", "application/x-amz-json-1.1");
      headers.put("x-amz-date", amzDate);
      headers.put("x-amz-target", "AWSGlue." + operation);
      if (credentials.sessionToken() != null) {
        headers.put("x-amz-security-token", credentials.sessionToken());
      }
      String path = endpoint.getRawPath().isEmpty() ? "/" : endpoint.getRawPath();
      String authorization =
          SigV4.authorization("POST", path, headers, payload, credentials, region, "glue", amzDate);
      HttpRequest.Builder request =
          HttpRequest.newBuilder(endpoint)
              .timeout(Duration.ofSeconds(30))
              .POST(HttpRequest.BodyPublishers.ofByteArray(payload))
              .header("Authorization", authorization);
      headers.forEach(
          (k, v) -> {
            if (!k.equals("host")) { // the client sets Host itself
              request.header(k, v);
            }
          });
      HttpResponse<byte[]> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      JsonNode answer =
          response.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(response.body());
      if (response.statusCode() / 100 != 2) {
        String type = answer.path("__type").asText("UnknownError");
        throw new GlueException(
            type.substring(type.lastIndexOf('#') + 1),
            response.statusCode(),
            answer.path("Message").asText(answer.path("message").asText("")));
      }
      return answer;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("Glue request " + operation + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted during Glue request " + operation, e);
    }
  }
}
