package dev.floe.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.floe.embedded.KafkaBroker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Broker + registry + independent Confluent-framed producer, consumed back with a plain
 * KafkaConsumer.
 */
class ConfluentAvroRoundTripIT {

  private static final Schema ORDER =
      SchemaBuilder.record("Order")
          .namespace("dev.floe.it")
          .fields()
          .requiredLong("id")
          .requiredString("customer")
          .optionalDouble("amount")
          .endRecord();

  private static KafkaBroker broker;
  private static SchemaRegistry registry;

  @BeforeAll
  static void startFixtures() {
    broker = KafkaBroker.start();
    registry = SchemaRegistry.start();
  }

  @AfterAll
  static void stopFixtures() {
    if (registry != null) {
      registry.stop();
    }
    if (broker != null) {
      broker.stop();
    }
  }

  @Test
  void framedRecordsRoundTripAndTheirIdResolvesThroughTheConfluentApi() throws Exception {
    String topic = "orders";
    broker.createTopic(topic, 3);
    // Apicurio draws global and content ids from one sequence, so they only differ when a version
    // reuses
    // content that already exists. Registering the schema under another subject first sets that up:
    // the
    // serializer's auto-registration then gets a new global id but the old content id, and a
    // serializer that
    // frames the wrong kind of id fails the assertions below.
    int contentIdRegisteredFirst = registry.register("order-archetype", "AVRO", ORDER.toString());
    List<GenericRecord> sent =
        IntStream.range(0, 10).mapToObj(ConfluentAvroRoundTripIT::order).toList();
    try (ConfluentAvroProducer producer =
        new ConfluentAvroProducer(broker.bootstrapServers(), registry)) {
      for (int i = 0; i < sent.size(); i++) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("seq", new byte[] {(byte) i});
        producer.send(topic, i % 3, ("k" + i).getBytes(), sent.get(i), headers);
      }
      producer.flush();
    }

    List<ConsumerRecord<byte[], byte[]>> received = consumeAll(topic, 3, sent.size());

    assertThat(received).hasSize(10);
    assertThat(received).extracting(ConsumerRecord::partition).containsOnly(0, 1, 2);
    JsonNode meta = artifactMeta(topic + "-value");
    int contentId = meta.path("contentId").asInt();
    assertThat(contentId).isEqualTo(contentIdRegisteredFirst);
    assertThat(meta.path("globalId").asInt())
        .as("id kinds must differ for this test to mean anything")
        .isNotEqualTo(contentId);
    for (ConsumerRecord<byte[], byte[]> record : received) {
      ByteBuffer value = ByteBuffer.wrap(record.value());
      assertThat(value.get()).as("Confluent magic byte").isZero();
      int schemaId = value.getInt();
      assertThat(schemaId)
          .as("framed id must be the content id the ccompat API serves")
          .isEqualTo(contentId);
      Schema writerSchema = new Schema.Parser().parse(registry.schemaById(schemaId));
      assertThat(writerSchema).isEqualTo(ORDER);
      GenericRecord decoded =
          new GenericDatumReader<GenericRecord>(writerSchema)
              .read(
                  null,
                  DecoderFactory.get()
                      .binaryDecoder(record.value(), 5, record.value().length - 5, null));
      int seq = record.headers().lastHeader("seq").value()[0];
      assertThat(decoded).isEqualTo(sent.get(seq));
      assertThat(new String(record.key())).isEqualTo("k" + seq);
      assertThat(record.partition()).isEqualTo(seq % 3);
    }
  }

  @Test
  void serializeFramesWithTheRegisteredContentId() {
    try (ConfluentAvroProducer producer =
        new ConfluentAvroProducer(broker.bootstrapServers(), registry)) {
      byte[] framed = producer.serialize("payments", order(42));
      int id = ByteBuffer.wrap(framed, 1, 4).getInt();
      assertThat(framed[0]).isZero();
      // Registering the same schema through the Confluent API must hand back the very id that was
      // framed.
      assertThat(registry.register("payments-value", "AVRO", ORDER.toString())).isEqualTo(id);
    }
  }

  @Test
  void registryRestartKeepsPortAndSchemas() {
    String url = registry.url();
    int id =
        registry.register(
            "survives-restart",
            "AVRO",
            SchemaBuilder.record("Kept").fields().requiredString("s").endRecord().toString());

    registry.restart();

    assertThat(registry.url()).isEqualTo(url);
    assertThat(new Schema.Parser().parse(registry.schemaById(id)).getName()).isEqualTo("Kept");
  }

  private static GenericRecord order(int i) {
    GenericData.Record record = new GenericData.Record(ORDER);
    record.put("id", (long) i);
    record.put("customer", "customer-" + i);
    record.put("amount", i % 2 == 0 ? null : i * 1.5);
    return record;
  }

  private static List<ConsumerRecord<byte[], byte[]>> consumeAll(
      String topic, int partitions, int expected) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      List<TopicPartition> all =
          IntStream.range(0, partitions).mapToObj(p -> new TopicPartition(topic, p)).toList();
      consumer.assign(all);
      consumer.seekToBeginning(all);
      Awaitility.await("records of " + topic)
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.size() >= expected;
              });
    }
    return records;
  }

  /**
   * Apicurio's own view of the artifact behind a Confluent subject (default group), with both id
   * kinds.
   */
  private static JsonNode artifactMeta(String subject) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            registry.apicurioV2Url()
                                + "/groups/default/artifacts/"
                                + subject
                                + "/meta"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new ObjectMapper().readTree(response.body());
  }
}
