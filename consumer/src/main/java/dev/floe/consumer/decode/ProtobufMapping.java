package dev.floe.consumer.decode;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import com.squareup.wire.Syntax;
import com.squareup.wire.schema.EnumConstant;
import com.squareup.wire.schema.EnumType;
import com.squareup.wire.schema.MessageType;
import com.squareup.wire.schema.OneOf;
import com.squareup.wire.schema.ProtoType;
import com.squareup.wire.schema.Schema;
import dev.floe.core.row.Field;
import dev.floe.core.row.Type;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Maps a linked Protobuf message type to Floe's row type and, in the same walk, compiles a reader
 * that decodes protobuf binary straight into the row model (no DynamicMessage in between). The
 * rules, one per row of {@code docs/type-mapping-protobuf.md}:
 *
 * <table>
 *   <tr><th>Protobuf</th><th>row type</th><th>value</th></tr>
 *   <tr><td>int32, sint32, sfixed32</td><td>INT</td><td>Integer</td></tr>
 *   <tr><td>int64, sint64, sfixed64</td><td>LONG</td><td>Long</td></tr>
 *   <tr><td>uint32, fixed32</td><td>LONG</td><td>Long, unsigned</td></tr>
 *   <tr><td>uint64, fixed64</td><td>decimal(20,0)</td><td>BigDecimal, unsigned and exact</td></tr>
 *   <tr><td>bool, float, double</td><td>BOOLEAN, FLOAT, DOUBLE</td><td></td></tr>
 *   <tr><td>string / bytes</td><td>STRING / BINARY</td><td>String / ByteBuffer</td></tr>
 *   <tr><td>enum</td><td>STRING</td><td>the symbol; a number the schema does not name becomes its
 *       decimal string ("7"), because proto3 enums are open and newer producers may add values</td></tr>
 *   <tr><td>message</td><td>struct, optional</td><td>Row, null when absent</td></tr>
 *   <tr><td>repeated T</td><td>list of required T, required</td><td>List, empty when absent;
 *       packed and unpacked both read</td></tr>
 *   <tr><td>map&lt;K,V&gt;</td><td>map of K's type to required V, required</td><td>Map, empty when
 *       absent; an entry without value gets V's default</td></tr>
 *   <tr><td>proto3 scalar/enum without label</td><td>required</td><td>proto3 default when absent:
 *       0, "", false, empty bytes, the enum's first symbol</td></tr>
 *   <tr><td>proto3 optional, proto2 optional</td><td>optional</td><td>null when absent (proto2:
 *       the [default = ...] value if declared)</td></tr>
 *   <tr><td>proto2 required</td><td>required</td><td>absent is a decode error</td></tr>
 *   <tr><td>oneof o</td><td>optional struct o with one optional field per member</td><td>only the
 *       member last set is non-null; null when no member is set</td></tr>
 *   <tr><td>well-known types</td><td colspan="2">see {@link ProtobufWellKnownTypes}</td></tr>
 *   <tr><td>recursive message</td><td colspan="2">rejected (IllegalArgumentException naming the
 *       message), as Avro's recursive records are</td></tr>
 * </table>
 *
 * Every field's {@link Field#sourceId()} is its field number (0 for the oneof struct). Fields the
 * schema does not know (written with a newer schema) are skipped; for a non-repeated field the last
 * value on the wire wins, as in protobuf.
 */
final class ProtobufMapping {
  /** Reads one value of a mapped type; the field's tag has been read. */
  interface ValueReader {
    Object read(CodedInputStream in) throws IOException;
  }

  /**
   * A mapped type: row type, reader, wire type, the value an absent proto3 field (or map entry
   * part) has, and whether it may be packed.
   */
  record Mapped(Type type, ValueReader reader, int wireType, Object protoDefault) {
    boolean packable() {
      return wireType != WireFormat.WIRETYPE_LENGTH_DELIMITED;
    }
  }

  private final Schema schema;
  private final Set<ProtoType> inProgress = new HashSet<>();

  private ProtobufMapping(Schema schema) {
    this.schema = schema;
  }

  /**
   * Maps a top-level message. Its reader returns the row's {@code Object[]} with {@code extraSlots}
   * empty positions at the end.
   */
  static ProtobufMessageReader message(Schema schema, MessageType message, int extraSlots) {
    return new ProtobufMapping(schema).compile(message, extraSlots);
  }

  ProtobufMessageReader compile(MessageType message, int extraSlots) {
    ProtoType name = message.getType();
    if (!inProgress.add(name)) {
      throw new IllegalArgumentException(
          "message " + name + " contains itself; recursive messages cannot become table columns");
    }
    ProtobufMessageReader.Builder b = new ProtobufMessageReader.Builder(name.toString());
    Syntax syntax = message.getSyntax();
    for (Object member : declarationOrder(message)) {
      if (member instanceof OneOf o) {
        oneOf(b, o);
        continue;
      }
      com.squareup.wire.schema.Field f = (com.squareup.wire.schema.Field) member;
      try {
        field(b, f, syntax);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "field '" + f.getName() + "' of " + name + ": " + e.getMessage(), e);
      }
    }
    inProgress.remove(name);
    return b.build(extraSlots);
  }

  /** Fields and oneofs in the order the .proto declares them (a oneof at its first member). */
  private static List<Object> declarationOrder(MessageType message) {
    List<Object> members = new ArrayList<>(message.getDeclaredFields());
    members.addAll(message.getOneOfs());
    members.sort(
        Comparator.comparingInt((Object m) -> firstLocation(m).getLine())
            .thenComparingInt(m -> firstLocation(m).getColumn()));
    return members;
  }

  private static com.squareup.wire.schema.Location firstLocation(Object member) {
    if (member instanceof OneOf o) {
      return o.getFields().isEmpty() ? o.getLocation() : o.getFields().get(0).getLocation();
    }
    return ((com.squareup.wire.schema.Field) member).getLocation();
  }

  private void field(
      ProtobufMessageReader.Builder b, com.squareup.wire.schema.Field f, Syntax syntax) {
    ProtoType t = f.getType();
    String doc = f.getDocumentation().isEmpty() ? null : f.getDocumentation();
    int number = f.getTag();
    if (t.isMap()) {
      Mapped key = map(t.getKeyType());
      Mapped value = map(t.getValueType());
      Type type = new Type.MapType(key.type(), value.type(), false);
      b.map(new Field(f.getName(), type, false, doc, number), number, key, value);
      return;
    }
    Mapped m = map(t);
    if (f.isRepeated()) {
      Type type = new Type.ListType(m.type(), false);
      b.repeated(new Field(f.getName(), type, false, doc, number), number, m);
      return;
    }
    boolean message = schema.getType(t) instanceof MessageType;
    if (message || ProtobufWellKnownTypes.isWellKnown(t)) {
      b.singular(new Field(f.getName(), m.type(), true, doc, number), number, m, null, false);
    } else if (syntax == Syntax.PROTO_2) {
      boolean required = f.isRequired();
      Object def = f.getDefault() == null ? null : parseDefault(t, f.getDefault());
      b.singular(
          new Field(f.getName(), m.type(), !required, doc, number), number, m, def, required);
    } else if (f.getLabel() == null) { // proto3 implicit presence
      b.singular(
          new Field(f.getName(), m.type(), false, doc, number), number, m, m.protoDefault(), false);
    } else {
      b.singular(new Field(f.getName(), m.type(), true, doc, number), number, m, null, false);
    }
  }

  private void oneOf(ProtobufMessageReader.Builder b, OneOf o) {
    List<Field> fields = new ArrayList<>();
    List<Mapped> members = new ArrayList<>();
    int[] numbers = new int[o.getFields().size()];
    for (int i = 0; i < numbers.length; i++) {
      com.squareup.wire.schema.Field f = o.getFields().get(i);
      Mapped m = map(f.getType());
      String doc = f.getDocumentation().isEmpty() ? null : f.getDocumentation();
      fields.add(new Field(f.getName(), m.type(), true, doc, f.getTag()));
      members.add(m);
      numbers[i] = f.getTag();
    }
    String doc = o.getDocumentation().isEmpty() ? null : o.getDocumentation();
    b.oneOf(new Field(o.getName(), new Type.Struct(fields), true, doc, 0), numbers, members);
  }

  private Mapped map(ProtoType t) {
    if (t.isScalar()) {
      return scalar(t);
    }
    Mapped wellKnown = ProtobufWellKnownTypes.map(t);
    if (wellKnown != null) {
      return wellKnown;
    }
    com.squareup.wire.schema.Type declared = schema.getType(t);
    if (declared instanceof EnumType e) {
      return enumeration(e);
    }
    if (declared instanceof MessageType m) {
      ProtobufMessageReader reader = compile(m, 0);
      return new Mapped(
          reader.type(), reader::readNested, WireFormat.WIRETYPE_LENGTH_DELIMITED, null);
    }
    throw new IllegalArgumentException("type " + t + " is not declared in the schema");
  }

  static Mapped scalar(ProtoType t) {
    int varint = WireFormat.WIRETYPE_VARINT;
    int fixed32 = WireFormat.WIRETYPE_FIXED32;
    int fixed64 = WireFormat.WIRETYPE_FIXED64;
    int len = WireFormat.WIRETYPE_LENGTH_DELIMITED;
    return switch (t.toString()) {
      case "int32" -> new Mapped(Type.Primitive.INT, CodedInputStream::readInt32, varint, 0);
      case "sint32" -> new Mapped(Type.Primitive.INT, CodedInputStream::readSInt32, varint, 0);
      case "sfixed32" -> new Mapped(Type.Primitive.INT, CodedInputStream::readSFixed32, fixed32, 0);
      case "int64" -> new Mapped(Type.Primitive.LONG, CodedInputStream::readInt64, varint, 0L);
      case "sint64" -> new Mapped(Type.Primitive.LONG, CodedInputStream::readSInt64, varint, 0L);
      case "sfixed64" ->
          new Mapped(Type.Primitive.LONG, CodedInputStream::readSFixed64, fixed64, 0L);
      case "uint32" ->
          new Mapped(
              Type.Primitive.LONG, in -> Integer.toUnsignedLong(in.readUInt32()), varint, 0L);
      case "fixed32" ->
          new Mapped(
              Type.Primitive.LONG, in -> Integer.toUnsignedLong(in.readFixed32()), fixed32, 0L);
      case "uint64" -> new Mapped(UINT64, in -> unsigned(in.readUInt64()), varint, BigDecimal.ZERO);
      case "fixed64" ->
          new Mapped(UINT64, in -> unsigned(in.readFixed64()), fixed64, BigDecimal.ZERO);
      case "bool" -> new Mapped(Type.Primitive.BOOLEAN, CodedInputStream::readBool, varint, false);
      case "float" -> new Mapped(Type.Primitive.FLOAT, CodedInputStream::readFloat, fixed32, 0f);
      case "double" -> new Mapped(Type.Primitive.DOUBLE, CodedInputStream::readDouble, fixed64, 0d);
      // proto2 lets strings hold any bytes, but a table's string column promises UTF-8
      case "string" ->
          new Mapped(Type.Primitive.STRING, CodedInputStream::readStringRequireUtf8, len, "");
      case "bytes" ->
          new Mapped(
              Type.Primitive.BINARY,
              in -> ByteBuffer.wrap(in.readByteArray()),
              len,
              ByteBuffer.allocate(0));
      default -> throw new IllegalArgumentException("unknown scalar type " + t);
    };
  }

  static final Type UINT64 = new Type.Decimal(20, 0);

  static BigDecimal unsigned(long v) {
    return v >= 0
        ? BigDecimal.valueOf(v)
        : new BigDecimal(new BigInteger(Long.toUnsignedString(v)));
  }

  private static Mapped enumeration(EnumType e) {
    List<EnumConstant> constants = e.getConstants();
    Map<Integer, String> byNumber = new HashMap<>();
    int max = 0;
    boolean dense = true;
    for (EnumConstant c : constants) {
      byNumber.putIfAbsent(c.getTag(), c.getName()); // with allow_alias, the first name wins
      dense &= c.getTag() >= 0;
      max = Math.max(max, c.getTag());
    }
    String first = constants.isEmpty() ? "0" : constants.get(0).getName();
    ValueReader reader;
    if (dense && max < 1024) {
      String[] symbols = new String[max + 1];
      byNumber.forEach((n, s) -> symbols[n] = s);
      reader =
          in -> {
            int n = in.readEnum();
            String s = n >= 0 && n < symbols.length ? symbols[n] : null;
            return s != null ? s : Integer.toString(n);
          };
    } else {
      reader =
          in -> {
            int n = in.readEnum();
            String s = byNumber.get(n);
            return s != null ? s : Integer.toString(n);
          };
    }
    return new Mapped(Type.Primitive.STRING, reader, WireFormat.WIRETYPE_VARINT, first);
  }

  /** A proto2 {@code [default = ...]} as the row model's value. */
  private Object parseDefault(ProtoType t, String text) {
    if (!t.isScalar()) {
      return text; // an enum symbol
    }
    return switch (t.toString()) {
      case "int32", "sint32", "sfixed32" -> integerLiteral(text).intValue();
      case "int64", "sint64", "sfixed64" -> integerLiteral(text).longValue();
      case "uint32", "fixed32" -> integerLiteral(text).longValue();
      case "uint64", "fixed64" -> new BigDecimal(integerLiteral(text));
      case "bool" -> Boolean.parseBoolean(text);
      case "float" -> (float) parseDouble(text);
      case "double" -> parseDouble(text);
      case "bytes" -> ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
      default -> text;
    };
  }

  /**
   * A .proto integer literal as protoc reads it: decimal, {@code 0x} hex or {@code 0} octal, with a
   * sign. Wire hands the literal over as written, and a 64-bit hex default does not fit {@link
   * Long#decode}.
   */
  static BigInteger integerLiteral(String text) {
    boolean negative = text.startsWith("-");
    String digits = negative || text.startsWith("+") ? text.substring(1) : text;
    BigInteger value;
    if (digits.startsWith("0x") || digits.startsWith("0X")) {
      value = new BigInteger(digits.substring(2), 16);
    } else if (digits.length() > 1 && digits.startsWith("0")) {
      value = new BigInteger(digits.substring(1), 8);
    } else {
      value = new BigInteger(digits);
    }
    return negative ? value.negate() : value;
  }

  private static double parseDouble(String text) {
    return switch (text) {
      case "inf" -> Double.POSITIVE_INFINITY;
      case "-inf" -> Double.NEGATIVE_INFINITY;
      case "nan" -> Double.NaN;
      default -> Double.parseDouble(text);
    };
  }
}
