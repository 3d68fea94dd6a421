package dev.floe.testsupport;

import io.apicurio.registry.serde.Legacy4ByteIdHandler;
import io.apicurio.registry.serde.SerdeConfig;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.apicurio.registry.serde.config.IdOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Produces Confluent-framed Avro records ({@code 0x00}, 4-byte big-endian schema id, Avro binary)
 * the way a real third-party producer would: framing and schema registration are done by Apicurio's
 * own Kafka serializer, never by Floe code, so Floe's decoder is tested against an independent
 * implementation of the wire format.
 *
 * <p>Serializer configuration and why:
 *
 * <ul>
 *   <li>{@code apicurio.registry.id-handler=Legacy4ByteIdHandler}: 4-byte id in the payload instead
 *       of Apicurio's default 8-byte id. This is exactly what {@code
 *       apicurio.registry.as-confluent=true} switches on, minus the "Duplicate id-handler
 *       configuration" warning that flag logs next to the default handler;
 *   <li>{@code apicurio.registry.use-id=contentId}: the Confluent API of Apicurio ({@code
 *       /apis/ccompat/v7}, not in legacy id mode) resolves {@code /schemas/ids/{id}} by content id;
 *       the serializer's default, globalId, would frame ids that a Confluent-API consumer resolves
 *       to the wrong schema or to 404;
 *   <li>{@code apicurio.registry.headers.enabled=false}: the id goes into the payload, not into
 *       Kafka headers;
 *   <li>{@code apicurio.registry.auto-register=true}: the schema is registered on first use under
 *       the TopicNameStrategy subject {@code <topic>-value} in the default group, i.e. the
 *       Confluent subject.
 * </ul>
 *
 * Values only; keys are passed through as raw bytes.
 */
public final class ConfluentAvroProducer implements AutoCloseable {

  private final AvroKafkaSerializer<GenericRecord> serializer = new AvroKafkaSerializer<>();
  private final KafkaProducer<byte[], byte[]> producer;

  public ConfluentAvroProducer(String bootstrapServers, SchemaRegistry registry) {
    serializer.configure(serializerConfig(registry), false);
    Map<String, Object> producerConfig = new HashMap<>();
    producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
    producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    producer =
        new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /**
   * The serializer settings, exposed so tests can build their own Apicurio serializer with the same
   * framing.
   */
  public static Map<String, Object> serializerConfig(SchemaRegistry registry) {
    Map<String, Object> config = new HashMap<>();
    config.put(SerdeConfig.REGISTRY_URL, registry.apicurioV2Url());
    config.put(SerdeConfig.ID_HANDLER, Legacy4ByteIdHandler.class.getName());
    config.put(SerdeConfig.USE_ID, IdOption.contentId.name());
    config.put(SerdeConfig.ENABLE_HEADERS, false);
    config.put(SerdeConfig.AUTO_REGISTER_ARTIFACT, true);
    return config;
  }

  /**
   * Confluent-framed bytes for {@code value} as a value of {@code topic}; registers the schema if
   * needed.
   */
  public byte[] serialize(String topic, GenericRecord value) {
    return serializer.serialize(topic, value);
  }

  /**
   * Sends one record. {@code partition} null lets the partitioner choose, {@code key} may be null,
   * {@code headers} may be null. Returns the producer's future; call {@link #flush()} or {@code
   * get()} to wait for the ack.
   */
  public Future<RecordMetadata> send(
      String topic, Integer partition, byte[] key, GenericRecord value, Headers headers) {
    return producer.send(
        new ProducerRecord<>(topic, partition, key, serialize(topic, value), headers));
  }

  public Future<RecordMetadata> send(String topic, GenericRecord value) {
    return send(topic, null, null, value, null);
  }

  public void flush() {
    producer.flush();
  }

  @Override
  public void close() {
    producer.close();
    serializer.close();
  }
}
