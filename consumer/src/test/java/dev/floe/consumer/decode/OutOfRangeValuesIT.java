package dev.floe.consumer.decode;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.floe.consumer.registry.SchemaRegistryClient;
import dev.floe.core.BadRecordException;
import dev.floe.core.config.RegistrySettings;
import dev.floe.testsupport.ConfluentAvroProducer;
import dev.floe.testsupport.SchemaRegistry;
import dev.floe.testsupport.SharedServices;
import io.apicurio.registry.serde.SerdeConfig;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.apicurio.registry.serde.jsonschema.JsonSchemaKafkaSerializer;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Values that a table cannot hold, framed by Apicurio's serializers against the real registry: each
 * is a bad record naming topic, partition, offset, the field path and why (Protobuf's cases are in
 * {@link ProtobufFormatIT}).
 */
class OutOfRangeValuesIT {
  private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  private static final Schema AVRO =
      new Schema.Parser()
          .parse(
              """
              {"type": "record", "name": "Trade", "namespace": "it.range", "fields": [
                {"name": "leg", "type": {"type": "record", "name": "Leg", "fields": [
                  {"name": "price", "type": {"type": "bytes", "logicalType": "decimal",
                                             "precision": 5, "scale": 2}}]}},
                {"name": "at", "type": {"type": "long", "logicalType": "timestamp-millis"}},
                {"name": "side", "type": {"type": "enum", "name": "Side", "symbols": ["BUY"]}}]}""");

  private static SchemaRegistry registry;
  private static RecordDecoder decoder;

  @BeforeAll
  static void connect() {
    registry = SharedServices.registry();
    decoder =
        new RecordDecoder(
            new SchemaRegistryClient(
                new RegistrySettings(
                    registry.url(),
                    null,
                    null,
                    null,
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(30))));
  }

  @Test
  void anAvroDecimalWithMoreDigitsThanItsPrecisionIsABadRecord() {
    GenericRecord trade = trade(new BigInteger("12345678"), 0L);

    assertThatThrownBy(() -> decode("range-avro-dec-" + RUN, avro("range-avro-dec-" + RUN, trade)))
        .isInstanceOf(BadRecordException.class)
        .hasMessageContaining("partition 3 offset 17")
        .hasMessageContaining("leg.price: 123456.78 has 8 digits, more than decimal(5,2) holds");
  }

  @Test
  void anAvroTimestampBeyondMicrosecondRangeIsABadRecord() {
    GenericRecord trade = trade(BigInteger.ONE, Long.MAX_VALUE / 10);

    assertThatThrownBy(() -> decode("range-avro-ts-" + RUN, avro("range-avro-ts-" + RUN, trade)))
        .isInstanceOf(BadRecordException.class)
        .hasMessageContaining(
            "at: " + Long.MAX_VALUE / 10 + " milliseconds since 1970 is out of range");
  }

  @Test
  void anAvroEnumSymbolNumberTheSchemaDoesNotHaveIsABadRecord() {
    String topic = "range-avro-enum-" + RUN;
    byte[] good = avro(topic, trade(BigInteger.ONE, 0L));
    byte[] bad = Arrays.copyOf(good, good.length);
    bad[bad.length - 1] = 2; // zigzag 1: the second symbol, which Side does not have

    assertThatThrownBy(() -> decode(topic, bad))
        .isInstanceOf(BadRecordException.class)
        .hasMessageContaining("side: enum symbol number 1 is not in it.range.Side");
  }

  @Test
  void anAvroPayloadCutShortNamesTheFieldWhereItEnds() {
    String topic = "range-avro-cut-" + RUN;
    byte[] good = avro(topic, trade(BigInteger.ONE, 1_700_000_000_000L));

    assertThatThrownBy(() -> decode(topic, Arrays.copyOf(good, good.length - 2)))
        .isInstanceOf(BadRecordException.class)
        .hasMessageContaining("at: the payload ends before this field");
  }

  @Test
  void anUnknownSchemaIdIsABadRecordThatSaysSo() {
    byte[] framed = {0, 0x7f, 0x7f, 0x7f, 0x70, 2};

    assertThatThrownBy(() -> decode("range-unknown-" + RUN, framed))
        .isInstanceOf(BadRecordException.class)
        .hasMessageContaining("partition 3 offset 17")
        .hasMessageContaining(String.valueOf(0x7f7f7f70));
  }

  @Test
  void jsonDecimalsAndTimestampsOutOfRangeAreBadRecords() throws Exception {
    String topic = "range-json-" + RUN;
    registry.register(
        topic + "-value",
        "JSON",
        """
        {"type": "object", "properties": {
          "price": {"type": "number", "format": "decimal", "precision": 5, "scale": 2},
          "at": {"type": "string", "format": "date-time"}}}""");

    assertThatThrownBy(() -> decode(topic, json(topic, "{\"price\": 1234.5}")))
        .isInstanceOf(BadRecordException.class)
        .hasMessageContaining("price: 1234.50 does not fit decimal(5,2)");
    assertThatThrownBy(() -> decode(topic, json(topic, "{\"at\": \"+999999999-12-31T23:59:59Z\"}")))
        .isInstanceOf(BadRecordException.class)
        .hasMessageContaining("at: ")
        .hasMessageContaining("is out of range: tables hold timestamps as 64-bit microseconds");
  }

  // --- fixtures

  private static GenericRecord trade(BigInteger unscaledPrice, long at) {
    GenericRecord leg = new GenericData.Record(AVRO.getField("leg").schema());
    leg.put("price", ByteBuffer.wrap(unscaledPrice.toByteArray()));
    GenericRecord trade = new GenericData.Record(AVRO);
    trade.put("leg", leg);
    trade.put("at", at);
    trade.put("side", new GenericData.EnumSymbol(AVRO.getField("side").schema(), "BUY"));
    return trade;
  }

  private static byte[] avro(String topic, GenericRecord value) {
    AvroKafkaSerializer<GenericRecord> serializer = new AvroKafkaSerializer<>();
    serializer.configure(ConfluentAvroProducer.serializerConfig(registry), false);
    try {
      return serializer.serialize(topic, value);
    } finally {
      serializer.close();
    }
  }

  private static byte[] json(String topic, String value) throws Exception {
    JsonSchemaKafkaSerializer<com.fasterxml.jackson.databind.JsonNode> serializer =
        new JsonSchemaKafkaSerializer<>();
    Map<String, Object> config = new HashMap<>(ConfluentAvroProducer.serializerConfig(registry));
    config.put(SerdeConfig.AUTO_REGISTER_ARTIFACT, false);
    config.put(SerdeConfig.VALIDATION_ENABLED, false);
    serializer.configure(config, false);
    try {
      return serializer.serialize(topic, new ObjectMapper().readTree(value));
    } finally {
      serializer.close();
    }
  }

  private static void decode(String topic, byte[] value) {
    decoder.decode(new ConsumerRecord<>(topic, 3, 17L, null, value), "_kafka");
  }
}
