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
   * Warnings for mappings that read nothing yet: a fixed topic that does not exist, a pattern that
   * matches no topic. Not errors: topics may be created later, and Floe then picks them up.
   */
  public static java.util.List<String> unmatched(
      dev.floe.core.config.FloeConfig config, java.util.Set<String> topics) {
    java.util.List<String> warnings = new java.util.ArrayList<>();
    for (dev.floe.core.config.TableMapping m : config.tables()) {
      if (m.topicPattern() != null) {
        if (topics.stream().noneMatch(m::matches)) {
          warnings.add(
              "'tables["
                  + m.index()
                  + "].topic-pattern' /"
                  + m.topicPattern().pattern()
                  + "/ matches no topic yet (the cluster has "
                  + topics.size()
                  + "); topics created later are picked up within metadata.max.age.ms");
        }
      } else {
        for (String t : m.topics()) {
          if (!topics.contains(t)) {
            warnings.add(
                "'tables["
                    + m.index()
                    + "].topics': topic '"
                    + t
                    + "' does not exist yet; Floe reads it once it is created");
          }
        }
      }
    }
    return warnings;
  }

  /**
   * Asks the cluster for its id, waiting at most {@code default.api.timeout.ms} (30 s unless
   * configured).
   *
   * @throws dev.floe.core.FloeException naming {@code kafka.bootstrap.servers} when no broker
   *     answers
   */
  public static java.util.Set<String> check(Map<String, String> kafka) {
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
      return admin.listTopics().names().get(timeoutMs, TimeUnit.MILLISECONDS);
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
