package dev.floe.app;

import dev.floe.core.config.FloeConfig;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** The admin-client subset of the config's Kafka properties (addresses and security). */
final class AdminProperties {
  private AdminProperties() {}

  static Map<String, Object> of(FloeConfig config) {
    Map<String, Object> props = new HashMap<>();
    config
        .kafka()
        .forEach(
            (k, v) -> {
              if (AdminClientConfig.configNames().contains(k)
                  || k.startsWith("sasl.")
                  || k.startsWith("ssl.")) {
                props.put(k, v);
              }
            });
    return props;
  }
}
