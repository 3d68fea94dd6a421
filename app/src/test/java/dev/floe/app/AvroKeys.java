package dev.floe.app;

import dev.floe.testsupport.ConfluentAvroProducer;
import dev.floe.testsupport.SchemaRegistry;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import org.apache.avro.generic.GenericRecord;

/**
 * Avro record keys framed the Confluent way, their schemas registered as key subjects; closeable,
 * so a test opens it in the same try-with-resources as its value producer.
 */
final class AvroKeys implements AutoCloseable {
  private final AvroKafkaSerializer<GenericRecord> serializer = new AvroKafkaSerializer<>();

  AvroKeys(SchemaRegistry registry) {
    serializer.configure(ConfluentAvroProducer.serializerConfig(registry), true);
  }

  byte[] serialize(String topic, GenericRecord key) {
    return serializer.serialize(topic, key);
  }

  @Override
  public void close() {
    serializer.close();
  }
}
