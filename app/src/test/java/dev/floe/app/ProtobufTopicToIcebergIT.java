package dev.floe.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.CodedOutputStream;
import dev.floe.core.config.FloeConfig;
import dev.floe.embedded.KafkaBroker;
import dev.floe.testsupport.SchemaRegistry;
import dev.floe.testsupport.SharedServices;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Protobuf end to end: unsigned integers, enums, oneof, well-known types, repeated messages and a
 * map with integer keys, from Confluent-framed bytes (message indexes included) into an Iceberg
 * table, compared exactly. The payloads are written with protobuf-java's own encoder, not Floe's.
 */
class ProtobufTopicToIcebergIT {
  static final KafkaBroker broker = SharedServices.broker();
  static final SchemaRegistry registry = SharedServices.registry();
  @TempDir Path dir;

  static final String PROTO =
      """
      syntax = "proto3";
      package it;
      import "google/protobuf/timestamp.proto";
      import "google/protobuf/wrappers.proto";
      message Payment {
        uint64 big = 1;
        uint32 small = 2;
        sint32 delta = 3;
        Status status = 4;
        google.protobuf.Timestamp at = 5;
        google.protobuf.Int64Value maybe = 6;
        repeated Line lines = 7;
        map<int32, string> labels = 8;
        oneof method { string card = 9; int64 account = 10; }
        int64 seq = 11;
        message Line { string sku = 1; int32 qty = 2; }
        enum Status { NEW = 0; PAID = 1; }
      }
      """;

  @Test
  void protobufRecordsLandWithExactValues() throws Exception {
    String topic = "proto-payments";
    broker.createTopic(topic, 1);
    int id = registry.register(topic + "-value", "PROTOBUF", PROTO);
    RawRecords.send(
        broker, topic, List.of(framed(id, full()), framed(id, message(c -> c.writeInt64(11, 2)))));
    FloeConfig config =
        TestConfigs.parse(
            dir,
            broker,
            registry,
            """
        tables:
          - topics: [proto-payments]
            table: finance.proto_payments
            commit: { interval: 500ms }
        """);

    assertThat(
            Pipelines.runUntil(
                config,
                Duration.ofSeconds(60),
                () -> IcebergTables.rowCount(config, "finance.proto_payments") == 2))
        .isNull();

    List<Record> rows = IcebergTables.rows(config, "finance.proto_payments");
    rows.sort(Comparator.comparing(r -> (Long) r.getField("seq")));
    Record full = rows.get(0);
    assertThat(full.getField("big")).isEqualTo(new BigDecimal("18446744073709551615"));
    assertThat(full.getField("small")).isEqualTo(4294967295L);
    assertThat(full.getField("delta")).isEqualTo(-7);
    assertThat(full.getField("status")).isEqualTo("PAID");
    assertThat(full.getField("at")).isEqualTo(OffsetDateTime.parse("2025-11-21T10:15:30.123456Z"));
    assertThat(full.getField("maybe")).isEqualTo(42L);
    List<?> lines = (List<?>) full.getField("lines");
    assertThat(lines).hasSize(2);
    assertThat(((Record) lines.get(1)).getField("sku")).isEqualTo("b");
    assertThat(((Record) lines.get(1)).getField("qty")).isEqualTo(3);
    assertThat(full.getField("labels")).isEqualTo(Map.of(1, "one", -2, "minus two"));
    Record method = (Record) full.getField("method");
    assertThat(method.getField("card")).isNull();
    assertThat(method.getField("account")).isEqualTo(99L);

    Record defaults =
        rows.get(1); // proto3: absent scalars are their defaults, absent messages null
    assertThat(defaults.getField("big")).isEqualTo(BigDecimal.ZERO);
    assertThat(defaults.getField("small")).isEqualTo(0L);
    assertThat(defaults.getField("status")).isEqualTo("NEW");
    assertThat(defaults.getField("at")).isNull();
    assertThat(defaults.getField("maybe")).isNull();
    assertThat((List<?>) defaults.getField("lines")).isEmpty();
    assertThat(defaults.getField("method")).isNull();
  }

  private static byte[] full() throws IOException {
    return message(
        c -> {
          c.writeUInt64(1, -1L); // 2^64 - 1
          c.writeUInt32(2, -1); // 2^32 - 1
          c.writeSInt32(3, -7);
          c.writeEnum(4, 1);
          c.writeByteArray(
              5,
              message(
                  t -> {
                    t.writeInt64(1, 1_763_720_130L);
                    t.writeInt32(2, 123_456_789);
                  }));
          c.writeByteArray(6, message(w -> w.writeInt64(1, 42)));
          c.writeByteArray(
              7,
              message(
                  l -> {
                    l.writeString(1, "a");
                    l.writeInt32(2, 1);
                  }));
          c.writeByteArray(
              7,
              message(
                  l -> {
                    l.writeString(1, "b");
                    l.writeInt32(2, 3);
                  }));
          c.writeByteArray(
              8,
              message(
                  e -> {
                    e.writeInt32(1, 1);
                    e.writeString(2, "one");
                  }));
          c.writeByteArray(
              8,
              message(
                  e -> {
                    e.writeInt32(1, -2);
                    e.writeString(2, "minus two");
                  }));
          c.writeInt64(10, 99);
          c.writeInt64(11, 1);
        });
  }

  interface Fields {
    void write(CodedOutputStream out) throws IOException;
  }

  private static byte[] message(Fields fields) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    fields.write(out);
    out.flush();
    return bytes.toByteArray();
  }

  /**
   * Confluent framing for Protobuf: magic 0, schema id, message indexes ([0] is the byte 0),
   * message.
   */
  private static byte[] framed(int schemaId, byte[] message) {
    return ByteBuffer.allocate(6 + message.length)
        .put((byte) 0)
        .putInt(schemaId)
        .put((byte) 0)
        .put(message)
        .array();
  }
}
