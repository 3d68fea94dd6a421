package dev.floe.consumer;

import dev.floe.core.Errors;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The start-up check that the configured brokers answer: a typo in {@code bootstrap.servers} should
 * stop {@code floe run} with one clear message, not leave consumers retrying silently forever.
 */
public final class KafkaReachability {
  private KafkaReachability() {}

  /**
   * Asks the cluster for its id, waiting at most {@code default.api.timeout.ms} (30 s unless
   * configured).
   *
   * @throws dev.floe.core.FloeException naming {@code kafka.bootstrap.servers} when no broker
   *     answers
   */
  public static void check(Map<String, String> kafka) {
    Map<String, Object> props = new HashMap<>();
    kafka.forEach(
        (k, v) -> {
          if (AdminClientConfig.configNames().contains(k)
              || k.startsWith("sasl.")
              || k.startsWith("ssl.")) {
            props.put(k, v);
          }
        });
    long timeoutMs =
        Long.parseLong(
            kafka.getOrDefault(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000"));
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeoutMs);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeoutMs, 30_000));
    try (Admin admin = Admin.create(props)) {
      admin.describeCluster().clusterId().get(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw Errors.of(
          "'kafka.bootstrap.servers': no broker at "
              + kafka.get("bootstrap.servers")
              + " answered within "
              + timeoutMs
              + " ms ("
              + cause.getClass().getSimpleName()
              + (cause.getMessage() == null ? "" : ": " + cause.getMessage())
              + ")",
          "check the addresses and ports, that a broker runs there, and the security settings"
              + " (kafka.security.protocol, kafka.sasl.*, kafka.ssl.*)",
          null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Errors.of("Interrupted while checking that Kafka answers", null, e);
    }
  }
}
