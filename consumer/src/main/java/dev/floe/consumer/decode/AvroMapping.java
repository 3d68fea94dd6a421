package dev.floe.consumer.decode;

import dev.floe.core.row.Field;
import dev.floe.core.row.Row;
import dev.floe.core.row.Type;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.io.Decoder;

/**
 * Maps an Avro writer schema to Floe's row type and, in the same walk, compiles a reader that
 * decodes Avro binary straight into {@link Row}s in the row model's value representation (no
 * intermediate GenericRecord). The rules are those of {@code docs/type-mapping.md}.
 */
final class AvroMapping {
  /** Reads one value of a mapped Avro type. */
  interface ValueReader {
    Object read(Decoder in) throws IOException;
  }

  /** A mapped Avro type: its row type, whether null is allowed, and its reader. */
  record Mapped(Type type, boolean optional, ValueReader reader) {}

  private final Set<Schema> inProgress =
      java.util.Collections.newSetFromMap(new IdentityHashMap<>());

  private AvroMapping() {}

  /**
   * Maps a top-level record. Its reader returns the row's {@code Object[]} (not yet a Row) with
   * {@code extraSlots} empty positions at the end, where the consumer puts its metadata column
   * without copying the row.
   */
  static Mapped record(Schema schema, int extraSlots) {
    if (schema.getType() != Schema.Type.RECORD) {
      throw new IllegalArgumentException(
          "the value schema is a "
              + schema.getType().getName()
              + ", not a record; only records become table rows");
    }
    return new AvroMapping().mapRecord(schema, extraSlots, true);
  }

  /** Maps any schema, for keys, which may be a scalar such as {@code "string"}. */
  static Mapped scalar(Schema schema) {
    return new AvroMapping().map(schema);
  }

  private Mapped map(Schema s) {
    LogicalType logical = s.getLogicalType();
    if (logical != null) {
      Mapped m = mapLogical(s, logical);
      if (m != null) {
        return m;
      }
    }
    return switch (s.getType()) {
      case BOOLEAN -> new Mapped(Type.Primitive.BOOLEAN, false, Decoder::readBoolean);
      case INT -> new Mapped(Type.Primitive.INT, false, Decoder::readInt);
      case LONG -> new Mapped(Type.Primitive.LONG, false, Decoder::readLong);
      case FLOAT -> new Mapped(Type.Primitive.FLOAT, false, Decoder::readFloat);
      case DOUBLE -> new Mapped(Type.Primitive.DOUBLE, false, Decoder::readDouble);
      // Avro's Utf8 keeps the UTF-8 bytes; Iceberg's Parquet writer takes them as they are, which
      // saves
      // decoding to String and encoding back for every string of every record. A new Utf8 per value
      // (never a reused one) keeps partition keys that hold a reference valid.
      case STRING ->
          new Mapped(
              Type.Primitive.STRING,
              false,
              in -> {
                org.apache.avro.util.Utf8 text = in.readString(null);
                Utf8Validation.check(text.getBytes(), text.getByteLength());
                return text;
              });
      case BYTES -> new Mapped(Type.Primitive.BINARY, false, in -> in.readBytes(null));
      case FIXED ->
          new Mapped(new Type.Fixed(s.getFixedSize()), false, fixedReader(s.getFixedSize()));
      case ENUM -> {
        String[] symbols = s.getEnumSymbols().toArray(new String[0]);
        yield new Mapped(
            Type.Primitive.STRING,
            false,
            in -> {
              int index = in.readEnum();
              if (index < 0 || index >= symbols.length) {
                throw new IOException(
                    "enum symbol number "
                        + index
                        + " is not in "
                        + s.getFullName()
                        + " (it has "
                        + symbols.length
                        + " symbols)");
              }
              return symbols[index];
            });
      }
      case RECORD -> mapRecord(s, 0, false);
      case ARRAY -> mapArray(s);
      case MAP -> mapMap(s);
      case UNION -> mapUnion(s);
      case NULL ->
          throw new IllegalArgumentException("a field of type null cannot become a column");
    };
  }

  private Mapped mapLogical(Schema s, LogicalType logical) {
    String name = logical.getName();
    Schema.Type base = s.getType();
    switch (name) {
      case "decimal" -> {
        LogicalTypes.Decimal d = (LogicalTypes.Decimal) logical;
        int scale = d.getScale();
        ValueReader bytes =
            base == Schema.Type.FIXED
                ? fixedBytes(s.getFixedSize())
                : in -> toArray(in.readBytes(null));
        return new Mapped(
            new Type.Decimal(d.getPrecision(), scale),
            false,
            in ->
                ValueRanges.decimal(
                    new BigDecimal(new BigInteger((byte[]) bytes.read(in)), scale),
                    d.getPrecision(),
                    scale));
      }
      case "uuid" -> {
        if (base == Schema.Type.STRING) {
          return new Mapped(Type.Primitive.UUID, false, in -> UUID.fromString(in.readString()));
        }
        if (base == Schema.Type.FIXED && s.getFixedSize() == 16) {
          return new Mapped(
              Type.Primitive.UUID,
              false,
              in -> {
                ByteBuffer b = ByteBuffer.wrap((byte[]) fixedBytes(16).read(in));
                return new UUID(b.getLong(), b.getLong());
              });
        }
        return null;
      }
      case "date" -> {
        return new Mapped(Type.Primitive.DATE, false, Decoder::readInt);
      }
      case "time-millis" -> {
        return new Mapped(Type.Primitive.TIME, false, in -> in.readInt() * 1000L);
      }
      case "time-micros" -> {
        return new Mapped(Type.Primitive.TIME, false, Decoder::readLong);
      }
      case "timestamp-millis", "local-timestamp-millis" -> {
        return new Mapped(timestamp(name), false, in -> ValueRanges.millisToMicros(in.readLong()));
      }
      case "timestamp-micros", "local-timestamp-micros" -> {
        return new Mapped(timestamp(name), false, Decoder::readLong);
      }
      case "timestamp-nanos", "local-timestamp-nanos" -> {
        // Iceberg v2 and Delta store microseconds; nanoseconds are truncated toward the past.
        return new Mapped(timestamp(name), false, in -> Math.floorDiv(in.readLong(), 1000L));
      }
      default -> {
        return null; // unknown logical types (e.g. duration) map as their underlying type
      }
    }
  }

  private static Type timestamp(String logicalName) {
    return logicalName.startsWith("local-") ? Type.Primitive.TIMESTAMP : Type.Primitive.TIMESTAMPTZ;
  }

  private Mapped mapRecord(Schema s, int extraSlots, boolean topLevel) {
    if (!inProgress.add(s)) {
      throw new IllegalArgumentException(
          "record "
              + s.getFullName()
              + " contains itself; recursive schemas cannot become table columns");
    }
    List<Schema.Field> avroFields = s.getFields();
    List<Field> fields = new ArrayList<>(avroFields.size());
    ValueReader[] readers = new ValueReader[avroFields.size()];
    for (int i = 0; i < readers.length; i++) {
      Schema.Field f = avroFields.get(i);
      Mapped m;
      try {
        m = map(f.schema());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "field '" + f.name() + "' of " + s.getFullName() + ": " + e.getMessage(), e);
      }
      // aliases are the field's earlier names: they keep its column when the field is renamed
      fields.add(new Field(f.name(), m.type(), m.optional(), f.doc(), 0, List.copyOf(f.aliases())));
      readers[i] = m.reader();
    }
    inProgress.remove(s);
    int size = readers.length + extraSlots;
    String[] names = avroFields.stream().map(Schema.Field::name).toArray(String[]::new);
    ValueReader reader =
        in -> {
          Object[] values = new Object[size];
          int i = 0;
          try {
            for (; i < readers.length; i++) {
              values[i] = readers[i].read(in);
            }
          } catch (IOException | RuntimeException e) {
            throw FieldPathException.at(names[i], e); // the path is built only when reading fails
          }
          return values;
        };
    ValueReader rows = topLevel ? reader : in -> Row.wrap((Object[]) reader.read(in));
    return new Mapped(new Type.Struct(fields), false, rows);
  }

  private Mapped mapArray(Schema s) {
    Mapped element = map(s.getElementType());
    ValueReader r = element.reader();
    return new Mapped(
        new Type.ListType(element.type(), element.optional()),
        false,
        in -> {
          long n = in.readArrayStart();
          List<Object> list = new ArrayList<>((int) Math.min(n, 1024));
          while (n > 0) {
            for (long i = 0; i < n; i++) {
              list.add(r.read(in));
            }
            n = in.arrayNext();
          }
          return list;
        });
  }

  private Mapped mapMap(Schema s) {
    Mapped value = map(s.getValueType());
    ValueReader r = value.reader();
    return new Mapped(
        new Type.MapType(Type.Primitive.STRING, value.type(), value.optional()),
        false,
        in -> {
          long n = in.readMapStart();
          Map<String, Object> map = new HashMap<>();
          while (n > 0) {
            for (long i = 0; i < n; i++) {
              map.put(in.readString(), r.read(in));
            }
            n = in.mapNext();
          }
          return map;
        });
  }

  /**
   * {@code [null, T]} is an optional T. Any other union becomes a struct with one optional field
   * per non-null branch, named after the branch type; exactly one is set in each row.
   */
  private Mapped mapUnion(Schema s) {
    List<Schema> branches = s.getTypes();
    int nullIndex = -1;
    List<Integer> valueBranches = new ArrayList<>();
    for (int i = 0; i < branches.size(); i++) {
      if (branches.get(i).getType() == Schema.Type.NULL) {
        nullIndex = i;
      } else {
        valueBranches.add(i);
      }
    }
    if (valueBranches.isEmpty()) {
      throw new IllegalArgumentException("a union of only null cannot become a column");
    }
    boolean optional = nullIndex >= 0;
    if (valueBranches.size() == 1) {
      int only = valueBranches.get(0);
      Mapped m = map(branches.get(only));
      ValueReader r = m.reader();
      return new Mapped(m.type(), true, in -> in.readIndex() == only ? r.read(in) : null);
    }
    ValueReader[] readers = new ValueReader[branches.size()];
    int[] slot = new int[branches.size()];
    List<Field> fields = new ArrayList<>();
    for (int k = 0; k < valueBranches.size(); k++) {
      int i = valueBranches.get(k);
      Mapped m = map(branches.get(i));
      readers[i] = m.reader();
      slot[i] = k;
      fields.add(Field.optional(branchName(branches.get(i), fields), m.type()));
    }
    int width = valueBranches.size();
    return new Mapped(
        new Type.Struct(fields),
        optional,
        in -> {
          int i = in.readIndex();
          if (readers[i] == null) {
            return null;
          }
          Object[] values = new Object[width];
          values[slot[i]] = readers[i].read(in);
          return Row.wrap(values);
        });
  }

  private static String branchName(Schema branch, List<Field> taken) {
    String base =
        switch (branch.getType()) {
          case RECORD, ENUM, FIXED -> branch.getName();
          default ->
              branch.getLogicalType() != null
                  ? branch.getLogicalType().getName().replace('-', '_')
                  : branch.getType().getName();
        };
    String name = base.toLowerCase(Locale.ROOT);
    int n = 2;
    while (nameTaken(name, taken)) {
      name = base.toLowerCase(Locale.ROOT) + "_" + n++;
    }
    return name;
  }

  private static boolean nameTaken(String name, List<Field> taken) {
    return taken.stream().anyMatch(f -> f.name().equals(name));
  }

  private static ValueReader fixedReader(int size) {
    ValueReader bytes = fixedBytes(size);
    return in -> ByteBuffer.wrap((byte[]) bytes.read(in));
  }

  private static ValueReader fixedBytes(int size) {
    return in -> {
      byte[] b = new byte[size];
      in.readFixed(b);
      return b;
    };
  }

  private static byte[] toArray(ByteBuffer buffer) {
    byte[] b = new byte[buffer.remaining()];
    buffer.get(b);
    return b;
  }
}
