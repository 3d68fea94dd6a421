package dev.floe.app;

import dev.floe.embedded.KafkaBroker;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Values produced as the given bytes, for tests whose framing is not Floe's or Apicurio's Avro. */
final class RawRecords {
  private RawRecords() {}

  /** Sends each value, in order, and waits until the broker has acknowledged all of them. */
  static void send(KafkaBroker broker, String topic, List<byte[]> values) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", broker.bootstrapServers()),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      for (byte[] value : values) {
        producer.send(new ProducerRecord<>(topic, value)).get();
      }
    }
  }
}
