package dev.floe.consumer;

import dev.floe.core.BadRecordException;
import dev.floe.core.Errors;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes bad records to their dead-letter topic: the original key, value and headers, plus {@code
 * floe.*} headers saying where the record came from and why it failed. Sends are asynchronous;
 * {@link #flush} waits for every one to be acknowledged and runs before each table commit, so that
 * a table never moves past a record that is not in its dead-letter topic yet. One per worker.
 */
final class DeadLetters implements AutoCloseable {
  static final String SOURCE_TOPIC = "floe.source.topic";
  static final String SOURCE_PARTITION = "floe.source.partition";
  static final String SOURCE_OFFSET = "floe.source.offset";
  static final String SOURCE_TIMESTAMP = "floe.source.timestamp";
  static final String STAGE = "floe.error.stage";
  static final String ERROR_CLASS = "floe.error.class";
  static final String ERROR_MESSAGE = "floe.error.message";
  static final String SCHEMA_ID = "floe.schema.id";
  static final String TABLE = "floe.table";
  static final String TIME = "floe.time";

  private final Map<String, String> kafka;
  private final String clientId;
  private KafkaProducer<byte[], byte[]> producer; // created at the first dead letter
  private final List<Future<RecordMetadata>> pending = new ArrayList<>();

  DeadLetters(Map<String, String> kafka, String clientId) {
    this.kafka = kafka;
    this.clientId = clientId;
  }

  /** Sends {@code r} to {@code topic} with the reason it failed for {@code table}. */
  void send(ConsumerRecord<byte[], byte[]> r, BadRecordException e, String topic, String table) {
    RecordHeaders headers = new RecordHeaders();
    for (Header h : r.headers()) {
      if (!h.key().startsWith("floe.")) { // a replayed letter failing again gets fresh ones
        headers.add(h);
      }
    }
    header(headers, SOURCE_TOPIC, r.topic());
    header(headers, SOURCE_PARTITION, String.valueOf(r.partition()));
    header(headers, SOURCE_OFFSET, String.valueOf(r.offset()));
    header(headers, SOURCE_TIMESTAMP, String.valueOf(r.timestamp()));
    header(headers, STAGE, e.stage().name().toLowerCase(java.util.Locale.ROOT));
    Throwable cause = e.getCause() != null ? e.getCause() : e;
    header(headers, ERROR_CLASS, cause.getClass().getName());
    header(headers, ERROR_MESSAGE, e.getMessage());
    int schemaId = schemaId(r.value());
    if (schemaId >= 0) {
      header(headers, SCHEMA_ID, String.valueOf(schemaId));
    }
    header(headers, TABLE, table);
    header(headers, TIME, Instant.now().toString());
    pending.add(producer().send(new ProducerRecord<>(topic, null, r.key(), r.value(), headers)));
  }

  /**
   * Waits until every dead letter sent so far is acknowledged.
   *
   * @throws dev.floe.core.FloeException when one could not be written
   */
  void flush() {
    if (pending.isEmpty()) {
      return;
    }
    producer.flush();
    try {
      for (Future<RecordMetadata> f : pending) {
        f.get();
      }
    } catch (ExecutionException e) {
      throw Errors.of(
          "Cannot write a dead letter: " + e.getCause().getMessage(),
          "check that the dead-letter topic exists (or may be auto-created) and that Floe may"
              + " write to it; the table is not committed past the record, so a restart retries it",
          e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Errors.of("Interrupted while writing dead letters", null, e);
    } finally {
      pending.clear();
    }
  }

  /**
   * The record a dead letter was made from: its source topic, partition, offset and timestamp, its
   * key and value, and its own headers (without Floe's); the letter itself when it has no {@code
   * floe.source.*} headers.
   */
  static ConsumerRecord<byte[], byte[]> original(ConsumerRecord<byte[], byte[]> letter) {
    String topic = header(letter, SOURCE_TOPIC);
    String partition = header(letter, SOURCE_PARTITION);
    String offset = header(letter, SOURCE_OFFSET);
    if (topic == null || partition == null || offset == null) {
      return letter;
    }
    String timestamp = header(letter, SOURCE_TIMESTAMP);
    RecordHeaders headers = new RecordHeaders();
    for (Header h : letter.headers()) {
      if (!h.key().startsWith("floe.")) {
        headers.add(h);
      }
    }
    return new ConsumerRecord<>(
        topic,
        Integer.parseInt(partition),
        Long.parseLong(offset),
        timestamp == null ? letter.timestamp() : Long.parseLong(timestamp),
        org.apache.kafka.common.record.TimestampType.CREATE_TIME,
        letter.serializedKeySize(),
        letter.serializedValueSize(),
        letter.key(),
        letter.value(),
        headers,
        java.util.Optional.empty());
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String key) {
    Header h = r.headers().lastHeader(key);
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private KafkaProducer<byte[], byte[]> producer() {
    if (producer == null) {
      Map<String, Object> props = new HashMap<>();
      kafka.forEach(
          (k, v) -> {
            if (ProducerConfig.configNames().contains(k)
                || k.startsWith("sasl.")
                || k.startsWith("ssl.")) {
              props.put(k, v);
            }
          });
      props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId + "-dlq");
      props.put(ProducerConfig.ACKS_CONFIG, "all");
      props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
      props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
      producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }
    return producer;
  }

  private static void header(RecordHeaders headers, String key, String value) {
    headers.add(key, value.getBytes(StandardCharsets.UTF_8));
  }

  /** The Confluent schema id of a value, or -1 when it is not framed. */
  private static int schemaId(byte[] value) {
    if (value == null || value.length < 5 || value[0] != 0) {
      return -1;
    }
    return ((value[1] & 0xff) << 24)
        | ((value[2] & 0xff) << 16)
        | ((value[3] & 0xff) << 8)
        | (value[4] & 0xff);
  }

  @Override
  public void close() {
    if (producer != null) {
      producer.close();
    }
  }
}
