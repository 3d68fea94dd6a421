package dev.floe.sinks.delta;

import dev.floe.core.Errors;
import dev.floe.core.TableId;
import dev.floe.core.row.Field;
import dev.floe.core.row.Row;
import dev.floe.core.row.Type;
import io.delta.standalone.types.ArrayType;
import io.delta.standalone.types.DataType;
import io.delta.standalone.types.DecimalType;
import io.delta.standalone.types.MapType;
import io.delta.standalone.types.StructField;
import io.delta.standalone.types.StructType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.apache.iceberg.StructLike;

/**
 * A {@link Row} of one source schema seen as the columns of a Delta data file, found by name and
 * converted to Delta's representation where it differs (uuid and time as strings, see {@link
 * DeltaSchemas}; int → long and float → double where the table was widened). Planned once per
 * source schema; one view is reused for every row.
 */
final class DeltaRowView implements StructLike {
  private final int[] positions; // file column -> row position, -1 when the row lacks it
  private final UnaryOperator<Object>[] converters; // null entries: the value goes as it is
  private Row row;

  private DeltaRowView(int[] positions, UnaryOperator<Object>[] converters) {
    this.positions = positions;
    this.converters = converters;
  }

  /**
   * Plans rows of {@code rowType} as {@code fileColumns}; {@code otherColumns} are table columns
   * that are not in data files (partition columns), which rows may carry.
   */
  static DeltaRowView plan(
      TableId id, StructType fileColumns, Set<String> otherColumns, Type.Struct rowType) {
    for (Field f : rowType.fields()) {
      if (DeltaSchemaEvolution.column(fileColumns, f) < 0 && !otherColumns.contains(f.name())) {
        throw unknownField(id, f.name());
      }
    }
    return struct(id, "", fileColumns, rowType, false);
  }

  DeltaRowView wrap(Row row) {
    this.row = row;
    return this;
  }

  @Override
  public int size() {
    return positions.length;
  }

  @Override
  public <T> T get(int pos, Class<T> javaClass) {
    int p = positions[pos];
    Object value = p < 0 ? null : row.get(p);
    if (value != null && converters[pos] != null) {
      value = converters[pos].apply(value);
    }
    return javaClass.cast(value);
  }

  @Override
  public <T> void set(int pos, T value) {
    throw new UnsupportedOperationException("DeltaRowView is a read-only view of a row");
  }

  @SuppressWarnings("unchecked")
  /**
   * @param inCollection whether the struct's values sit in a list or map: the writer is handed a
   *     whole collection at once, so each value needs a view of its own
   */
  private static DeltaRowView struct(
      TableId id, String path, StructType table, Type.Struct row, boolean inCollection) {
    StructField[] columns = table.getFields();
    int[] positions = new int[columns.length];
    java.util.Arrays.fill(positions, -1);
    for (int p = 0; p < row.fields().size(); p++) { // by name, or by an alias of a renamed field
      int c = DeltaSchemaEvolution.column(table, row.fields().get(p));
      if (c >= 0) {
        positions[c] = p;
      }
    }
    UnaryOperator<Object>[] converters = new UnaryOperator[columns.length];
    for (int i = 0; i < columns.length; i++) {
      StructField column = columns[i];
      String name = path + column.getName();
      int p = positions[i];
      if (p < 0) {
        if (!column.isNullable()) {
          throw Errors.schemaChange(
              "Delta table "
                  + id
                  + " requires column '"
                  + name
                  + "' but the rows have no such field",
              "add the field to the source schema or make the column nullable");
        }
        continue;
      }
      Field f = row.fields().get(p);
      if (f.optional() && !column.isNullable()) {
        throw Errors.schemaChange(
            "Delta table "
                + id
                + " column '"
                + name
                + "' is not nullable but the rows' field is optional",
            "make the column nullable (ALTER TABLE ... ALTER COLUMN ... DROP NOT NULL) or the field required");
      }
      converters[i] = converter(id, name, column.getDataType(), f.type(), inCollection);
    }
    return new DeltaRowView(positions, converters);
  }

  /** Null when values go through unchanged. */
  private static UnaryOperator<Object> converter(
      TableId id, String path, DataType table, Type row, boolean inCollection) {
    if (table instanceof StructType s && row instanceof Type.Struct r) {
      for (Field f : r.fields()) {
        if (DeltaSchemaEvolution.column(s, f) < 0) {
          throw unknownField(id, path + "." + f.name());
        }
      }
      DeltaRowView plan = struct(id, path + ".", s, r, inCollection);
      if (!inCollection) { // the writer reads a struct field whole before the next row: reuse
        return v -> plan.wrap((Row) v);
      }
      // a fresh view per value: a list of structs hands the writer several at once
      return v -> new DeltaRowView(plan.positions, plan.converters).wrap((Row) v);
    }
    if (table instanceof ArrayType a && row instanceof Type.ListType l) {
      UnaryOperator<Object> element =
          converter(id, path + ".element", a.getElementType(), l.element(), true);
      return element == null ? null : v -> mapList((List<?>) v, element);
    }
    if (table instanceof MapType m && row instanceof Type.MapType r) {
      UnaryOperator<Object> key = converter(id, path + ".key", m.getKeyType(), r.key(), true);
      UnaryOperator<Object> value =
          converter(id, path + ".value", m.getValueType(), r.value(), true);
      return key == null && value == null ? null : v -> mapMap((Map<?, ?>) v, key, value);
    }
    if (table instanceof DecimalType d && row instanceof Type.Decimal r) {
      if (d.getScale() == r.scale() && d.getPrecision() >= r.precision()) {
        return null;
      }
      throw mismatch(id, path, table, row);
    }
    String t = table.getTypeName();
    if (row instanceof Type.Fixed && t.equals("binary")) {
      return null;
    }
    if (row instanceof Type.Primitive p) {
      switch (p) {
        case UUID:
          if (t.equals("string")) {
            return Object::toString;
          }
          break;
        case TIME:
          if (t.equals("string")) {
            return v -> TimeOfDay.format((Long) v);
          }
          break;
        case INT:
          if (t.equals("long")) {
            return v -> ((Integer) v).longValue();
          }
          break;
        case FLOAT:
          if (t.equals("double")) {
            return v -> ((Float) v).doubleValue();
          }
          break;
        default:
          break;
      }
      if (DeltaSchemas.toDelta(p).equals(table)) {
        return null;
      }
    }
    throw mismatch(id, path, table, row);
  }

  private static List<Object> mapList(List<?> values, UnaryOperator<Object> element) {
    List<Object> out = new ArrayList<>(values.size());
    for (Object v : values) {
      out.add(v == null ? null : element.apply(v));
    }
    return out;
  }

  private static Map<Object, Object> mapMap(
      Map<?, ?> values, UnaryOperator<Object> key, UnaryOperator<Object> value) {
    Map<Object, Object> out = new LinkedHashMap<>(values.size() * 2);
    values.forEach(
        (k, v) ->
            out.put(
                key == null ? k : key.apply(k), v == null || value == null ? v : value.apply(v)));
    return out;
  }

  private static RuntimeException mismatch(TableId id, String path, DataType table, Type row) {
    return Errors.schemaChange(
        "Delta table "
            + id
            + " column '"
            + path
            + "' is "
            + (table instanceof DecimalType d
                ? "decimal(" + d.getPrecision() + "," + d.getScale() + ")"
                : table.getSimpleString())
            + " but the rows' field is "
            + row,
        "write a compatible type (Floe widens int to long and float to double) or recreate the table");
  }

  private static RuntimeException unknownField(TableId id, String path) {
    return Errors.schemaChange(
        "Delta table " + id + " has no column '" + path + "' that the rows have",
        "let the table evolve (the mapping's schema-evolution), add the column to the table"
            + " yourself (ALTER TABLE ... ADD COLUMNS), or drop the field from the source schema");
  }
}
