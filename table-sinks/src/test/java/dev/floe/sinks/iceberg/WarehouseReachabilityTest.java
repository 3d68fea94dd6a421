package dev.floe.sinks.iceberg;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.floe.core.FloeException;
import dev.floe.core.config.S3Settings;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Wrong credentials. S3Mock (S3WarehouseIT) accepts any signature, so a loopback HTTP server that
 * answers every request as S3 does to a bad key (403) stands in for the store here; the AWS SDK
 * client, its retries and the message are the real ones.
 */
class WarehouseReachabilityTest {
  private HttpServer denying;

  @BeforeEach
  void start() throws Exception {
    denying = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    denying.createContext(
        "/",
        exchange -> {
          exchange.sendResponseHeaders(403, -1);
          exchange.close();
        });
    denying.start();
  }

  @AfterEach
  void stop() {
    denying.stop(0);
  }

  @Test
  void wrongCredentialsStopStartUpNamingBucketEndpointAndKeysButNotTheSecret() {
    String endpoint = "http://127.0.0.1:" + denying.getAddress().getPort();
    S3Settings s3 = new S3Settings(endpoint, null, true, "AKIAEXAMPLE", "wrong-secret", 5 << 20);

    assertThatThrownBy(() -> WarehouseReachability.check("s3://lake/wh", s3))
        .isInstanceOf(FloeException.class)
        .hasMessageContaining(
            endpoint + " refused access to bucket 'lake' (HTTP 403, access denied)")
        .hasMessageContaining("s3.access-key-id and s3.secret-access-key")
        .message()
        .doesNotContain("wrong-secret")
        .doesNotContain("AKIAEXAMPLE");
  }
}
