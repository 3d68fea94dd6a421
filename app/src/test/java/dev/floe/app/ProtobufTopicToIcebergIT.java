package dev.floe.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.AnyProto;
import com.google.protobuf.BoolValue;
import com.google.protobuf.ByteString;
import com.google.protobuf.BytesValue;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumValueDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Label;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.OneofDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DoubleValue;
import com.google.protobuf.DurationProto;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Empty;
import com.google.protobuf.EmptyProto;
import com.google.protobuf.FloatValue;
import com.google.protobuf.Int32Value;
import com.google.protobuf.ListValue;
import com.google.protobuf.Message;
import com.google.protobuf.NullValue;
import com.google.protobuf.StringValue;
import com.google.protobuf.Struct;
import com.google.protobuf.StructProto;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.UInt64Value;
import com.google.protobuf.Value;
import com.google.protobuf.WrappersProto;
import dev.floe.core.BadRecordException;
import dev.floe.core.config.FloeConfig;
import dev.floe.embedded.KafkaBroker;
import dev.floe.testsupport.ConfluentAvroProducer;
import dev.floe.testsupport.SchemaRegistry;
import dev.floe.testsupport.SharedServices;
import io.apicurio.registry.serde.protobuf.ProtobufKafkaSerializer;
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
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Protobuf end to end: every scalar, enums, oneof, the well-known types, proto2 presence, repeated
 * messages and a map with integer keys, into an Iceberg table, compared exactly. The payloads are
 * written by Apicurio's ProtobufKafkaSerializer (which also registers imported files as references)
 * or, where the wire shape itself is under test (Confluent message indexes, unknown fields,
 * repeated scalars), with protobuf-java's own encoder; never by Floe.
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
        broker,
        topic,
        List.of(
            ConfluentFraming.protobuf(id, full()),
            ConfluentFraming.protobuf(id, message(c -> c.writeInt64(11, 2))),
            ConfluentFraming.protobuf(id, odd())));
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
                () -> IcebergTables.rowCount(config, "finance.proto_payments") == 3))
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

    Record odd = rows.get(2);
    assertThat(odd.getField("delta")).as("the last value on the wire wins").isEqualTo(-7);
    assertThat(odd.getField("status")).as("a number the enum does not name").isEqualTo("7");
    assertThat(odd.getField("labels")).as("an entry without value").isEqualTo(Map.of(5, ""));
  }

  /** An unknown field, a field written twice, an enum number from a newer schema. */
  private static byte[] odd() throws IOException {
    return message(
        c -> {
          c.writeSInt32(3, 100);
          c.writeString(99, "a field of a newer schema");
          c.writeEnum(4, 7);
          c.writeByteArray(8, message(e -> e.writeInt32(1, 5)));
          c.writeSInt32(3, -7);
          c.writeInt64(11, 3);
        });
  }

  /**
   * Scalars, well-known types, proto2 presence and an import of another registered subject, each
   * message built as a DynamicMessage and framed by Apicurio's ProtobufKafkaSerializer, which also
   * registers the imported file as a reference of the value's schema.
   */
  @Test
  void recordsSerializedByApicuriosProtobufSerializerLandWithExactValues() throws Exception {
    String topic = "proto-wide";
    broker.createTopic(topic, 1);
    Descriptor wide = wideFile().findMessageTypeByName("Wide");
    Descriptor legacy = wide.findFieldByName("legacy").getMessageType();
    Message full =
        DynamicMessage.newBuilder(wide)
            .setField(wide.findFieldByName("seq"), 1L)
            .setField(wide.findFieldByName("s32"), -5)
            .setField(wide.findFieldByName("s64"), -8_000_000_000L)
            .setField(wide.findFieldByName("sf32"), -7)
            .setField(wide.findFieldByName("sf64"), -9_000_000_000L)
            .setField(wide.findFieldByName("f32"), -1) // 2^32 - 1
            .setField(wide.findFieldByName("f64"), -1L) // 2^64 - 1
            .setField(wide.findFieldByName("ratio"), 1.5f)
            .setField(wide.findFieldByName("score"), -2.25)
            .setField(wide.findFieldByName("raw"), ByteString.copyFrom(new byte[] {1, 2, 3}))
            .setField(
                wide.findFieldByName("took"),
                com.google.protobuf.Duration.newBuilder()
                    .setSeconds(-1)
                    .setNanos(-500_000_000)
                    .build())
            .setField(
                wide.findFieldByName("attrs"),
                Struct.newBuilder()
                    .putFields(
                        "b", list(Value.newBuilder().setBoolValue(true).build(), NULL, str("s")))
                    .putFields("a", Value.newBuilder().setNumberValue(1).build())
                    .build())
            .setField(wide.findFieldByName("value"), str("x"))
            .setField(
                wide.findFieldByName("list"),
                ListValue.newBuilder()
                    .addValues(Value.newBuilder().setNumberValue(1))
                    .addValues(str("two"))
                    .build())
            .setField(wide.findFieldByName("packed"), Any.pack(StringValue.of("hi")))
            .setField(wide.findFieldByName("marker"), Empty.getDefaultInstance())
            .setField(wide.findFieldByName("big"), UInt64Value.of(-1L))
            .setField(wide.findFieldByName("small"), UInt32Value.of(-1))
            .setField(wide.findFieldByName("count"), Int32Value.of(0))
            .setField(wide.findFieldByName("flag"), BoolValue.of(true))
            .setField(wide.findFieldByName("blob"), BytesValue.of(ByteString.copyFromUtf8("ab")))
            .setField(wide.findFieldByName("ratio_w"), FloatValue.of(0.5f))
            .setField(wide.findFieldByName("score_w"), DoubleValue.of(-0.25))
            .setField(wide.findFieldByName("note"), StringValue.of("héllo"))
            .setField(
                wide.findFieldByName("legacy"),
                DynamicMessage.newBuilder(legacy)
                    .setField(legacy.findFieldByName("code"), "c1")
                    .setField(legacy.findFieldByName("level"), 3)
                    .setField(legacy.findFieldByName("label"), "l")
                    .setField(
                        legacy.findFieldByName("tier"),
                        legacy.findEnumTypeByName("Tier").findValueByName("SILVER"))
                    .build())
            .setField(wide.findFieldByName("sku"), "a")
            .setField(wide.findFieldByName("SKU"), "A")
            .setField(wide.findFieldByName("nick"), "n")
            .build();
    Message sparse =
        DynamicMessage.newBuilder(wide)
            .setField(wide.findFieldByName("seq"), 2L)
            .setField(
                wide.findFieldByName("took"),
                com.google.protobuf.Duration.newBuilder().setNanos(-1500).build())
            .setField(
                wide.findFieldByName("legacy"),
                DynamicMessage.newBuilder(legacy)
                    .setField(legacy.findFieldByName("code"), "c2")
                    .build())
            .build();
    Message missingRequired =
        DynamicMessage.newBuilder(wide)
            .setField(wide.findFieldByName("seq"), 3L)
            .setField(
                wide.findFieldByName("legacy"), DynamicMessage.newBuilder(legacy).buildPartial())
            .buildPartial();
    ProtobufKafkaSerializer<Message> serializer = new ProtobufKafkaSerializer<>();
    serializer.configure(ConfluentAvroProducer.serializerConfig(registry), false);
    try {
      RawRecords.send(
          broker,
          topic,
          List.of(
              serializer.serialize(topic, full),
              serializer.serialize(topic, sparse),
              serializer.serialize(topic, missingRequired)));
    } finally {
      serializer.close();
    }
    FloeConfig config =
        TestConfigs.parse(
            dir,
            broker,
            registry,
            """
        tables:
          - topics: [proto-wide]
            table: finance.proto_wide
            commit: { interval: 500ms }
        """);

    Throwable failure = Pipelines.runUntil(config, Duration.ofSeconds(60), () -> false);

    assertThat(failure)
        .as("proto2 required field absent")
        .isInstanceOf(BadRecordException.class)
        .hasMessageContaining("topic 'proto-wide' partition 0 offset 2")
        .hasMessageContaining("code");
    assertThat(IcebergTables.load(config, "finance.proto_wide").schema().columns())
        .extracting(Types.NestedField::name)
        .containsExactly(
            "seq", "s32", "s64", "sf32", "sf64", "f32", "f64", "ratio", "score", "raw", "took",
            "attrs", "value", "list", "packed", "marker", "big", "small", "count", "flag", "blob",
            "ratio_w", "score_w", "note", "legacy", "sku", "SKU_2", "nick", "_kafka");
    List<Record> rows = IcebergTables.rows(config, "finance.proto_wide");
    rows.sort(Comparator.comparing(r -> (Long) r.getField("seq")));
    assertThat(rows).hasSize(2);
    Record first = rows.get(0);
    assertThat(first.getField("s32")).isEqualTo(-5);
    assertThat(first.getField("s64")).isEqualTo(-8_000_000_000L);
    assertThat(first.getField("sf32")).isEqualTo(-7);
    assertThat(first.getField("sf64")).isEqualTo(-9_000_000_000L);
    assertThat(first.getField("f32")).isEqualTo(4294967295L);
    assertThat(first.getField("f64")).isEqualTo(new BigDecimal("18446744073709551615"));
    assertThat(first.getField("ratio")).isEqualTo(1.5f);
    assertThat(first.getField("score")).isEqualTo(-2.25);
    assertThat(first.getField("raw")).isEqualTo(ByteBuffer.wrap(new byte[] {1, 2, 3}));
    assertThat(first.getField("took")).isEqualTo(-1_500_000L);
    assertThat(first.getField("attrs")).isEqualTo("{\"a\":1.0,\"b\":[true,null,\"s\"]}");
    assertThat(first.getField("value")).isEqualTo("\"x\"");
    assertThat(first.getField("list")).isEqualTo("[1.0,\"two\"]");
    assertThat(first.getField("packed"))
        .isEqualTo(
            "{\"@type\":\"type.googleapis.com/google.protobuf.StringValue\",\"value\":\"CgJoaQ==\"}");
    assertThat(first.getField("marker")).isEqualTo(true);
    assertThat(first.getField("big")).isEqualTo(new BigDecimal("18446744073709551615"));
    assertThat(first.getField("small")).isEqualTo(4294967295L);
    assertThat(first.getField("count")).as("present with the default").isEqualTo(0);
    assertThat(first.getField("flag")).isEqualTo(true);
    assertThat(first.getField("blob")).isEqualTo(ByteBuffer.wrap(new byte[] {'a', 'b'}));
    assertThat(first.getField("ratio_w")).isEqualTo(0.5f);
    assertThat(first.getField("score_w")).isEqualTo(-0.25);
    assertThat(first.getField("note")).isEqualTo("héllo");
    assertThat(fields((Record) first.getField("legacy"))).containsExactly("c1", 3, "l", "SILVER");
    assertThat(first.getField("sku")).isEqualTo("a");
    assertThat(first.getField("SKU_2")).isEqualTo("A");
    assertThat(first.getField("nick")).isEqualTo("n");

    Record second = rows.get(1); // absent: proto3 defaults, null wrappers and messages
    assertThat(fields(second).subList(1, 10))
        .containsExactly(0, 0L, 0, 0L, 0L, BigDecimal.ZERO, 0f, 0d, ByteBuffer.allocate(0));
    assertThat(second.getField("took")).as("truncated toward the past").isEqualTo(-2L);
    assertThat(fields(second).subList(11, 24)).containsOnlyNulls();
    assertThat(fields((Record) second.getField("legacy")))
        .as("proto2: absent optionals are null or their declared default")
        .containsExactly("c2", 7, null, "GOLD");
    assertThat(second.getField("sku")).isEqualTo("");
    assertThat(second.getField("nick")).as("proto3 optional").isNull();
  }

  @Test
  void aRecursiveMessageStopsThePipelineNamingTheMessage() throws Exception {
    String topic = "proto-tree";
    broker.createTopic(topic, 1);
    Descriptor node =
        FileDescriptor.buildFrom(
                FileDescriptorProto.newBuilder()
                    .setName("tree.proto")
                    .setPackage("tree")
                    .setSyntax("proto3")
                    .addMessageType(
                        DescriptorProto.newBuilder()
                            .setName("Node")
                            .addField(field("name", 1, Type.TYPE_STRING, null))
                            .addField(
                                field("children", 2, Type.TYPE_MESSAGE, ".tree.Node")
                                    .setLabel(Label.LABEL_REPEATED)))
                    .build(),
                new FileDescriptor[0])
            .findMessageTypeByName("Node");
    ProtobufKafkaSerializer<Message> serializer = new ProtobufKafkaSerializer<>();
    serializer.configure(ConfluentAvroProducer.serializerConfig(registry), false);
    try {
      Message leaf =
          DynamicMessage.newBuilder(node).setField(node.findFieldByName("name"), "leaf").build();
      RawRecords.send(broker, topic, List.of(serializer.serialize(topic, leaf)));
    } finally {
      serializer.close();
    }
    FloeConfig config =
        TestConfigs.parse(
            dir,
            broker,
            registry,
            """
        tables:
          - topics: [proto-tree]
            table: finance.proto_tree
            commit: { interval: 500ms }
        """);

    assertThat(Pipelines.runUntil(config, Duration.ofSeconds(60), () -> false))
        .hasMessageContaining("topic 'proto-tree' partition 0 offset 0")
        .hasMessageContaining("cannot become a table schema")
        .hasMessageContaining("message tree.Node contains itself")
        .hasMessageContaining("Fix: change the schema or route the topic elsewhere");
    assertThat(IcebergTables.rowCount(config, "finance.proto_tree")).isZero();
  }

  private static List<Object> fields(Record r) {
    List<Object> values = new java.util.ArrayList<>();
    for (int i = 0; i < r.size(); i++) {
      values.add(r.get(i, Object.class));
    }
    return values;
  }

  private static final Value NULL = Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();

  private static Value str(String s) {
    return Value.newBuilder().setStringValue(s).build();
  }

  private static Value list(Value... values) {
    return Value.newBuilder()
        .setListValue(ListValue.newBuilder().addAllValues(List.of(values)))
        .build();
  }

  /** wide.proto (proto3) imports it/legacy.proto (proto2) and the well-known types. */
  private static FileDescriptor wideFile() throws Exception {
    FileDescriptorProto legacyProto =
        FileDescriptorProto.newBuilder()
            .setName("it/legacy.proto")
            .setPackage("it.legacy")
            .setSyntax("proto2")
            .addMessageType(
                DescriptorProto.newBuilder()
                    .setName("Legacy")
                    .addEnumType(
                        EnumDescriptorProto.newBuilder()
                            .setName("Tier")
                            .addValue(
                                EnumValueDescriptorProto.newBuilder()
                                    .setName("SILVER")
                                    .setNumber(0))
                            .addValue(
                                EnumValueDescriptorProto.newBuilder().setName("GOLD").setNumber(1)))
                    .addField(
                        field("code", 1, Type.TYPE_STRING, null).setLabel(Label.LABEL_REQUIRED))
                    .addField(field("level", 2, Type.TYPE_INT32, null).setDefaultValue("7"))
                    .addField(field("label", 3, Type.TYPE_STRING, null))
                    .addField(
                        field("tier", 4, Type.TYPE_ENUM, ".it.legacy.Legacy.Tier")
                            .setDefaultValue("GOLD")))
            .build();
    FileDescriptor legacy = FileDescriptor.buildFrom(legacyProto, new FileDescriptor[0]);
    DescriptorProto.Builder wide =
        DescriptorProto.newBuilder()
            .setName("Wide")
            .addField(field("seq", 1, Type.TYPE_INT64, null))
            .addField(field("s32", 2, Type.TYPE_SINT32, null))
            .addField(field("s64", 3, Type.TYPE_SINT64, null))
            .addField(field("sf32", 4, Type.TYPE_SFIXED32, null))
            .addField(field("sf64", 5, Type.TYPE_SFIXED64, null))
            .addField(field("f32", 6, Type.TYPE_FIXED32, null))
            .addField(field("f64", 7, Type.TYPE_FIXED64, null))
            .addField(field("ratio", 8, Type.TYPE_FLOAT, null))
            .addField(field("score", 9, Type.TYPE_DOUBLE, null))
            .addField(field("raw", 10, Type.TYPE_BYTES, null))
            .addField(field("took", 11, Type.TYPE_MESSAGE, ".google.protobuf.Duration"))
            .addField(field("attrs", 12, Type.TYPE_MESSAGE, ".google.protobuf.Struct"))
            .addField(field("value", 13, Type.TYPE_MESSAGE, ".google.protobuf.Value"))
            .addField(field("list", 14, Type.TYPE_MESSAGE, ".google.protobuf.ListValue"))
            .addField(field("packed", 15, Type.TYPE_MESSAGE, ".google.protobuf.Any"))
            .addField(field("marker", 16, Type.TYPE_MESSAGE, ".google.protobuf.Empty"))
            .addField(field("big", 17, Type.TYPE_MESSAGE, ".google.protobuf.UInt64Value"))
            .addField(field("small", 18, Type.TYPE_MESSAGE, ".google.protobuf.UInt32Value"))
            .addField(field("count", 19, Type.TYPE_MESSAGE, ".google.protobuf.Int32Value"))
            .addField(field("flag", 20, Type.TYPE_MESSAGE, ".google.protobuf.BoolValue"))
            .addField(field("blob", 21, Type.TYPE_MESSAGE, ".google.protobuf.BytesValue"))
            .addField(field("ratio_w", 22, Type.TYPE_MESSAGE, ".google.protobuf.FloatValue"))
            .addField(field("score_w", 23, Type.TYPE_MESSAGE, ".google.protobuf.DoubleValue"))
            .addField(field("note", 24, Type.TYPE_MESSAGE, ".google.protobuf.StringValue"))
            .addField(field("legacy", 25, Type.TYPE_MESSAGE, ".it.legacy.Legacy"))
            .addField(field("sku", 26, Type.TYPE_STRING, null))
            .addField(field("SKU", 27, Type.TYPE_STRING, null))
            .addField(
                field("nick", 28, Type.TYPE_STRING, null).setOneofIndex(0).setProto3Optional(true))
            .addOneofDecl(OneofDescriptorProto.newBuilder().setName("_nick"));
    FileDescriptorProto wideProto =
        FileDescriptorProto.newBuilder()
            .setName("it/wide.proto")
            .setPackage("it.wide")
            .setSyntax("proto3")
            .addDependency("it/legacy.proto")
            .addDependency("google/protobuf/duration.proto")
            .addDependency("google/protobuf/struct.proto")
            .addDependency("google/protobuf/any.proto")
            .addDependency("google/protobuf/empty.proto")
            .addDependency("google/protobuf/wrappers.proto")
            .addMessageType(wide)
            .build();
    return FileDescriptor.buildFrom(
        wideProto,
        new FileDescriptor[] {
          legacy,
          DurationProto.getDescriptor(),
          StructProto.getDescriptor(),
          AnyProto.getDescriptor(),
          EmptyProto.getDescriptor(),
          WrappersProto.getDescriptor()
        });
  }

  private static FieldDescriptorProto.Builder field(
      String name, int number, Type type, String typeName) {
    FieldDescriptorProto.Builder f =
        FieldDescriptorProto.newBuilder()
            .setName(name)
            .setNumber(number)
            .setType(type)
            .setLabel(Label.LABEL_OPTIONAL);
    return typeName == null ? f : f.setTypeName(typeName);
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
}
