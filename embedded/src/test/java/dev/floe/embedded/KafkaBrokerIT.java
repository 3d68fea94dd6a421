package dev.floe.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class KafkaBrokerIT {

  @Test
  void restartKeepsDataAndPortAndStopLeavesNoBlockingThreads() throws Exception {
    Set<Thread> nonDaemonBefore = nonDaemonThreads();
    try (KafkaBroker broker = KafkaBroker.start()) {
      String bootstrap = broker.bootstrapServers();
      broker.createTopic("restart-me", 1);
      produce(broker, "restart-me", "before-1", "before-2");

      broker.restart();

      assertThat(broker.bootstrapServers()).isEqualTo(bootstrap);
      produce(broker, "restart-me", "after-1");
      assertThat(consumeAll(broker, "restart-me", 3))
          .containsExactly("before-1", "before-2", "after-1");
    }
    // A leftover non-daemon thread would keep a surefire fork (or KafkaBrokerMain) from exiting.
    Awaitility.await("Kafka threads to end after stop()")
        .atMost(Duration.ofSeconds(10))
        .pollInSameThread()
        .untilAsserted(() -> assertThat(nonDaemonThreads()).isSubsetOf(nonDaemonBefore));
  }

  private static Set<Thread> nonDaemonThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> !t.isDaemon() && t.isAlive())
        .collect(Collectors.toSet());
  }

  private static void produce(KafkaBroker broker, String topic, String... values) throws Exception {
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
            new StringSerializer(),
            new StringSerializer())) {
      for (String value : values) {
        producer.send(new ProducerRecord<>(topic, value)).get();
      }
    }
  }

  private static List<String> consumeAll(KafkaBroker broker, String topic, int expected) {
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(
            Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
            new StringDeserializer(),
            new StringDeserializer())) {
      TopicPartition partition = new TopicPartition(topic, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      Awaitility.await("records of " + topic)
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                for (ConsumerRecord<String, String> record :
                    consumer.poll(Duration.ofMillis(200))) {
                  values.add(record.value());
                }
                return values.size() >= expected;
              });
    }
    return values;
  }
}
