package dev.floe.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Produces the whole data set before Floe starts: Confluent framing (magic byte 0, 4-byte schema
 * id, Avro binary), keyed by user id, with an idempotent producer ({@code acks=all}). Returns once
 * every record is acknowledged.
 */
final class BenchProducer {
  record Produced(long records, long payloadBytes, long framedBytes, double seconds) {
    double avgPayload() {
      return (double) payloadBytes / records;
    }

    double avgFramed() {
      return (double) framedBytes / records;
    }
  }

  private final String bootstrap;
  private final String compression;

  BenchProducer(String bootstrap, String compression) {
    this.bootstrap = bootstrap;
    this.compression = compression;
  }

  Produced produce(String topic, int schemaId, long count) throws IOException {
    return produce(topic, schemaId, count, new BenchEvents(42));
  }

  /** Produces {@code count} events of {@code events} (which decides how many distinct keys). */
  Produced produce(String topic, int schemaId, long count, BenchEvents events) throws IOException {
    Map<String, Object> props =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            true,
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.LINGER_MS_CONFIG,
            20,
            ProducerConfig.BATCH_SIZE_CONFIG,
            256 * 1024,
            ProducerConfig.BUFFER_MEMORY_CONFIG,
            128L << 20,
            ProducerConfig.COMPRESSION_TYPE_CONFIG,
            compression);
    GenericDatumWriter<GenericRecord> writer = new GenericDatumWriter<>(BenchEvents.SCHEMA);
    ByteArrayOutputStream buffer = new ByteArrayOutputStream(1024);
    BinaryEncoder encoder = null;
    byte[] header = {
      0,
      (byte) (schemaId >>> 24),
      (byte) (schemaId >>> 16),
      (byte) (schemaId >>> 8),
      (byte) schemaId
    };
    AtomicReference<Exception> failure = new AtomicReference<>();
    AtomicLong acked = new AtomicLong();
    long payload = 0;
    long started = System.nanoTime();
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (long i = 0; i < count && failure.get() == null; i++) {
        GenericRecord event = events.next();
        buffer.reset();
        buffer.write(header);
        encoder = EncoderFactory.get().binaryEncoder(buffer, encoder);
        writer.write(event, encoder);
        encoder.flush();
        byte[] value = buffer.toByteArray();
        payload += value.length - header.length;
        byte[] key = event.get("user_id").toString().getBytes(StandardCharsets.UTF_8);
        producer.send(
            new ProducerRecord<>(topic, key, value),
            (m, e) -> {
              if (e != null) {
                failure.compareAndSet(null, e);
              } else {
                acked.incrementAndGet();
              }
            });
      }
      producer.flush();
    }
    if (failure.get() != null || acked.get() != count) {
      throw new IllegalStateException(
          "Producing failed after " + acked.get() + " of " + count + " records", failure.get());
    }
    return new Produced(
        count, payload, payload + count * header.length, (System.nanoTime() - started) / 1e9);
  }
}
