package dev.floe.sinks.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.floe.core.config.CatalogSettings;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.iceberg.catalog.Catalog;
import org.junit.jupiter.api.Test;

/**
 * AWS Glue's Iceberg REST endpoint wants every request signed with SigV4. Glue cannot run here, so
 * a local HTTP server (not AWS) records what Floe's REST catalog client sends: the signature must
 * be there, for service {@code glue} in the configured region, and the secret must not travel.
 */
class RestSigV4Test {
  @Test
  void restCatalogRequestsAreSignedWithSigV4ForGluesEndpoint_localStandIn() throws Exception {
    List<Map<String, List<String>>> requests = new CopyOnWriteArrayList<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          requests.add(Map.copyOf(exchange.getRequestHeaders()));
          byte[] body = "{\"defaults\": {}, \"overrides\": {}}".getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    try {
      CatalogSettings glue =
          new CatalogSettings(
              "glue-rest",
              CatalogSettings.Type.REST,
              "http://127.0.0.1:" + server.getAddress().getPort() + "/iceberg",
              null,
              Map.of(
                  "rest.auth.type", "sigv4",
                  "rest.signing-region", "eu-west-1",
                  "rest.signing-name", "glue",
                  "rest.access-key-id", "AKIDEXAMPLE",
                  "rest.secret-access-key", "wJalrXUtnFEMI-secret"));
      Catalog catalog = IcebergCatalogs.open(glue, "/tmp/unused", null);
      ((AutoCloseable) catalog).close();
    } finally {
      server.stop(0);
    }

    assertThat(requests).isNotEmpty();
    Map<String, List<String>> first = requests.get(0);
    assertThat(first.get("Authorization"))
        .singleElement()
        .asString()
        .startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
        .contains("/eu-west-1/glue/aws4_request")
        .doesNotContain("wJalrXUtnFEMI-secret");
    assertThat(first).containsKey("X-amz-date");
  }
}
