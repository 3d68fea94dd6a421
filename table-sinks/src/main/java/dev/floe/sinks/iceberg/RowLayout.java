package dev.floe.sinks.iceberg;

import dev.floe.core.Errors;
import dev.floe.core.TableId;
import dev.floe.core.row.Field;
import dev.floe.core.row.Row;
import dev.floe.core.row.Type;
import java.util.AbstractCollection;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.apache.iceberg.types.Types;

/**
 * Where the values of rows of one source schema are, seen as the table's struct: by name, so that a
 * row may lack optional columns or order them differently. When the row has the table's fields in
 * the table's order (the usual case) {@link #value} is a plain array read.
 */
final class RowLayout {
  private final int size;
  private final int[] positions; // table position -> row position (-1: absent); null: the same
  private final RowLayout[] structs; // layouts of direct struct fields; null when there are none
  private final UnaryOperator<Object>[] adapters; // list/map fields holding structs; null when none

  private RowLayout(
      int size, int[] positions, RowLayout[] structs, UnaryOperator<Object>[] adapters) {
    this.size = size;
    this.positions = positions;
    this.structs = structs;
    this.adapters = adapters;
  }

  /** Checks that rows of {@code row} can be written as {@code table} and plans how. */
  static RowLayout of(TableId id, Types.StructType table, Type.Struct row) {
    return of(id, table, row, Map.of());
  }

  /**
   * @param sourceIds the source id (Protobuf field number) of table columns by Iceberg field id
   *     ({@link SourceIds}): a row field with a source id lands in the column of that id whatever
   *     its name, so a renamed Protobuf field keeps its column
   */
  static RowLayout of(
      TableId id, Types.StructType table, Type.Struct row, Map<Integer, Integer> sourceIds) {
    return struct(id, "", table, row, sourceIds);
  }

  int size() {
    return size;
  }

  Object value(Row row, int pos) {
    if (positions == null) {
      return row.get(pos);
    }
    int p = positions[pos];
    return p < 0 ? null : row.get(p);
  }

  boolean adapts() {
    return structs != null || adapters != null;
  }

  Object adapt(int pos, Object value) {
    return adapters != null && adapters[pos] != null ? adapters[pos].apply(value) : value;
  }

  RowStruct[] nestedStructs() {
    if (structs == null) {
      return null;
    }
    RowStruct[] nested = new RowStruct[size];
    for (int i = 0; i < size; i++) {
      nested[i] = structs[i] == null ? null : new RowStruct(structs[i]);
    }
    return nested;
  }

  @SuppressWarnings("unchecked")
  private static RowLayout struct(
      TableId id,
      String path,
      Types.StructType table,
      Type.Struct row,
      Map<Integer, Integer> sourceIds) {
    List<Types.NestedField> columns = table.fields();
    int[] positions = new int[columns.size()];
    java.util.Arrays.fill(positions, -1);
    RowLayout[] structs = null;
    UnaryOperator<Object>[] adapters = null;
    for (int p = 0; p < row.fields().size(); p++) {
      Field f = row.fields().get(p);
      int c = column(table, f, sourceIds);
      if (c < 0) {
        throw Errors.of(
            "Table " + id + " has no column '" + path + f.name() + "' that the rows have",
            "schema evolution adds such columns before rows are laid out; if the table's schema was"
                + " changed meanwhile, restart Floe so that it reads the table again",
            null);
      }
      if (positions[c] >= 0) {
        throw Errors.of(
            "Table "
                + id
                + " column '"
                + path
                + columns.get(c).name()
                + "' would take both the rows' fields '"
                + row.fields().get(positions[c]).name()
                + "' and '"
                + f.name()
                + "'",
            "a field's alias or number names another field's column: fix the source schema",
            null);
      }
      positions[c] = p;
    }
    boolean same = columns.size() == row.fields().size();
    for (int i = 0; i < columns.size(); i++) {
      Types.NestedField column = columns.get(i);
      int p = positions[i];
      same &= p == i;
      if (p < 0) {
        if (column.isRequired()) {
          throw Errors.of(
              "Table "
                  + id
                  + " requires column '"
                  + path
                  + column.name()
                  + "' but the rows have no"
                  + " such field",
              "add the field to the source schema or make the column optional",
              null);
        }
        continue;
      }
      Field f = row.fields().get(p);
      if (f.optional() && column.isRequired()) {
        throw Errors.of(
            "Table "
                + id
                + " column '"
                + path
                + column.name()
                + "' is required but the rows' field"
                + " is optional",
            "make the column optional (ALTER TABLE ... DROP NOT NULL) or the field required",
            null);
      }
      Object plan = plan(id, path + column.name(), column.type(), f.type(), sourceIds);
      if (plan instanceof RowLayout nested) {
        structs = structs == null ? new RowLayout[columns.size()] : structs;
        structs[i] = nested;
      } else if (plan != null) {
        adapters = adapters == null ? new UnaryOperator[columns.size()] : adapters;
        adapters[i] = (UnaryOperator<Object>) plan;
      }
    }
    return new RowLayout(columns.size(), same ? null : positions, structs, adapters);
  }

  /**
   * The column of a row field: by source id when both sides have one (Protobuf numbers outlive
   * names), else by name, else by one of the field's aliases (its earlier names, Avro). -1: none.
   */
  static int column(Types.StructType table, Field f, Map<Integer, Integer> sourceIds) {
    List<Types.NestedField> columns = table.fields();
    if (f.sourceId() > 0) {
      boolean numbered = false;
      for (int i = 0; i < columns.size(); i++) {
        Integer sourceId = sourceIds.get(columns.get(i).fieldId());
        numbered |= sourceId != null;
        if (sourceId != null && sourceId == f.sourceId()) {
          return i;
        }
      }
      if (numbered) {
        return -1; // a new number is a new field, even if its name is an old one
      }
    }
    int byName = indexOf(columns, f.name());
    for (int a = 0; byName < 0 && a < f.aliases().size(); a++) {
      byName = indexOf(columns, f.aliases().get(a));
    }
    return byName;
  }

  private static int indexOf(List<Types.NestedField> columns, String name) {
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Null when values go through as they are, a layout for structs, an adapter for containers of
   * structs.
   */
  private static Object plan(
      TableId id,
      String path,
      org.apache.iceberg.types.Type table,
      Type row,
      Map<Integer, Integer> sourceIds) {
    if (table.isStructType() && row instanceof Type.Struct s) {
      return struct(id, path + ".", table.asStructType(), s, sourceIds);
    }
    if (table.isListType() && row instanceof Type.ListType l) {
      Types.ListType list = table.asListType();
      requireOptionalMatch(id, path + ".element", list.isElementRequired(), l.elementOptional());
      UnaryOperator<Object> element =
          adapter(plan(id, path + ".element", list.elementType(), l.element(), sourceIds));
      return element == null
          ? null
          : (UnaryOperator<Object>) v -> new MappedCollection((Collection<?>) v, element);
    }
    if (table.isMapType() && row instanceof Type.MapType m) {
      Types.MapType map = table.asMapType();
      requireOptionalMatch(id, path + ".value", map.isValueRequired(), m.valueOptional());
      UnaryOperator<Object> key =
          adapter(plan(id, path + ".key", map.keyType(), m.key(), sourceIds));
      UnaryOperator<Object> value =
          adapter(plan(id, path + ".value", map.valueType(), m.value(), sourceIds));
      return key == null && value == null
          ? null
          : (UnaryOperator<Object>) v -> new MappedMap((Map<?, ?>) v, key, value);
    }
    if (table.isPrimitiveType()
        && !(row instanceof Type.Struct
            || row instanceof Type.ListType
            || row instanceof Type.MapType)) {
      org.apache.iceberg.types.Type rowType = SchemaMapping.toType(row, new AtomicInteger());
      if (table.equals(rowType)) {
        return null;
      }
      if (Promotions.holds(table, rowType)) { // rows of an older, narrower schema
        return switch (table.typeId()) {
          case LONG -> (UnaryOperator<Object>) v -> ((Integer) v).longValue();
          case DOUBLE -> (UnaryOperator<Object>) v -> ((Float) v).doubleValue();
          default -> null; // a wider decimal of the same scale takes the BigDecimal as it is
        };
      }
    }
    throw Errors.of(
        "Table "
            + id
            + " column '"
            + path
            + "' has type "
            + table
            + " but the rows' field has type "
            + row,
        "keep the field's type in the source schema, or write to a new table",
        null);
  }

  @SuppressWarnings("unchecked")
  private static UnaryOperator<Object> adapter(Object plan) {
    if (plan instanceof RowLayout layout) {
      return v ->
          new RowStruct(layout).wrap((Row) v); // fresh per element: containers may be re-read
    }
    return (UnaryOperator<Object>) plan;
  }

  private static void requireOptionalMatch(
      TableId id, String path, boolean tableRequired, boolean rowOptional) {
    if (tableRequired && rowOptional) {
      throw Errors.of(
          "Table " + id + " column '" + path + "' is required but the rows' values are optional",
          "make the column optional or the source values required",
          null);
    }
  }

  /** A collection's elements, each adapted when read. */
  private static final class MappedCollection extends AbstractCollection<Object> {
    private final Collection<?> values;
    private final UnaryOperator<Object> adapter;

    MappedCollection(Collection<?> values, UnaryOperator<Object> adapter) {
      this.values = values;
      this.adapter = adapter;
    }

    @Override
    public Iterator<Object> iterator() {
      Iterator<?> it = values.iterator();
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return it.hasNext();
        }

        @Override
        public Object next() {
          Object v = it.next();
          return v == null ? null : adapter.apply(v);
        }
      };
    }

    @Override
    public int size() {
      return values.size();
    }
  }

  /** A map's entries, keys and values adapted when read. */
  private static final class MappedMap extends AbstractMap<Object, Object> {
    private final Map<?, ?> values;
    private final UnaryOperator<Object> key;
    private final UnaryOperator<Object> value;

    MappedMap(Map<?, ?> values, UnaryOperator<Object> key, UnaryOperator<Object> value) {
      this.values = values;
      this.key = key == null ? UnaryOperator.identity() : key;
      this.value = value == null ? UnaryOperator.identity() : value;
    }

    @Override
    public Set<Entry<Object, Object>> entrySet() {
      return new AbstractSet<>() {
        @Override
        public Iterator<Entry<Object, Object>> iterator() {
          Iterator<? extends Entry<?, ?>> it = values.entrySet().iterator();
          return new Iterator<>() {
            @Override
            public boolean hasNext() {
              return it.hasNext();
            }

            @Override
            public Entry<Object, Object> next() {
              Entry<?, ?> e = it.next();
              Object v = e.getValue();
              return new SimpleImmutableEntry<>(
                  key.apply(e.getKey()), v == null ? null : value.apply(v));
            }
          };
        }

        @Override
        public int size() {
          return values.size();
        }
      };
    }
  }
}
