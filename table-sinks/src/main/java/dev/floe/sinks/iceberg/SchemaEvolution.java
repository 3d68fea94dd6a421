package dev.floe.sinks.iceberg;

import dev.floe.core.Errors;
import dev.floe.core.TableId;
import dev.floe.core.config.TableMapping;
import dev.floe.core.row.Field;
import dev.floe.core.row.Type;
import dev.floe.core.sink.TableSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.UpdateSchema;
import org.apache.iceberg.types.Types;

/**
 * What a table's schema must become to hold rows of a newer source schema, as Iceberg schema
 * updates: new fields become new optional columns (also inside structs, lists and maps), int→long,
 * float→double and wider decimals are promoted, and a column becomes optional when the rows' field
 * is optional or gone. Anything else (a type change that is not a promotion) is an error naming the
 * column and both types. The key columns of an upsert table never change. The updates are replayed
 * in the commit that first writes such rows.
 */
final class SchemaEvolution {
  private final TableId id;
  private final Map<Integer, Integer> sourceIds;
  private final TableMapping.SchemaEvolution level;
  private final List<String> keyColumns;
  private boolean partial;
  private final List<Consumer<UpdateSchema>> changes = new ArrayList<>();
  private final List<String> described = new ArrayList<>();

  private SchemaEvolution(TableSpec spec, Map<Integer, Integer> sourceIds) {
    this.id = spec.id();
    this.sourceIds = sourceIds;
    this.level = spec.schemaEvolution();
    this.keyColumns = spec.keyColumns();
  }

  /**
   * The changes rows of {@code row} need in the table of {@code spec} (whose level and key columns
   * bound them); none when the table holds them as it is.
   */
  static SchemaEvolution plan(
      TableSpec spec, Schema table, Type.Struct row, Map<Integer, Integer> sourceIds) {
    return plan(spec, table, row, sourceIds, false);
  }

  /** As {@link #plan}; with {@code partial}, columns the rows lack stay as they are. */
  static SchemaEvolution plan(
      TableSpec spec,
      Schema table,
      Type.Struct row,
      Map<Integer, Integer> sourceIds,
      boolean partial) {
    SchemaEvolution e = new SchemaEvolution(spec, sourceIds);
    e.partial = partial;
    e.struct("", table.asStruct(), row);
    return e;
  }

  boolean isEmpty() {
    return changes.isEmpty();
  }

  /** The changes, one line each, for the log. */
  List<String> described() {
    return described;
  }

  /** Applies the changes to {@code update} (of a transaction or a dry run). */
  void applyTo(UpdateSchema update) {
    changes.forEach(c -> c.accept(update));
  }

  /** The schema the table will have: the changes applied to its current schema, not committed. */
  Schema preview(Table table) {
    UpdateSchema update = table.updateSchema();
    applyTo(update);
    return update.apply();
  }

  private void struct(String path, Types.StructType table, Type.Struct row) {
    boolean[] matched = new boolean[table.fields().size()];
    for (Field f : row.fields()) {
      int c = RowLayout.column(table, f, sourceIds);
      if (c < 0) {
        Types.NestedField taken = table.caseInsensitiveField(f.name());
        if (taken != null) { // a new Protobuf number under a name the table already uses
          throw Errors.schemaChange(
              "Table "
                  + id
                  + " column '"
                  + path
                  + taken.name()
                  + "' belongs to another source field (Protobuf field number "
                  + sourceIds.get(taken.fieldId())
                  + "), but field number "
                  + f.sourceId()
                  + " now has its name",
              "give the new field a name of its own, or keep the old field's number");
        }
        String parent = path.isEmpty() ? null : path.substring(0, path.length() - 1);
        org.apache.iceberg.types.Type type =
            SchemaMapping.toType(f.type(), new AtomicInteger(1000));
        allowed(
            TableMapping.SchemaEvolution.ADDITIVE, "add column " + path + f.name() + " " + type);
        changes.add(u -> u.addColumn(parent, f.name(), type, f.doc()));
        described.add("add column " + path + f.name() + " " + type);
        continue;
      }
      matched[c] = true;
      Types.NestedField column = table.fields().get(c);
      String columnPath = path + column.name();
      if (column.isRequired() && f.optional()) {
        optional(columnPath, "the rows' field is optional");
      }
      type(columnPath, column.type(), f.type());
    }
    for (int c = 0; c < matched.length; c++) {
      Types.NestedField column = table.fields().get(c);
      if (!matched[c] && column.isRequired() && !(partial && path.isEmpty())) {
        optional(path + column.name(), "the rows no longer have it");
      }
    }
  }

  private void optional(String path, String why) {
    unkeyed(path, "become optional (" + why + ")");
    allowed(
        TableMapping.SchemaEvolution.ADDITIVE, "make column " + path + " optional (" + why + ")");
    changes.add(u -> u.makeColumnOptional(path));
    described.add("make column " + path + " optional (" + why + ")");
  }

  private void type(String path, org.apache.iceberg.types.Type table, Type row) {
    if (table.isStructType() && row instanceof Type.Struct s) {
      struct(path + ".", table.asStructType(), s);
    } else if (table.isListType() && row instanceof Type.ListType l) {
      Types.ListType list = table.asListType();
      if (list.isElementRequired() && l.elementOptional()) {
        optional(path + ".element", "the rows' elements may be null");
      }
      type(path + ".element", list.elementType(), l.element());
    } else if (table.isMapType() && row instanceof Type.MapType m) {
      Types.MapType map = table.asMapType();
      if (map.isValueRequired() && m.valueOptional()) {
        optional(path + ".value", "the rows' values may be null");
      }
      type(path + ".key", map.keyType(), m.key());
      type(path + ".value", map.valueType(), m.value());
    } else if (table.isPrimitiveType()
        && !(row instanceof Type.Struct
            || row instanceof Type.ListType
            || row instanceof Type.MapType)) {
      org.apache.iceberg.types.Type wanted = SchemaMapping.toType(row, new AtomicInteger());
      if (table.equals(wanted) || Promotions.holds(table, wanted)) {
        return; // the column holds the rows' values already (a narrower type is promoted on write)
      }
      if (Promotions.holds(wanted, table)) {
        unkeyed(path, "widen from " + table + " to " + wanted);
        allowed(
            TableMapping.SchemaEvolution.FULL,
            "widen column " + path + " from " + table + " to " + wanted);
        changes.add(u -> u.updateColumn(path, wanted.asPrimitiveType()));
        described.add("widen column " + path + " from " + table + " to " + wanted);
        return;
      }
      throw incompatible(path, table, row);
    } else {
      throw incompatible(path, table, row);
    }
  }

  /**
   * Refuses any change of a key column: the equality deletes and key matches of the table's earlier
   * commits were made on the column as it is.
   */
  private void unkeyed(String path, String change) {
    if (keyColumns.contains(path)) {
      throw Errors.schemaChange(
          "Table "
              + id
              + " key column '"
              + path
              + "' would "
              + change
              + " for these rows, but the key columns of an upsert or cdc table never change",
          "keep the key fields as they are in the source schema, or write to a new table (a new"
              + " table version) and backfill it from the topic");
    }
  }

  /** Refuses a change the mapping's level does not allow, saying which level would. */
  private void allowed(TableMapping.SchemaEvolution needed, String change) {
    if (level.compareTo(needed) < 0) {
      throw Errors.schemaChange(
          "Table "
              + id
              + " would need to "
              + change
              + " for these rows, which schema-evolution: "
              + level.name().toLowerCase(java.util.Locale.ROOT)
              + " does not allow",
          "set the mapping's schema-evolution to "
              + needed.name().toLowerCase(java.util.Locale.ROOT)
              + " (or full), change the table yourself, or keep the source schema");
    }
  }

  private RuntimeException incompatible(
      String path, org.apache.iceberg.types.Type table, Type row) {
    return Errors.schemaChange(
        "Table "
            + id
            + " column '"
            + path
            + "' has type "
            + table
            + " but the rows' field has type "
            + row
            + ", which it cannot hold and Iceberg cannot change it to",
        "keep the field's type in the source schema (type changes other than int→long,"
            + " float→double and wider decimals break readers), or write to a new table");
  }
}
