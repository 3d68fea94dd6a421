package dev.floe.sinks.delta;

import dev.floe.core.Errors;
import dev.floe.core.TableId;
import dev.floe.core.config.TableMapping;
import dev.floe.core.row.Field;
import dev.floe.core.row.Type;
import dev.floe.core.sink.TableSpec;
import io.delta.standalone.types.ArrayType;
import io.delta.standalone.types.DataType;
import io.delta.standalone.types.DecimalType;
import io.delta.standalone.types.MapType;
import io.delta.standalone.types.StructField;
import io.delta.standalone.types.StructType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a Delta table's schema must become to hold rows of a newer source schema, as the schema of a
 * {@code metaData} action: new fields become new nullable columns (also inside structs, lists and
 * maps) and a column becomes nullable when the rows' field is optional or gone. Unlike Iceberg, a
 * column's type never changes: protocol (1, 2) has no type widening (that is the {@code
 * typeWidening} table feature of reader/writer versions 3/7, which delta-standalone cannot write),
 * so a wider type in the rows is an error; narrower rows (int into a long column) are widened on
 * write. Columns are matched by name, then by the field's Avro aliases: protocol (1, 2) has no
 * column mapping, so a rename without an alias is a new column and the old one is written null.
 */
final class DeltaSchemaEvolution {
  private final TableId id;
  private final TableMapping.SchemaEvolution level;
  private final List<String> keyColumns;
  private final List<String> described = new ArrayList<>();
  private StructType schema;

  private DeltaSchemaEvolution(TableSpec spec) {
    this.id = spec.id();
    this.level = spec.schemaEvolution();
    this.keyColumns = spec.keyColumns();
  }

  /**
   * The changes rows of {@code row} need in {@code table} (the whole schema) of {@code spec}, whose
   * level and key columns bound them; {@code derivedColumns} the rows need not carry (partition
   * columns derived from other columns).
   */
  static DeltaSchemaEvolution plan(
      TableSpec spec, StructType table, Set<String> derivedColumns, Type.Struct row) {
    DeltaSchemaEvolution e = new DeltaSchemaEvolution(spec);
    e.schema = e.struct("", table, row, derivedColumns, false);
    return e;
  }

  boolean isEmpty() {
    return described.isEmpty();
  }

  /** The table's schema with the changes applied. */
  StructType schema() {
    return schema;
  }

  /** The changes, one line each, for the log. */
  List<String> described() {
    return described;
  }

  /** The column of {@code table} that holds field {@code f}: by name, else by an alias; or -1. */
  static int column(StructType table, Field f) {
    StructField[] columns = table.getFields();
    int c = indexOf(columns, f.name());
    for (int a = 0; c < 0 && a < f.aliases().size(); a++) {
      c = indexOf(columns, f.aliases().get(a));
    }
    return c;
  }

  private static int indexOf(StructField[] columns, String name) {
    for (int i = 0; i < columns.length; i++) {
      if (columns[i].getName().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  private StructType struct(
      String path, StructType table, Type.Struct row, Set<String> derived, boolean inContainer) {
    StructField[] columns = table.getFields();
    List<StructField> out = new ArrayList<>(List.of(columns));
    boolean[] matched = new boolean[columns.length];
    for (Field f : row.fields()) {
      int c = column(table, f);
      if (c < 0) {
        out.add(added(path, out, f, inContainer));
        continue;
      }
      matched[c] = true;
      StructField column = columns[c];
      String columnPath = path + column.getName();
      boolean nullable = column.isNullable();
      if (!nullable && f.optional()) {
        nullable = nullable(columnPath, "the rows' field is optional");
      }
      DataType type = type(columnPath, column.getDataType(), f.type(), inContainer);
      if (nullable != column.isNullable() || type != column.getDataType()) {
        out.set(c, new StructField(column.getName(), type, nullable, column.getMetadata()));
      }
    }
    for (int c = 0; c < columns.length; c++) {
      StructField column = columns[c];
      if (!matched[c] && !column.isNullable() && !derived.contains(column.getName())) {
        String why = "the rows no longer have it";
        out.set(
            c,
            new StructField(
                column.getName(),
                column.getDataType(),
                nullable(path + column.getName(), why),
                column.getMetadata()));
      }
    }
    return new StructType(out.toArray(StructField[]::new));
  }

  private StructField added(String path, List<StructField> columns, Field f, boolean inContainer) {
    for (StructField taken : columns) { // Delta resolves column names case-insensitively
      if (taken.getName().equalsIgnoreCase(f.name())) {
        throw Errors.schemaChange(
            "Delta table "
                + id
                + " has column '"
                + path
                + taken.getName()
                + "', and the rows have a new field '"
                + path
                + f.name()
                + "' that differs only in case, which Delta cannot tell apart",
            "rename the new field in the source schema");
      }
    }
    DataType type = DeltaSchemas.toDelta(f.type(), inContainer);
    String change = "add column " + path + f.name() + " " + type.getSimpleString();
    allowed(TableMapping.SchemaEvolution.ADDITIVE, change);
    described.add(change);
    return new StructField(f.name(), type, true); // rows written before have no value for it
  }

  /** Returns true, the new nullability, once the level allows it. */
  private boolean nullable(String path, String why) {
    if (keyColumns.contains(path)) { // copy-on-write matched earlier rows on the column as it is
      throw Errors.schemaChange(
          "Delta table "
              + id
              + " key column '"
              + path
              + "' would become nullable ("
              + why
              + ") for these rows, but the key columns of an upsert or cdc table never change",
          "keep the key fields as they are in the source schema, or write to a new table (a new"
              + " table version) and backfill it from the topic");
    }
    String change = "make column " + path + " nullable (" + why + ")";
    allowed(TableMapping.SchemaEvolution.ADDITIVE, change);
    described.add(change);
    return true;
  }

  /** The column's type, changed only inside structs, lists and maps; the same instance if not. */
  private DataType type(String path, DataType table, Type row, boolean inContainer) {
    if (table instanceof StructType s && row instanceof Type.Struct r) {
      int before = described.size();
      StructType evolved = struct(path + ".", s, r, Set.of(), inContainer);
      return described.size() == before ? table : evolved;
    }
    if (table instanceof ArrayType a && row instanceof Type.ListType l) {
      int before = described.size();
      boolean containsNull = a.containsNull();
      if (!containsNull && l.elementOptional()) {
        containsNull = nullable(path + ".element", "the rows' elements may be null");
      }
      DataType element = type(path + ".element", a.getElementType(), l.element(), true);
      return described.size() == before ? table : new ArrayType(element, containsNull);
    }
    if (table instanceof MapType m && row instanceof Type.MapType r) {
      int before = described.size();
      boolean valueContainsNull = m.valueContainsNull();
      if (!valueContainsNull && r.valueOptional()) {
        valueContainsNull = nullable(path + ".value", "the rows' values may be null");
      }
      DataType key = type(path + ".key", m.getKeyType(), r.key(), true);
      DataType value = type(path + ".value", m.getValueType(), r.value(), true);
      return described.size() == before ? table : new MapType(key, value, valueContainsNull);
    }
    if (row instanceof Type.Struct || row instanceof Type.ListType || row instanceof Type.MapType) {
      throw incompatible(path, table, row);
    }
    if (holds(table, row)) {
      return table;
    }
    if (holds(DeltaSchemas.toDelta(row), table)) { // a promotion Iceberg would make
      throw Errors.schemaChange(
          "Delta table "
              + id
              + " column '"
              + path
              + "' is "
              + name(table)
              + " but the rows' field is "
              + row
              + ": Delta protocol (1, 2) cannot widen a column's type (only the typeWidening table"
              + " feature of protocol 3/7 can, which Floe's Delta writer does not support)",
          "keep the field's type in the source schema, or write the rows to a new Delta table"
              + " (Iceberg tables do widen this type)");
    }
    throw incompatible(path, table, row);
  }

  /**
   * Whether a column of type {@code table} holds values of {@code row} as they are or widened on
   * write (see {@link DeltaRowView}).
   */
  static boolean holds(DataType table, Type row) {
    return holds(table, DeltaSchemas.toDelta(row));
  }

  private static boolean holds(DataType table, DataType values) {
    if (table.equals(values)) {
      return true;
    }
    if (table instanceof DecimalType t && values instanceof DecimalType v) {
      return t.getScale() == v.getScale() && t.getPrecision() >= v.getPrecision();
    }
    String t = table.getTypeName();
    String v = values.getTypeName();
    return (t.equals("long") && v.equals("integer")) || (t.equals("double") && v.equals("float"));
  }

  private void allowed(TableMapping.SchemaEvolution needed, String change) {
    if (level.compareTo(needed) < 0) {
      throw Errors.schemaChange(
          "Delta table "
              + id
              + " would need to "
              + change
              + " for these rows, which schema-evolution: "
              + level.name().toLowerCase(Locale.ROOT)
              + " does not allow",
          "set the mapping's schema-evolution to "
              + needed.name().toLowerCase(Locale.ROOT)
              + " (or full), change the table yourself, or keep the source schema");
    }
  }

  private RuntimeException incompatible(String path, DataType table, Type row) {
    return Errors.schemaChange(
        "Delta table "
            + id
            + " column '"
            + path
            + "' has type "
            + name(table)
            + " but the rows' field has type "
            + row
            + ", which it cannot hold",
        "keep the field's type in the source schema, or write to a new table");
  }

  private static String name(DataType type) {
    return type instanceof DecimalType d
        ? "decimal(" + d.getPrecision() + "," + d.getScale() + ")"
        : type.getSimpleString();
  }
}
