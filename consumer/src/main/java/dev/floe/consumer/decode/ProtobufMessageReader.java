package dev.floe.consumer.decode;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import dev.floe.core.row.Field;
import dev.floe.core.row.Row;
import dev.floe.core.row.Type;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes one message type: looks each tag up by field number (an array for the usual small
 * numbers), lets the field's slot read it, skips unknown fields, then fills in what was absent.
 */
final class ProtobufMessageReader {
  /** How one field number lands in the row's values. */
  private interface Slot {
    /** Reads the field if the wire type fits; false lets the caller skip it as unknown. */
    boolean read(CodedInputStream in, int wireType, Object[] values) throws IOException;
  }

  private static final int DENSE_LIMIT = 1024;

  private final String name;
  private final Type.Struct type;
  private final int size;
  private final Slot[] dense;
  private final Map<Integer, Slot> sparse;
  private final Object[] absent; // value of each slot when the field is absent, or null
  private final boolean[] oneOf;
  private final int[] required;

  private ProtobufMessageReader(Builder b, int extraSlots) {
    this.name = b.name;
    this.type = new Type.Struct(b.fields);
    this.size = b.fields.size() + extraSlots;
    int maxDense = 0;
    for (int n : b.slots.keySet()) {
      if (n < DENSE_LIMIT) {
        maxDense = Math.max(maxDense, n);
      }
    }
    this.dense = new Slot[maxDense + 1];
    this.sparse = new HashMap<>();
    b.slots.forEach(
        (n, s) -> {
          if (n < DENSE_LIMIT) {
            dense[n] = s;
          } else {
            sparse.put(n, s);
          }
        });
    this.absent = b.absent.toArray();
    this.oneOf = new boolean[b.fields.size()];
    b.oneOfSlots.forEach(i -> oneOf[i] = true);
    this.required = b.required.stream().mapToInt(Integer::intValue).toArray();
  }

  Type.Struct type() {
    return type;
  }

  /** Reads fields until the end of the input (or of the current limit) into a new values array. */
  Object[] read(CodedInputStream in) throws IOException {
    Object[] values = new Object[size];
    int tag;
    while ((tag = in.readTag()) != 0) {
      int number = WireFormat.getTagFieldNumber(tag);
      Slot slot = number < dense.length ? dense[number] : sparse.get(number);
      boolean read;
      try {
        read = slot != null && slot.read(in, WireFormat.getTagWireType(tag), values);
      } catch (IOException | RuntimeException e) {
        throw FieldPathException.at(nameOf(number), e); // the path is built only when reading fails
      }
      if (!read) {
        in.skipField(tag);
      }
    }
    finish(values);
    return values;
  }

  /** The column a field number lands in: a field, or a oneof's member ({@code choice.card}). */
  private String nameOf(int number) {
    for (int i = 0; i < type.fields().size(); i++) {
      Field f = type.fields().get(i);
      if (oneOf[i] && f.type() instanceof Type.Struct members) {
        for (Field m : members.fields()) {
          if (m.sourceId() == number) {
            return f.name() + "." + m.name();
          }
        }
      } else if (f.sourceId() == number) {
        return f.name();
      }
    }
    return "field " + number;
  }

  /** A length-delimited nested message as a Row. */
  Object readNested(CodedInputStream in) throws IOException {
    int length = in.readRawVarint32();
    int limit = in.pushLimit(length);
    Object[] values = read(in);
    in.popLimit(limit);
    return Row.wrap(values);
  }

  private void finish(Object[] values) throws IOException {
    for (int i = 0; i < absent.length; i++) {
      Object v = values[i];
      if (v == null) {
        Object a = absent[i];
        values[i] = a instanceof ByteBuffer b ? b.duplicate() : a;
      } else if (oneOf[i]) {
        values[i] = Row.wrap((Object[]) v);
      }
    }
    for (int i : required) {
      if (values[i] == null) {
        throw new IOException(
            "required field '" + type.fields().get(i).name() + "' of " + name + " is absent");
      }
    }
  }

  /** Collects the slots of one message type. */
  static final class Builder {
    private final String name;
    private final List<Field> fields = new ArrayList<>();
    private final Map<Integer, Slot> slots = new HashMap<>();
    private final List<Object> absent = new ArrayList<>();
    private final List<Integer> oneOfSlots = new ArrayList<>();
    private final List<Integer> required = new ArrayList<>();

    Builder(String name) {
      this.name = name;
    }

    ProtobufMessageReader build(int extraSlots) {
      return new ProtobufMessageReader(this, extraSlots);
    }

    private int add(Field field, Object whenAbsent) {
      fields.add(field);
      absent.add(whenAbsent);
      return fields.size() - 1;
    }

    void singular(
        Field field, int number, ProtobufMapping.Mapped m, Object whenAbsent, boolean isRequired) {
      int i = add(field, whenAbsent);
      if (isRequired) {
        required.add(i);
      }
      ProtobufMapping.ValueReader r = m.reader();
      int wireType = m.wireType();
      slots.put(
          number,
          (in, wt, values) -> {
            if (wt != wireType) {
              return false;
            }
            values[i] = r.read(in); // the last value wins
            return true;
          });
    }

    void repeated(Field field, int number, ProtobufMapping.Mapped m) {
      int i = add(field, List.of());
      ProtobufMapping.ValueReader r = m.reader();
      int wireType = m.wireType();
      boolean packable = m.packable();
      slots.put(
          number,
          (in, wt, values) -> {
            @SuppressWarnings("unchecked")
            List<Object> list = (List<Object>) values[i];
            if (list == null) {
              list = new ArrayList<>();
              values[i] = list;
            }
            if (wt == wireType) {
              list.add(r.read(in));
            } else if (packable && wt == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
              int limit = in.pushLimit(in.readRawVarint32());
              while (!in.isAtEnd()) {
                list.add(r.read(in));
              }
              in.popLimit(limit);
            } else {
              return false;
            }
            return true;
          });
    }

    void map(Field field, int number, ProtobufMapping.Mapped key, ProtobufMapping.Mapped value) {
      int i = add(field, Map.of());
      slots.put(
          number,
          (in, wt, values) -> {
            if (wt != WireFormat.WIRETYPE_LENGTH_DELIMITED) {
              return false;
            }
            @SuppressWarnings("unchecked")
            Map<Object, Object> map = (Map<Object, Object>) values[i];
            if (map == null) {
              map = new HashMap<>();
              values[i] = map;
            }
            int limit = in.pushLimit(in.readRawVarint32());
            Object k = null;
            Object v = null;
            int tag;
            while ((tag = in.readTag()) != 0) {
              int n = WireFormat.getTagFieldNumber(tag);
              int wire = WireFormat.getTagWireType(tag);
              if (n == 1 && wire == key.wireType()) {
                k = key.reader().read(in);
              } else if (n == 2 && wire == value.wireType()) {
                v = value.reader().read(in);
              } else {
                in.skipField(tag);
              }
            }
            in.popLimit(limit);
            map.put(k != null ? k : key.protoDefault(), v != null ? v : absentEntryValue(value));
            return true;
          });
    }

    void oneOf(Field field, int[] numbers, List<ProtobufMapping.Mapped> members) {
      int i = add(field, null);
      oneOfSlots.add(i);
      int width = numbers.length;
      for (int k = 0; k < width; k++) {
        int member = k;
        ProtobufMapping.Mapped m = members.get(k);
        ProtobufMapping.ValueReader r = m.reader();
        int wireType = m.wireType();
        slots.put(
            numbers[k],
            (in, wt, values) -> {
              if (wt != wireType) {
                return false;
              }
              Object[] set = new Object[width]; // setting one member clears the others
              set[member] = r.read(in);
              values[i] = set;
              return true;
            });
      }
    }

    /** A map entry without value holds the value type's default; a message's is all defaults. */
    private static Object absentEntryValue(ProtobufMapping.Mapped value) throws IOException {
      if (value.protoDefault() != null) {
        Object d = value.protoDefault();
        return d instanceof ByteBuffer b ? b.duplicate() : d;
      }
      return value.reader().read(CodedInputStream.newInstance(new byte[] {0}));
    }
  }
}
