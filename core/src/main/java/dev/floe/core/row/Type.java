package dev.floe.core.row;

import java.util.List;

/**
 * The table-format-neutral type of a column. Decoders (Avro, Protobuf, JSON) map source schemas to
 * these; each table sink maps these to its format. Values use one representation per type, chosen
 * so that sinks can write them without converting:
 *
 * <table>
 *   <tr><th>type</th><th>Java value</th></tr>
 *   <tr><td>BOOLEAN, INT, LONG, FLOAT, DOUBLE</td><td>Boolean, Integer, Long, Float, Double</td></tr>
 *   <tr><td>STRING</td><td>CharSequence (usually String)</td></tr>
 *   <tr><td>BINARY, {@link Fixed}</td><td>java.nio.ByteBuffer</td></tr>
 *   <tr><td>{@link Decimal}</td><td>java.math.BigDecimal with the type's scale</td></tr>
 *   <tr><td>DATE</td><td>Integer days since 1970-01-01</td></tr>
 *   <tr><td>TIME</td><td>Long microseconds since midnight</td></tr>
 *   <tr><td>TIMESTAMP, TIMESTAMPTZ</td><td>Long microseconds since the epoch (UTC)</td></tr>
 *   <tr><td>UUID</td><td>java.util.UUID</td></tr>
 *   <tr><td>{@link Struct}</td><td>{@link Row}</td></tr>
 *   <tr><td>{@link ListType}</td><td>java.util.List</td></tr>
 *   <tr><td>{@link MapType}</td><td>java.util.Map</td></tr>
 * </table>
 */
public sealed interface Type
    permits Type.Primitive, Type.Decimal, Type.Fixed, Type.Struct, Type.ListType, Type.MapType {

  enum Primitive implements Type {
    BOOLEAN,
    INT,
    LONG,
    FLOAT,
    DOUBLE,
    STRING,
    BINARY,
    DATE,
    /** Time of day, microseconds. */
    TIME,
    /** Timestamp without zone ("local"), microseconds. */
    TIMESTAMP,
    /** Timestamp adjusted to UTC, microseconds. */
    TIMESTAMPTZ,
    UUID
  }

  record Decimal(int precision, int scale) implements Type {
    public Decimal {
      if (precision < 1 || precision > 38 || scale < 0 || scale > precision) {
        throw new IllegalArgumentException(
            "decimal("
                + precision
                + ","
                + scale
                + ") is out of range: precision 1..38, scale 0..precision");
      }
    }
  }

  record Fixed(int length) implements Type {}

  /** A nested record. Also the type of a whole row. */
  record Struct(List<Field> fields) implements Type {
    public Struct {
      fields = List.copyOf(fields);
    }

    /** Position of a field by exact name, or -1. */
    public int indexOf(String name) {
      for (int i = 0; i < fields.size(); i++) {
        if (fields.get(i).name().equals(name)) {
          return i;
        }
      }
      return -1;
    }

    public Field field(String name) {
      int i = indexOf(name);
      return i < 0 ? null : fields.get(i);
    }
  }

  record ListType(Type element, boolean elementOptional) implements Type {}

  record MapType(Type key, Type value, boolean valueOptional) implements Type {}
}
