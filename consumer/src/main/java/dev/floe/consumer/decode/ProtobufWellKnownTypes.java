package dev.floe.consumer.decode;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.google.protobuf.Any;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.WireFormat;
import com.squareup.wire.schema.ProtoType;
import dev.floe.core.row.Type;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code google.protobuf} well-known types, mapped to what they mean rather than to their
 * message structure. All are optional columns (null when the field is absent):
 *
 * <table>
 *   <tr><th>type</th><th>row type</th><th>value</th></tr>
 *   <tr><td>Timestamp</td><td>TIMESTAMPTZ</td><td>micros since the epoch; nanos truncated toward the
 *       past</td></tr>
 *   <tr><td>Duration</td><td>LONG</td><td>micros; nanos truncated toward the past</td></tr>
 *   <tr><td>DoubleValue, FloatValue, Int64Value, Int32Value, BoolValue, StringValue,
 *       BytesValue</td><td>the wrapped scalar's type</td><td>the value; a present wrapper without
 *       value holds the scalar's default</td></tr>
 *   <tr><td>UInt32Value / UInt64Value</td><td>LONG / decimal(20,0)</td><td>unsigned</td></tr>
 *   <tr><td>Struct, Value, ListValue</td><td>STRING</td><td>the JSON they stand for; object keys
 *       sorted, numbers as doubles (e.g. 1.0)</td></tr>
 *   <tr><td>Any</td><td>STRING</td><td>{@code {"@type":"<type url>","value":"<base64 of the
 *       packed message>"}}</td></tr>
 *   <tr><td>Empty</td><td>BOOLEAN</td><td>true when present (a struct without fields cannot be a
 *       Parquet column)</td></tr>
 * </table>
 */
final class ProtobufWellKnownTypes {
  private static final JsonFactory JSON = new JsonFactory();
  private static final int LEN = WireFormat.WIRETYPE_LENGTH_DELIMITED;

  private ProtobufWellKnownTypes() {}

  static boolean isWellKnown(ProtoType t) {
    return map(t) != null;
  }

  /** The mapping of a well-known type, or null for any other type. */
  static ProtobufMapping.Mapped map(ProtoType t) {
    String name = t.toString();
    if (!name.startsWith("google.protobuf.")) {
      return null;
    }
    return switch (name.substring("google.protobuf.".length())) {
      case "Timestamp" -> mapped(Type.Primitive.TIMESTAMPTZ, ProtobufWellKnownTypes::micros);
      case "Duration" -> mapped(Type.Primitive.LONG, ProtobufWellKnownTypes::micros);
      case "DoubleValue" -> wrapper("double");
      case "FloatValue" -> wrapper("float");
      case "Int64Value" -> wrapper("int64");
      case "UInt64Value" -> wrapper("uint64");
      case "Int32Value" -> wrapper("int32");
      case "UInt32Value" -> wrapper("uint32");
      case "BoolValue" -> wrapper("bool");
      case "StringValue" -> wrapper("string");
      case "BytesValue" -> wrapper("bytes");
      case "Struct" -> mapped(Type.Primitive.STRING, in -> json(Struct.parseFrom(in.readBytes())));
      case "Value" -> mapped(Type.Primitive.STRING, in -> json(Value.parseFrom(in.readBytes())));
      case "ListValue" ->
          mapped(Type.Primitive.STRING, in -> json(ListValue.parseFrom(in.readBytes())));
      case "Any" -> mapped(Type.Primitive.STRING, in -> json(Any.parseFrom(in.readBytes())));
      case "Empty" ->
          mapped(
              Type.Primitive.BOOLEAN,
              in -> {
                in.skipRawBytes(in.readRawVarint32());
                return Boolean.TRUE;
              });
      default -> null; // e.g. descriptor.proto's messages: mapped as ordinary messages
    };
  }

  private static ProtobufMapping.Mapped mapped(Type type, ProtobufMapping.ValueReader reader) {
    return new ProtobufMapping.Mapped(type, reader, LEN, null);
  }

  /** Seconds (field 1) and nanos (field 2), as Timestamp and Duration both have them. */
  private static Object micros(CodedInputStream in) throws IOException {
    int limit = in.pushLimit(in.readRawVarint32());
    long seconds = 0;
    int nanos = 0;
    int tag;
    while ((tag = in.readTag()) != 0) {
      if (tag == tag(1, WireFormat.WIRETYPE_VARINT)) {
        seconds = in.readInt64();
      } else if (tag == tag(2, WireFormat.WIRETYPE_VARINT)) {
        nanos = in.readInt32();
      } else {
        in.skipField(tag);
      }
    }
    in.popLimit(limit);
    return ValueRanges.micros(seconds, nanos);
  }

  private static int tag(int number, int wireType) {
    return number << 3 | wireType; // WireFormat.makeTag is package-private
  }

  private static ProtobufMapping.Mapped wrapper(String scalar) {
    ProtobufMapping.Mapped value = ProtobufMapping.scalar(ProtoType.get(scalar));
    ProtobufMapping.ValueReader r = value.reader();
    int valueTag = tag(1, value.wireType());
    Object whenAbsent = value.protoDefault();
    return mapped(
        value.type(),
        in -> {
          int limit = in.pushLimit(in.readRawVarint32());
          Object v = null;
          int tag;
          while ((tag = in.readTag()) != 0) {
            if (tag == valueTag) {
              v = r.read(in);
            } else {
              in.skipField(tag);
            }
          }
          in.popLimit(limit);
          return v != null
              ? v
              : whenAbsent instanceof java.nio.ByteBuffer b ? b.duplicate() : whenAbsent;
        });
  }

  private static String json(Object message) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      if (message instanceof Any any) {
        g.writeStartObject();
        g.writeStringField("@type", any.getTypeUrl());
        g.writeStringField(
            "value", Base64.getEncoder().encodeToString(any.getValue().toByteArray()));
        g.writeEndObject();
      } else {
        write(g, message);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static void write(JsonGenerator g, Object message) throws IOException {
    if (message instanceof Struct s) {
      g.writeStartObject();
      for (Map.Entry<String, Value> e : new TreeMap<>(s.getFieldsMap()).entrySet()) {
        g.writeFieldName(e.getKey());
        write(g, e.getValue());
      }
      g.writeEndObject();
    } else if (message instanceof ListValue l) {
      g.writeStartArray();
      for (Value v : l.getValuesList()) {
        write(g, v);
      }
      g.writeEndArray();
    } else {
      Value v = (Value) message;
      switch (v.getKindCase()) {
        case NUMBER_VALUE -> g.writeNumber(v.getNumberValue());
        case STRING_VALUE -> g.writeString(v.getStringValue());
        case BOOL_VALUE -> g.writeBoolean(v.getBoolValue());
        case STRUCT_VALUE -> write(g, v.getStructValue());
        case LIST_VALUE -> write(g, v.getListValue());
        default -> g.writeNull(); // NULL_VALUE, or no kind set
      }
    }
  }
}
