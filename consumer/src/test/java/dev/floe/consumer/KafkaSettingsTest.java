package dev.floe.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaSettingsTest {
  @Test
  void floeOwnsOffsetCommitsAndDeserializers() {
    Map<String, Object> props =
        KafkaSettings.consumerProperties(
            Map.of("bootstrap.servers", "b:9092", "max.poll.records", "50"), "floe-1-0", 0);

    assertThat(props)
        .containsEntry("enable.auto.commit", "false")
        .containsEntry("client.id", "floe-1-0")
        .containsEntry("max.poll.records", "50")
        .containsEntry(
            "key.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer")
        .doesNotContainKey("group.instance.id");
  }

  @Test
  void eachWorkerGetsItsOwnStaticMemberId() {
    Map<String, String> configured =
        Map.of("bootstrap.servers", "b:9092", "group.instance.id", "floe-host-a");

    assertThat(KafkaSettings.consumerProperties(configured, "c0", 0))
        .containsEntry("group.instance.id", "floe-host-a-0");
    assertThat(KafkaSettings.consumerProperties(configured, "c1", 1))
        .containsEntry("group.instance.id", "floe-host-a-1");
  }

  @Test
  void knowsClientPropertiesAndRejectsTypos() {
    assertThat(KafkaSettings.isKnownKey("security.protocol")).isTrue();
    assertThat(KafkaSettings.isKnownKey("sasl.jaas.config")).isTrue();
    assertThat(KafkaSettings.isKnownKey("bootstrap.server")).isFalse();
  }
}
