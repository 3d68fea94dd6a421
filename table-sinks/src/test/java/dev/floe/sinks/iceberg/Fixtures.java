package dev.floe.sinks.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.core.PartitionOffsets;
import dev.floe.core.TableId;
import dev.floe.core.config.CatalogSettings;
import dev.floe.core.config.FloeConfig;
import dev.floe.core.config.PartitionField;
import dev.floe.core.row.Field;
import dev.floe.core.row.Row;
import dev.floe.core.row.Type;
import dev.floe.core.sink.TableSpec;
import dev.floe.sinks.Offsets;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.util.DateTimeUtil;

/** Real configs, schemas and rows for the tests, and an independent reader (Iceberg generics). */
final class Fixtures {
  static final String GROUP = "floe-test";

  private Fixtures() {}

  static FloeConfig config(Path warehouse) {
    CatalogSettings local =
        new CatalogSettings(
            "local",
            CatalogSettings.Type.JDBC,
            "jdbc:sqlite:" + warehouse.resolve("floe-catalog.db"),
            null,
            Map.of());
    return new FloeConfig(
        Map.of("group.id", GROUP),
        null,
        warehouse.toString(),
        Map.of("local", local),
        List.of(),
        1);
  }

  static TableSpec spec(String table, String... partitionBy) {
    return spec(table, 512L << 20, partitionBy);
  }

  static TableSpec spec(String table, long targetFileSize, String... partitionBy) {
    return new TableSpec(
        TableId.parse(table),
        "local",
        Arrays.stream(partitionBy).map(PartitionField::parse).toList(),
        targetFileSize,
        Map.of());
  }

  static PartitionOffsets offsets(Object... topicPartitionNext) {
    return Offsets.offsets(topicPartitionNext);
  }

  /** Every type of the row model, optional unless named {@code req_*}, with a nested struct. */
  static final Type.Struct ALL_TYPES =
      new Type.Struct(
          List.of(
              Field.required("req_id", Type.Primitive.LONG),
              Field.optional("b", Type.Primitive.BOOLEAN),
              Field.optional("i", Type.Primitive.INT),
              Field.optional("f", Type.Primitive.FLOAT),
              Field.optional("d", Type.Primitive.DOUBLE),
              new Field("s", Type.Primitive.STRING, true, "a string with a doc", 0),
              Field.optional("bin", Type.Primitive.BINARY),
              Field.optional("dt", Type.Primitive.DATE),
              Field.optional("tm", Type.Primitive.TIME),
              Field.optional("ts", Type.Primitive.TIMESTAMP),
              Field.optional("tstz", Type.Primitive.TIMESTAMPTZ),
              Field.optional("u", Type.Primitive.UUID),
              Field.optional("dec", new Type.Decimal(10, 2)),
              Field.optional("big", new Type.Decimal(38, 6)),
              Field.optional("fx", new Type.Fixed(4)),
              Field.optional(
                  "ctx",
                  new Type.Struct(
                      List.of(
                          Field.required("os", Type.Primitive.STRING),
                          Field.optional("version", Type.Primitive.INT)))),
              Field.optional("tags", new Type.ListType(Type.Primitive.STRING, true)),
              Field.optional(
                  "attrs", new Type.MapType(Type.Primitive.STRING, Type.Primitive.LONG, true)),
              Field.optional(
                  "points",
                  new Type.ListType(
                      new Type.Struct(
                          List.of(
                              Field.required("x", Type.Primitive.DOUBLE),
                              Field.optional("y", Type.Primitive.DOUBLE))),
                      false)),
              Field.optional(
                  "by_name",
                  new Type.MapType(
                      Type.Primitive.STRING,
                      new Type.Struct(List.of(Field.optional("n", Type.Primitive.INT))),
                      true))));

  static Row allTypesRow(long id) {
    Map<String, Long> attrs = new LinkedHashMap<>();
    attrs.put("a", id);
    attrs.put("none", null);
    Map<String, Row> byName = new LinkedHashMap<>();
    byName.put("k" + id, Row.wrap((int) id));
    return Row.wrap(
        id,
        id % 2 == 0,
        (int) id,
        id + 0.5f,
        id + 0.25d,
        "row-" + id,
        ByteBuffer.wrap(new byte[] {1, 2, (byte) id}),
        19_000 + (int) id, // days
        3_600_000_000L + id, // micros of day
        1_700_000_000_000_000L + id,
        1_700_000_000_000_001L + id,
        new UUID(id, id + 1),
        new BigDecimal(id + ".25"),
        new BigDecimal("12345678901234567890123456789012." + String.format("%06d", id)),
        ByteBuffer.wrap(new byte[] {9, 8, 7, (byte) id}),
        Row.wrap(id % 3 == 0 ? "linux" : "mac", (int) id),
        Arrays.asList("t" + id, null),
        attrs,
        List.of(Row.wrap(1.0 * id, null), Row.wrap(2.0, 3.0)),
        byName);
  }

  static Row nullsRow(long id) {
    Object[] values = new Object[ALL_TYPES.fields().size()];
    values[0] = id;
    return Row.wrap(values);
  }

  /** A value of the row model as Iceberg's generic reader returns it. */
  static Object generic(Type type, Object value) {
    if (value == null) {
      return null;
    }
    if (type instanceof Type.Primitive p) {
      return switch (p) {
        case DATE -> DateTimeUtil.dateFromDays((Integer) value);
        case TIME -> DateTimeUtil.timeFromMicros((Long) value);
        case TIMESTAMP -> DateTimeUtil.timestampFromMicros((Long) value);
        case TIMESTAMPTZ -> DateTimeUtil.timestamptzFromMicros((Long) value);
        case STRING -> value.toString();
        default -> value;
      };
    }
    if (type instanceof Type.Fixed) {
      ByteBuffer b = ((ByteBuffer) value).duplicate();
      byte[] bytes = new byte[b.remaining()];
      b.get(bytes);
      return bytes;
    }
    if (type instanceof Type.Struct s) {
      List<Object> fields = new ArrayList<>();
      for (int i = 0; i < s.fields().size(); i++) {
        fields.add(generic(s.fields().get(i).type(), ((Row) value).get(i)));
      }
      return fields;
    }
    if (type instanceof Type.ListType l) {
      List<Object> out = new ArrayList<>();
      ((List<?>) value).forEach(v -> out.add(generic(l.element(), v)));
      return out;
    }
    if (type instanceof Type.MapType m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      ((Map<?, ?>) value).forEach((k, v) -> out.put(generic(m.key(), k), generic(m.value(), v)));
      return out;
    }
    return value;
  }

  /** A generic record as nested lists and maps, comparable with {@link #generic}. */
  static Object plain(Object value) {
    if (value instanceof Record r) {
      List<Object> fields = new ArrayList<>();
      for (int i = 0; i < r.size(); i++) {
        fields.add(plain(r.get(i)));
      }
      return fields;
    }
    if (value instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(v -> out.add(plain(v)));
      return out;
    }
    if (value instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(plain(k), plain(v)));
      return out;
    }
    return value;
  }

  static List<Record> read(Table table) {
    table.refresh();
    List<Record> records = new ArrayList<>();
    try (CloseableIterable<Record> it = IcebergGenerics.read(table).build()) {
      it.forEach(records::add);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return records;
  }

  static Table load(Path warehouse, String table) {
    Catalog catalog = IcebergCatalogs.load(config(warehouse), "local");
    return catalog.loadTable(Tables.identifier(spec(table)));
  }

  static void assertSameRow(Type.Struct schema, Row expected, Record actual) {
    for (int i = 0; i < schema.fields().size(); i++) {
      Field f = schema.fields().get(i);
      assertThat(plain(actual.getField(f.name())))
          .as("column %s", f.name())
          .isEqualTo(generic(f.type(), expected.get(i)));
    }
  }
}
