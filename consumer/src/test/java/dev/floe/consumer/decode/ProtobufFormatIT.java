package dev.floe.consumer.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumValueDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Label;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import com.google.protobuf.StringValue;
import com.google.protobuf.Timestamp;
import com.google.protobuf.TimestampProto;
import com.google.protobuf.WrappersProto;
import dev.floe.consumer.registry.SchemaRegistryClient;
import dev.floe.core.BadRecordException;
import dev.floe.core.config.RegistrySettings;
import dev.floe.core.row.Field;
import dev.floe.core.row.Row;
import dev.floe.testsupport.ConfluentAvroProducer;
import dev.floe.testsupport.SchemaRegistry;
import dev.floe.testsupport.SharedServices;
import io.apicurio.registry.serde.protobuf.ProtobufKafkaSerializer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Protobuf records against the real Apicurio registry: a schema that imports another registered
 * subject and well-known types, framed the Confluent way (message indexes) and by Apicurio's own
 * serializer, decoded through {@link RecordDecoder}.
 */
class ProtobufFormatIT {
  static final String MONEY_PROTO =
      """
      syntax = "proto3";
      package common;

      message Money {
        string currency = 1;
        sint64 units = 2;
      }
      """;

  static final String ORDER_PROTO =
      """
      syntax = "proto3";
      package shop;

      import "common/money.proto";
      import "google/protobuf/timestamp.proto";
      import "google/protobuf/wrappers.proto";

      message Order {
        enum Status {
          NEW = 0;
          PAID = 1;
        }
        message Line {
          string sku = 1;
          int32 qty = 2;
        }
        string id = 1;
        common.Money total = 2;
        google.protobuf.Timestamp placed_at = 3;
        repeated string items = 4;
        Status status = 5;
        google.protobuf.StringValue note = 6;
        uint64 big = 7;
        repeated Line lines = 8;
      }

      message Refund {
        string order_id = 1;
      }
      """;

  static SchemaRegistry registry;
  static RecordDecoder decoder;
  static FileDescriptor orderFile;
  static Descriptor order;

  @BeforeAll
  static void setUp() throws Exception {
    registry = SharedServices.registry();
    decoder =
        new RecordDecoder(
            new SchemaRegistryClient(
                new RegistrySettings(
                    registry.url(),
                    null,
                    null,
                    null,
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(30))));
    FileDescriptor money = FileDescriptor.buildFrom(moneyFile(), new FileDescriptor[0]);
    orderFile =
        FileDescriptor.buildFrom(
            orderFile(),
            new FileDescriptor[] {
              money, TimestampProto.getDescriptor(), WrappersProto.getDescriptor()
            });
    order = orderFile.findMessageTypeByName("Order");
  }

  @Test
  void decodesConfluentFramedRecordsOfASchemaWithImportsExactly() throws Exception {
    int id = registerOrderWithReference();

    DecodedRecord r = decode(confluent(id, new int[] {0}, sampleOrder().toByteArray()));

    assertThat(r.schemaId()).isEqualTo(id);
    assertThat(r.schema().fields())
        .extracting(Field::name)
        .containsExactly(
            "id", "total", "placed_at", "items", "status", "note", "big", "lines", "_kafka");
    assertSample(r.row());
  }

  @Test
  void messageIndexesSelectLaterAndNestedMessages() throws Exception {
    int id = registerOrderWithReference();
    Descriptor refund = orderFile.findMessageTypeByName("Refund");
    Descriptor line = order.findNestedTypeByName("Line");
    byte[] refundBytes =
        DynamicMessage.newBuilder(refund)
            .setField(refund.findFieldByName("order_id"), "o-1")
            .build()
            .toByteArray();
    byte[] lineBytes =
        DynamicMessage.newBuilder(line)
            .setField(line.findFieldByName("qty"), 3)
            .build()
            .toByteArray();

    assertThat(values(decode(confluent(id, new int[] {1}, refundBytes)).row())).startsWith("o-1");
    assertThat(values(decode(confluent(id, new int[] {0, 0}, lineBytes)).row())).startsWith("", 3);
  }

  @Test
  void decodesWhatApicuriosOwnProtobufSerializerWrites() {
    ProtobufKafkaSerializer<Message> serializer = new ProtobufKafkaSerializer<>();
    serializer.configure(ConfluentAvroProducer.serializerConfig(registry), false);
    byte[] bytes;
    try {
      bytes = serializer.serialize("apicurio-orders", sampleOrder());
    } finally {
      serializer.close();
    }

    // Apicurio 2.6 frames Protobuf with a Ref{name} message where Confluent writes indexes
    assertThat(bytes[0]).isZero();
    assertThat(Arrays.copyOfRange(bytes, 5, 8)).containsExactly(7, 0x0A, 5);
    assertThat(new String(bytes, 8, 5)).isEqualTo("Order");

    assertSample(decode(bytes).row());
  }

  @Test
  void aTruncatedPayloadIsABadRecord() throws Exception {
    int id = registerOrderWithReference();
    byte[] full = confluent(id, new int[] {0}, sampleOrder().toByteArray());

    assertThatThrownBy(() -> decode(Arrays.copyOf(full, full.length - 3)))
        .isInstanceOf(BadRecordException.class)
        .hasMessageContaining("does not match its schema id " + id);
  }

  @Test
  void anIndexPathThatNamesNoMessageIsABadRecord() throws Exception {
    int id = registerOrderWithReference();

    assertThatThrownBy(() -> decode(confluent(id, new int[] {5}, new byte[0])))
        .isInstanceOf(BadRecordException.class)
        .hasMessageContaining("[5]");
  }

  @Test
  void aTimestampBeyondWhatTablesHoldIsABadRecordNamingTheField() throws Exception {
    int id = registerOrderWithReference();
    Message order =
        sampleOrder().toBuilder()
            .setField(
                ProtobufFormatIT.order.findFieldByName("placed_at"),
                Timestamp.newBuilder().setSeconds(Long.MAX_VALUE / 100).build())
            .build();

    assertThatThrownBy(() -> decode(confluent(id, new int[] {0}, order.toByteArray())))
        .isInstanceOf(BadRecordException.class)
        .hasMessageContaining("partition 0 offset")
        .hasMessageContaining("placed_at: " + Long.MAX_VALUE / 100 + " seconds")
        .hasMessageContaining("out of range: tables hold timestamps as 64-bit microseconds");
  }

  @Test
  void aBadValueInsideANestedMessageNamesItsPath() throws Exception {
    int id = registerOrderWithReference();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.writeTag(2, 2); // total: Money, length-delimited
    out.writeUInt32NoTag(4);
    out.writeTag(1, 2); // currency: a string of 10 bytes, but only 2 follow
    out.writeUInt32NoTag(10);
    out.writeRawBytes(new byte[] {'E', 'U'});
    out.flush();

    assertThatThrownBy(() -> decode(confluent(id, new int[] {0}, bytes.toByteArray())))
        .isInstanceOf(BadRecordException.class)
        .hasMessageContaining("total.currency: ");
  }

  @Test
  void aRecursiveMessageIsASchemaErrorNotAPayloadError() throws Exception {
    int id =
        registry.register(
            "tree-" + System.nanoTime() + "-value",
            "PROTOBUF",
            "syntax = \"proto3\"; package tree; message Node { string name = 1; repeated Node children = 2; }");

    assertThatThrownBy(() -> decode(confluent(id, new int[] {0}, new byte[0])))
        .isInstanceOf(BadRecordException.class)
        .hasMessageContaining("schema id " + id + " cannot become a table schema")
        .hasMessageContaining("tree.Node contains itself")
        .hasMessageNotContaining("does not match");
  }

  @Test
  void anUnknownEnumNumberBecomesItsDecimalString() throws Exception {
    int id = registerOrderWithReference();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.writeEnum(5, 7);
    out.flush();

    Row row = decode(confluent(id, new int[] {0}, bytes.toByteArray())).row();

    assertThat(row.get(4)).isEqualTo("7");
  }

  // --- fixtures

  static Message sampleOrder() {
    Descriptor money = order.findFieldByName("total").getMessageType();
    Descriptor line = order.findNestedTypeByName("Line");
    DynamicMessage.Builder b = DynamicMessage.newBuilder(order);
    b.setField(order.findFieldByName("id"), "o-1");
    b.setField(
        order.findFieldByName("total"),
        DynamicMessage.newBuilder(money)
            .setField(money.findFieldByName("currency"), "EUR")
            .setField(money.findFieldByName("units"), -1234L)
            .build());
    b.setField(
        order.findFieldByName("placed_at"),
        Timestamp.newBuilder().setSeconds(1_700_000_000L).setNanos(5_000_999).build());
    b.addRepeatedField(order.findFieldByName("items"), "apple");
    b.addRepeatedField(order.findFieldByName("items"), "pear");
    b.setField(
        order.findFieldByName("status"),
        order.findEnumTypeByName("Status").findValueByName("PAID"));
    b.setField(order.findFieldByName("note"), StringValue.of("fragile"));
    b.setField(order.findFieldByName("big"), -2L); // 2^64 - 2
    b.addRepeatedField(
        order.findFieldByName("lines"),
        DynamicMessage.newBuilder(line)
            .setField(line.findFieldByName("sku"), "A-1")
            .setField(line.findFieldByName("qty"), 2)
            .build());
    return b.build();
  }

  static void assertSample(Row row) {
    assertThat(values(row))
        .containsExactly(
            "o-1",
            Row.wrap("EUR", -1234L),
            1_700_000_000_005_000L,
            List.of("apple", "pear"),
            "PAID",
            "fragile",
            new BigDecimal("18446744073709551614"),
            List.of(Row.wrap("A-1", 2)),
            row.get(8));
    Row kafka = (Row) row.get(8);
    assertThat(kafka.get(0)).isEqualTo("orders");
  }

  static Object[] values(Row row) {
    Object[] v = new Object[row.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = row.get(i);
    }
    return v;
  }

  static DecodedRecord decode(byte[] value) {
    return decoder.decode(new ConsumerRecord<>("orders", 0, 42L, null, value), "_kafka");
  }

  static byte[] confluent(int id, int[] path, byte[] message) throws IOException {
    byte[] payload = ProtobufMappingTest.frame(path, message);
    return ByteBuffer.allocate(5 + payload.length).put((byte) 0).putInt(id).put(payload).array();
  }

  /** Registers money.proto, then order.proto referencing it, through the Confluent API. */
  static int registerOrderWithReference() throws Exception {
    int moneyId = registry.register("common-money", "PROTOBUF", MONEY_PROTO);
    assertThat(moneyId).isPositive();
    ObjectMapper json = new ObjectMapper();
    String body =
        json.writeValueAsString(
            Map.of(
                "schema",
                ORDER_PROTO,
                "schemaType",
                "PROTOBUF",
                "references",
                List.of(
                    Map.of(
                        "name", "common/money.proto", "subject", "common-money", "version", 1))));
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(registry.url() + "/subjects/orders-value/versions"))
                    .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json.readTree(response.body()).path("id").asInt();
  }

  static FileDescriptorProto moneyFile() {
    return FileDescriptorProto.newBuilder()
        .setName("common/money.proto")
        .setPackage("common")
        .setSyntax("proto3")
        .addMessageType(
            DescriptorProto.newBuilder()
                .setName("Money")
                .addField(field("currency", 1, Type.TYPE_STRING, null, false))
                .addField(field("units", 2, Type.TYPE_SINT64, null, false)))
        .build();
  }

  static FileDescriptorProto orderFile() {
    return FileDescriptorProto.newBuilder()
        .setName("shop/order.proto")
        .setPackage("shop")
        .setSyntax("proto3")
        .addDependency("common/money.proto")
        .addDependency("google/protobuf/timestamp.proto")
        .addDependency("google/protobuf/wrappers.proto")
        .addMessageType(
            DescriptorProto.newBuilder()
                .setName("Order")
                .addEnumType(
                    EnumDescriptorProto.newBuilder()
                        .setName("Status")
                        .addValue(EnumValueDescriptorProto.newBuilder().setName("NEW").setNumber(0))
                        .addValue(
                            EnumValueDescriptorProto.newBuilder().setName("PAID").setNumber(1)))
                .addNestedType(
                    DescriptorProto.newBuilder()
                        .setName("Line")
                        .addField(field("sku", 1, Type.TYPE_STRING, null, false))
                        .addField(field("qty", 2, Type.TYPE_INT32, null, false)))
                .addField(field("id", 1, Type.TYPE_STRING, null, false))
                .addField(field("total", 2, Type.TYPE_MESSAGE, ".common.Money", false))
                .addField(
                    field("placed_at", 3, Type.TYPE_MESSAGE, ".google.protobuf.Timestamp", false))
                .addField(field("items", 4, Type.TYPE_STRING, null, true))
                .addField(field("status", 5, Type.TYPE_ENUM, ".shop.Order.Status", false))
                .addField(
                    field("note", 6, Type.TYPE_MESSAGE, ".google.protobuf.StringValue", false))
                .addField(field("big", 7, Type.TYPE_UINT64, null, false))
                .addField(field("lines", 8, Type.TYPE_MESSAGE, ".shop.Order.Line", true)))
        .addMessageType(
            DescriptorProto.newBuilder()
                .setName("Refund")
                .addField(field("order_id", 1, Type.TYPE_STRING, null, false)))
        .build();
  }

  static FieldDescriptorProto field(
      String name, int number, Type type, String typeName, boolean repeated) {
    FieldDescriptorProto.Builder f =
        FieldDescriptorProto.newBuilder()
            .setName(name)
            .setNumber(number)
            .setType(type)
            .setLabel(repeated ? Label.LABEL_REPEATED : Label.LABEL_OPTIONAL);
    if (typeName != null) {
      f.setTypeName(typeName);
    }
    return f.build();
  }
}
