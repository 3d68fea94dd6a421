package dev.floe.consumer;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** The Kafka client properties Floe accepts in config, and the ones it always sets itself. */
public final class KafkaSettings {
  private static final Set<String> KNOWN = known();

  private KafkaSettings() {}

  /** Whether {@code key} is a Kafka client property (consumer, producer or admin). */
  public static boolean isKnownKey(String key) {
    return KNOWN.contains(key) || key.startsWith("sasl.") || key.startsWith("ssl.");
  }

  /** The properties of worker {@code worker}'s consumer. */
  static Map<String, Object> consumerProperties(
      Map<String, String> configured, String clientId, int worker) {
    Map<String, Object> props = new HashMap<>(configured);
    props.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1000");
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    String instance = configured.get(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    if (instance != null) {
      // Static membership: a restarted replica takes its partitions back at once instead of after
      // session.timeout.ms. Each worker is its own member, so each needs its own stable id.
      props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instance + "-" + worker);
    }
    // Offsets live in the table commits; group offsets are committed by Floe after each table
    // commit.
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return props;
  }

  private static Set<String> known() {
    Set<String> keys = new HashSet<>(ConsumerConfig.configNames());
    keys.addAll(ProducerConfig.configNames());
    keys.addAll(AdminClientConfig.configNames());
    return Set.copyOf(keys);
  }
}
