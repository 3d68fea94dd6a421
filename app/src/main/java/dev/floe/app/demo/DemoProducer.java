package dev.floe.app.demo;

import dev.floe.embedded.EmbeddedSchemaRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Produces the demo events at a steady rate, framed as a Confluent serializer would (magic byte 0,
 * schema id, Avro binary), keyed by customer or user id.
 */
public final class DemoProducer implements Runnable, AutoCloseable {
  private final KafkaProducer<byte[], byte[]> producer;
  private final int orderSchemaId;
  private final int clickSchemaId;
  private final int perSecond;
  private final DemoEvents events = new DemoEvents();
  private final AtomicLong produced = new AtomicLong();
  private volatile boolean running = true;

  public DemoProducer(String bootstrap, EmbeddedSchemaRegistry registry, int perSecond) {
    this.producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.LINGER_MS_CONFIG,
                20,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true),
            new ByteArraySerializer(),
            new ByteArraySerializer());
    this.orderSchemaId = registry.register("orders-value", "AVRO", DemoEvents.ORDER.toString());
    this.clickSchemaId =
        registry.register("clickstream-value", "AVRO", DemoEvents.CLICK.toString());
    this.perSecond = perSecond;
  }

  public long produced() {
    return produced.get();
  }

  @Override
  public void run() {
    long start = System.nanoTime();
    long sent = 0;
    while (running) {
      long due = (System.nanoTime() - start) * perSecond / 1_000_000_000L;
      for (; sent < due && running; sent++) {
        long now = System.currentTimeMillis();
        boolean order = sent % 5 == 0; // one order for every four clicks
        GenericRecord value = order ? events.order(now) : events.click(now);
        String key = String.valueOf(order ? value.get("customer_id") : value.get("user_id"));
        producer.send(
            new ProducerRecord<>(
                order ? "orders" : "clickstream",
                key.getBytes(),
                frame(order ? orderSchemaId : clickSchemaId, value)),
            (m, e) -> {
              if (e == null) {
                produced.incrementAndGet();
              }
            });
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Asks the producing thread to stop; join it, then {@link #close}. */
  public void stop() {
    running = false;
  }

  /** Waits until every sent record is acknowledged. */
  @Override
  public void close() {
    producer.close();
  }

  private static byte[] frame(int schemaId, GenericRecord value) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream(256);
      out.write(ByteBuffer.allocate(5).put((byte) 0).putInt(schemaId).array());
      BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
      Schema schema = value.getSchema();
      new GenericDatumWriter<GenericRecord>(schema).write(value, encoder);
      encoder.flush();
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
