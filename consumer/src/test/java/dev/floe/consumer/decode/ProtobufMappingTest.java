package dev.floe.consumer.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Duration;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Int32Value;
import com.google.protobuf.ListValue;
import com.google.protobuf.Message;
import com.google.protobuf.StringValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.UInt64Value;
import com.google.protobuf.Value;
import dev.floe.consumer.registry.RegisteredSchema;
import dev.floe.core.row.Field;
import dev.floe.core.row.Row;
import dev.floe.core.row.Type;
import io.apicurio.registry.utils.protobuf.schema.FileDescriptorUtils;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Every Protobuf mapping rule, with payloads encoded by protobuf-java's DynamicMessage (an encoder
 * independent of Floe's reader) behind hand-written Confluent message indexes.
 */
class ProtobufMappingTest {
  static final String PROTO3 =
      """
      syntax = "proto3";
      package test;
      import "google/protobuf/timestamp.proto";
      import "google/protobuf/duration.proto";
      import "google/protobuf/wrappers.proto";
      import "google/protobuf/struct.proto";
      import "google/protobuf/any.proto";
      import "google/protobuf/empty.proto";

      message Everything {
        enum Color { RED = 0; GREEN = 1; BLUE = 2; }
        message Inner { int32 x = 1; repeated string tags = 2; }
        int32 i32 = 1;
        sint32 s32 = 2;
        sfixed32 sf32 = 3;
        int64 i64 = 4;
        sint64 s64 = 5;
        sfixed64 sf64 = 6;
        uint32 u32 = 7;
        fixed32 f32 = 8;
        uint64 u64 = 9;
        fixed64 f64 = 10;
        bool b = 11;
        float f = 12;
        double d = 13;
        // a documented string
        string s = 14;
        bytes by = 15;
        Color color = 16;
        Inner inner = 17;
        repeated int32 nums = 18;
        repeated string tags = 19;
        map<string, int64> counts = 20;
        map<int32, Inner> by_id = 21;
        optional string opt = 22;
        oneof choice {
          string name = 23;
          int64 number = 24;
          Inner nested = 25;
        }
        google.protobuf.Timestamp ts = 26;
        google.protobuf.Duration dur = 27;
        google.protobuf.Int32Value w_i32 = 28;
        google.protobuf.StringValue w_s = 29;
        google.protobuf.UInt64Value w_u64 = 30;
        google.protobuf.Struct st = 31;
        google.protobuf.Value val = 32;
        google.protobuf.ListValue lv = 33;
        google.protobuf.Any any = 34;
        google.protobuf.Empty empty = 35;
        repeated Inner inners = 36;
      }

      message Second {
        message Deep { int32 z = 1; }
        string a = 1;
      }
      """;

  static final Descriptor EVERYTHING = descriptor(PROTO3, "Everything");
  final PayloadDecoder decoder = compile(PROTO3, null);

  @Test
  void mapsEveryRuleToItsRowType() throws IOException {
    Type.Struct type = decode(decoder, new int[] {0}, new byte[0]).type();
    Type.Struct inner =
        new Type.Struct(
            List.of(
                new Field("x", Type.Primitive.INT, false, null, 1),
                new Field(
                    "tags", new Type.ListType(Type.Primitive.STRING, false), false, null, 2)));
    Type dec20 = new Type.Decimal(20, 0);
    assertThat(type.fields())
        .containsExactly(
            new Field("i32", Type.Primitive.INT, false, null, 1),
            new Field("s32", Type.Primitive.INT, false, null, 2),
            new Field("sf32", Type.Primitive.INT, false, null, 3),
            new Field("i64", Type.Primitive.LONG, false, null, 4),
            new Field("s64", Type.Primitive.LONG, false, null, 5),
            new Field("sf64", Type.Primitive.LONG, false, null, 6),
            new Field("u32", Type.Primitive.LONG, false, null, 7),
            new Field("f32", Type.Primitive.LONG, false, null, 8),
            new Field("u64", dec20, false, null, 9),
            new Field("f64", dec20, false, null, 10),
            new Field("b", Type.Primitive.BOOLEAN, false, null, 11),
            new Field("f", Type.Primitive.FLOAT, false, null, 12),
            new Field("d", Type.Primitive.DOUBLE, false, null, 13),
            new Field("s", Type.Primitive.STRING, false, "a documented string", 14),
            new Field("by", Type.Primitive.BINARY, false, null, 15),
            new Field("color", Type.Primitive.STRING, false, null, 16),
            new Field("inner", inner, true, null, 17),
            new Field("nums", new Type.ListType(Type.Primitive.INT, false), false, null, 18),
            new Field("tags", new Type.ListType(Type.Primitive.STRING, false), false, null, 19),
            new Field(
                "counts",
                new Type.MapType(Type.Primitive.STRING, Type.Primitive.LONG, false),
                false,
                null,
                20),
            new Field("by_id", new Type.MapType(Type.Primitive.INT, inner, false), false, null, 21),
            new Field("opt", Type.Primitive.STRING, true, null, 22),
            new Field(
                "choice",
                new Type.Struct(
                    List.of(
                        new Field("name", Type.Primitive.STRING, true, null, 23),
                        new Field("number", Type.Primitive.LONG, true, null, 24),
                        new Field("nested", inner, true, null, 25))),
                true,
                null,
                0),
            new Field("ts", Type.Primitive.TIMESTAMPTZ, true, null, 26),
            new Field("dur", Type.Primitive.LONG, true, null, 27),
            new Field("w_i32", Type.Primitive.INT, true, null, 28),
            new Field("w_s", Type.Primitive.STRING, true, null, 29),
            new Field("w_u64", dec20, true, null, 30),
            new Field("st", Type.Primitive.STRING, true, null, 31),
            new Field("val", Type.Primitive.STRING, true, null, 32),
            new Field("lv", Type.Primitive.STRING, true, null, 33),
            new Field("any", Type.Primitive.STRING, true, null, 34),
            new Field("empty", Type.Primitive.BOOLEAN, true, null, 35),
            new Field("inners", new Type.ListType(inner, false), false, null, 36));
  }

  @Test
  void decodesEveryValueExactly() throws IOException {
    Message m = everything();

    Object[] v = decode(decoder, new int[] {0}, m.toByteArray()).values();

    Row inner7 = Row.wrap(7, List.of("a", "b"));
    assertThat(v)
        .containsExactly(
            -5,
            -6,
            -7,
            -8_000_000_000L,
            -9_000_000_000L,
            -10L,
            4_294_967_295L, // uint32 max, unsigned
            4_000_000_000L,
            new BigDecimal("18446744073709551615"), // uint64 max, exact
            new BigDecimal("9223372036854775808"),
            true,
            1.5f,
            -2.25d,
            "héllo",
            ByteBuffer.wrap(new byte[] {1, 2, 3}),
            "GREEN",
            inner7,
            List.of(1, -2, 300),
            List.of("x", "y"),
            Map.of("a", 1L, "b", 2L),
            Map.of(3, Row.wrap(0, List.of()), -4, inner7),
            "present",
            Row.wrap(null, 42L, null),
            1_700_000_000_123_456L,
            -1_500_000L,
            0, // a set wrapper holding the default is 0, not null
            "wrapped",
            new BigDecimal("18446744073709551615"),
            "{\"a\":1.0,\"b\":[true,null,\"s\"]}",
            "\"v\"",
            "[1.5,{}]",
            "{\"@type\":\"type.googleapis.com/google.protobuf.StringValue\",\"value\":\"CgJoaQ==\"}",
            true,
            List.of(inner7, Row.wrap(0, List.of())));
  }

  @Test
  void absentProto3ScalarsGetTheirDefaultsAndMessagesAreNull() throws IOException {
    Object[] v = decode(decoder, new int[] {0}, new byte[0]).values();

    assertThat(v)
        .containsExactly(
            0,
            0,
            0,
            0L,
            0L,
            0L,
            0L,
            0L,
            BigDecimal.ZERO,
            BigDecimal.ZERO,
            false,
            0f,
            0d,
            "",
            ByteBuffer.allocate(0),
            "RED",
            null,
            List.of(),
            List.of(),
            Map.of(),
            Map.of(),
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            List.of());
  }

  @Test
  void oneofKeepsOnlyTheMemberSetLast() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.writeString(23, "first");
    out.writeInt64(24, 9L);
    out.writeString(23, "last");
    out.flush();

    Object[] v = decode(decoder, new int[] {0}, bytes.toByteArray()).values();

    assertThat(v[22]).isEqualTo(Row.wrap("last", null, null));
  }

  @Test
  void readsPackedAndUnpackedRepeatedFieldsAndTheLastValueOfOthers() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.writeInt32(18, 1); // unpacked
    out.writeTag(18, 2); // packed: 2, 3
    out.writeUInt32NoTag(2);
    out.writeInt32NoTag(2);
    out.writeInt32NoTag(3);
    out.writeInt32(18, 4);
    out.writeInt32(1, 10);
    out.writeInt32(1, 11);
    out.flush();

    Object[] v = decode(decoder, new int[] {0}, bytes.toByteArray()).values();

    assertThat(v[17]).isEqualTo(List.of(1, 2, 3, 4));
    assertThat(v[0]).isEqualTo(11);
  }

  @Test
  void skipsFieldsOfANewerSchema() throws IOException {
    String newer =
        PROTO3.replace(
            "repeated Inner inners = 36;",
            "repeated Inner inners = 36;\n"
                + "  string added = 99; Inner added_msg = 1000; fixed64 added_fixed = 5000;");
    Descriptor d = descriptor(newer, "Everything");
    Message m =
        DynamicMessage.newBuilder(d)
            .setField(d.findFieldByName("added"), "new")
            .setField(d.findFieldByName("added_fixed"), 5L)
            .setField(
                d.findFieldByName("added_msg"),
                DynamicMessage.newBuilder(d.findFieldByName("added_msg").getMessageType())
                    .setField(
                        d.findFieldByName("added_msg").getMessageType().findFieldByName("x"), 1)
                    .build())
            .setField(d.findFieldByName("s"), "kept")
            .build();

    Object[] v = decode(decoder, new int[] {0}, m.toByteArray()).values();

    assertThat(v).hasSize(34);
    assertThat(v[13]).isEqualTo("kept");
  }

  @Test
  void unknownEnumNumberBecomesItsDecimalString() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.writeEnum(16, 7);
    out.flush();

    assertThat(decode(decoder, new int[] {0}, bytes.toByteArray()).values()[15]).isEqualTo("7");
  }

  @Test
  void messageIndexesPickTheMessageTypeAndEachPathCompilesOnce() throws IOException {
    Descriptor second = descriptor(PROTO3, "Second");
    Descriptor deep = second.getNestedTypes().get(0);
    byte[] a =
        DynamicMessage.newBuilder(second)
            .setField(second.findFieldByName("a"), "A")
            .build()
            .toByteArray();
    byte[] z =
        DynamicMessage.newBuilder(deep)
            .setField(deep.findFieldByName("z"), 5)
            .build()
            .toByteArray();

    PayloadDecoder.Decoded s = decode(decoder, new int[] {1}, a);
    PayloadDecoder.Decoded d = decode(decoder, new int[] {1, 0}, z);

    assertThat(s.values()).containsExactly("A");
    assertThat(d.values()).containsExactly(5);
    assertThat(decode(decoder, new int[] {1}, a).type()).isSameAs(s.type());
    // [0] written in full (count 1, index 0) and in the short form (a single 0) is one type
    byte[] longForm = {2, 0};
    assertThat(decoder.decode(longForm, 0).type())
        .isSameAs(decode(decoder, new int[] {0}, new byte[0]).type());
  }

  @Test
  void anIndexPathThatNamesNoMessageFails() {
    assertThatThrownBy(() -> decode(decoder, new int[] {2}, new byte[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[2]");
    assertThatThrownBy(() -> decode(decoder, new int[] {0, 5}, new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aTruncatedPayloadFails() {
    byte[] full = everything().toByteArray();
    byte[] cut = java.util.Arrays.copyOf(full, 40);

    assertThatThrownBy(() -> decode(decoder, new int[] {0}, cut)).isInstanceOf(IOException.class);
  }

  @Test
  void timestampNanosAreTruncatedTowardThePast() throws IOException {
    Message m =
        DynamicMessage.newBuilder(EVERYTHING)
            .setField(
                EVERYTHING.findFieldByName("ts"),
                wellKnown(
                    "ts", Timestamp.newBuilder().setSeconds(-1).setNanos(999_999_999).build()))
            .build();

    assertThat(decode(decoder, new int[] {0}, m.toByteArray()).values()[23]).isEqualTo(-1L);
  }

  @Test
  void proto2HasOptionalRequiredAndDeclaredDefaults() throws IOException {
    String proto2 =
        """
        syntax = "proto2";
        message Old {
          required int32 id = 1;
          optional string name = 2;
          optional int32 level = 3 [default = 5];
          optional Kind kind = 4 [default = B];
          enum Kind { A = 1; B = 2; }
        }
        """;
    PayloadDecoder old = compile(proto2, null);
    Descriptor d = descriptor(proto2, "Old");
    byte[] idOnly =
        DynamicMessage.newBuilder(d).setField(d.findFieldByName("id"), 1).build().toByteArray();

    PayloadDecoder.Decoded decoded = decode(old, new int[] {0}, idOnly);

    assertThat(decoded.type().fields())
        .extracting(Field::optional)
        .containsExactly(false, true, true, true);
    assertThat(decoded.values()).containsExactly(1, null, 5, "B");
    assertThatThrownBy(() -> decode(old, new int[] {0}, new byte[0]))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("required field 'id' of Old");
  }

  @Test
  void proto2DefaultsInHexAndOctalAreReadAsProtocReadsThem() throws IOException {
    String proto2 =
        """
        syntax = "proto2";
        message Old {
          optional int64 mask = 1 [default = 0x10];
          optional int32 mode = 2 [default = -010];
          optional uint64 all = 3 [default = 0xFFFFFFFFFFFFFFFF];
          optional sint64 big = 4 [default = -0X7FFFFFFFFFFFFFFF];
          optional fixed32 word = 5 [default = 0xFFFFFFFF];
          optional int64 plain = 6 [default = -9223372036854775808];
        }
        """;

    PayloadDecoder.Decoded decoded = decode(compile(proto2, null), new int[] {0}, new byte[0]);

    assertThat(decoded.values())
        .containsExactly(
            16L,
            -8,
            new java.math.BigDecimal("18446744073709551615"),
            -Long.MAX_VALUE,
            4294967295L,
            Long.MIN_VALUE);
  }

  @Test
  void optionsReservedNumbersAndCustomOptionsDoNotMatter() throws IOException {
    String withOptions =
        """
        syntax = "proto3";
        package opts;
        import "google/protobuf/descriptor.proto";
        option java_package = "com.example.opts";
        option java_multiple_files = true;
        extend google.protobuf.FieldOptions { string pii = 50001; }
        message Person {
          reserved 2, 15 to 20;
          reserved "old";
          string name = 1 [(pii) = "name", deprecated = true];
          int32 age = 3 [json_name = "years"];
        }
        """;
    PayloadDecoder d = compile(withOptions, null);
    // Apicurio's descriptor builder rejects the custom option, so this payload is written by hand
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.writeString(1, "Ada");
    out.writeInt32(3, 36);
    out.flush();
    byte[] m = bytes.toByteArray();

    assertThat(decode(d, new int[] {0}, m).values()).containsExactly("Ada", 36);
  }

  @Test
  void recursiveMessagesAreRejectedNamingTheMessage() {
    String recursive =
        """
        syntax = "proto3";
        package tree;
        message Node { string label = 1; repeated Node children = 2; }
        """;
    PayloadDecoder d = compile(recursive, null);

    assertThatThrownBy(() -> decode(d, new int[] {0}, new byte[0]))
        .as("the schema's fault, not the payload's")
        .isInstanceOf(UnmappableSchemaException.class)
        .hasMessageContaining("tree.Node contains itself");
  }

  @Test
  void leavesTheMetadataColumnSlotFree() throws IOException {
    PayloadDecoder withMetadata = compile(PROTO3, "_kafka");

    PayloadDecoder.Decoded d = decode(withMetadata, new int[] {1}, new byte[0]);

    assertThat(d.type().fields()).extracting(Field::name).containsExactly("a", "_kafka");
    assertThat(d.values()).containsExactly("", null);
  }

  @Test
  void anInvalidSchemaFailsAtCompileNamingTheProblem() {
    assertThatThrownBy(() -> compile("syntax = \"proto3\"; message X { Missing m = 1; }", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Missing");
  }

  // --- fixtures

  static Message everything() {
    Descriptor inner = EVERYTHING.findFieldByName("inner").getMessageType();
    Message inner7 =
        DynamicMessage.newBuilder(inner)
            .setField(inner.findFieldByName("x"), 7)
            .addRepeatedField(inner.findFieldByName("tags"), "a")
            .addRepeatedField(inner.findFieldByName("tags"), "b")
            .build();
    DynamicMessage.Builder b = DynamicMessage.newBuilder(EVERYTHING);
    set(b, "i32", -5);
    set(b, "s32", -6);
    set(b, "sf32", -7);
    set(b, "i64", -8_000_000_000L);
    set(b, "s64", -9_000_000_000L);
    set(b, "sf64", -10L);
    set(b, "u32", -1); // 2^32 - 1
    set(b, "f32", (int) 4_000_000_000L);
    set(b, "u64", -1L); // 2^64 - 1
    set(b, "f64", Long.MIN_VALUE); // 2^63
    set(b, "b", true);
    set(b, "f", 1.5f);
    set(b, "d", -2.25d);
    set(b, "s", "héllo");
    set(b, "by", ByteString.copyFrom(new byte[] {1, 2, 3}));
    set(b, "color", EVERYTHING.findFieldByName("color").getEnumType().findValueByName("GREEN"));
    set(b, "inner", inner7);
    for (int n : new int[] {1, -2, 300}) {
      b.addRepeatedField(EVERYTHING.findFieldByName("nums"), n);
    }
    b.addRepeatedField(EVERYTHING.findFieldByName("tags"), "x");
    b.addRepeatedField(EVERYTHING.findFieldByName("tags"), "y");
    entry(b, "counts", "a", 1L);
    entry(b, "counts", "b", 2L);
    entry(b, "by_id", 3, null); // an entry without value: the message's defaults
    entry(b, "by_id", -4, inner7);
    set(b, "opt", "present");
    set(b, "number", 42L);
    set(
        b,
        "ts",
        wellKnown(
            "ts", Timestamp.newBuilder().setSeconds(1_700_000_000L).setNanos(123_456_789).build()));
    set(
        b,
        "dur",
        wellKnown("dur", Duration.newBuilder().setSeconds(-1).setNanos(-500_000_000).build()));
    set(b, "w_i32", wellKnown("w_i32", Int32Value.of(0)));
    set(b, "w_s", wellKnown("w_s", StringValue.of("wrapped")));
    set(b, "w_u64", wellKnown("w_u64", UInt64Value.of(-1L)));
    Value list =
        Value.newBuilder()
            .setListValue(
                ListValue.newBuilder()
                    .addValues(Value.newBuilder().setBoolValue(true))
                    .addValues(Value.newBuilder().setNullValueValue(0))
                    .addValues(Value.newBuilder().setStringValue("s")))
            .build();
    set(
        b,
        "st",
        wellKnown(
            "st",
            Struct.newBuilder()
                .putFields("b", list)
                .putFields("a", Value.newBuilder().setNumberValue(1).build())
                .build()));
    set(b, "val", wellKnown("val", Value.newBuilder().setStringValue("v").build()));
    set(
        b,
        "lv",
        wellKnown(
            "lv",
            ListValue.newBuilder()
                .addValues(Value.newBuilder().setNumberValue(1.5))
                .addValues(Value.newBuilder().setStructValue(Struct.getDefaultInstance()))
                .build()));
    set(b, "any", wellKnown("any", Any.pack(StringValue.of("hi"))));
    set(b, "empty", wellKnown("empty", com.google.protobuf.Empty.getDefaultInstance()));
    b.addRepeatedField(EVERYTHING.findFieldByName("inners"), inner7);
    b.addRepeatedField(
        EVERYTHING.findFieldByName("inners"), DynamicMessage.getDefaultInstance(inner));
    return b.build();
  }

  private static void set(DynamicMessage.Builder b, String field, Object value) {
    b.setField(EVERYTHING.findFieldByName(field), value);
  }

  private static void entry(DynamicMessage.Builder b, String field, Object key, Object value) {
    FieldDescriptor fd = EVERYTHING.findFieldByName(field);
    Descriptor entry = fd.getMessageType();
    DynamicMessage.Builder e =
        DynamicMessage.newBuilder(entry).setField(entry.findFieldByName("key"), key);
    if (value != null) {
      e.setField(entry.findFieldByName("value"), value);
    }
    b.addRepeatedField(fd, e.build());
  }

  /** A generated well-known message re-read against the schema's own descriptor of its type. */
  static Message wellKnown(String field, Message m) {
    try {
      return DynamicMessage.parseFrom(
          EVERYTHING.findFieldByName(field).getMessageType(), m.toByteString());
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  static Descriptor descriptor(String proto, String message) {
    try {
      FileDescriptor file =
          FileDescriptorUtils.protoFileToFileDescriptor(proto, "x.proto", packageOf(proto));
      return file.findMessageTypeByName(message);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Apicurio's parser wants the package to place the file in its directory. */
  static Optional<String> packageOf(String proto) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("package ([\\w.]+);").matcher(proto);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  static PayloadDecoder compile(String proto, String metadataColumn) {
    return new ProtobufFormat()
        .compile(new RegisteredSchema(1, "PROTOBUF", proto), null, metadataColumn);
  }

  /** Confluent message indexes ([0] in its one-byte form) followed by the message. */
  static byte[] frame(int[] path, byte[] message) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    if (path.length == 1 && path[0] == 0) {
      out.writeSInt32NoTag(0);
    } else {
      out.writeSInt32NoTag(path.length);
      for (int i : path) {
        out.writeSInt32NoTag(i);
      }
    }
    out.writeRawBytes(message);
    out.flush();
    return bytes.toByteArray();
  }

  static PayloadDecoder.Decoded decode(PayloadDecoder d, int[] path, byte[] message)
      throws IOException {
    return d.decode(frame(path, message), 0);
  }
}
