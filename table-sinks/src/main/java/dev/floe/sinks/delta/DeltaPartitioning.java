package dev.floe.sinks.delta;

import dev.floe.core.Errors;
import dev.floe.core.TableId;
import dev.floe.core.config.PartitionField;
import dev.floe.core.row.Field;
import dev.floe.core.row.Row;
import dev.floe.core.row.Type;
import io.delta.standalone.types.DataType;
import io.delta.standalone.types.DateType;
import io.delta.standalone.types.IntegerType;
import io.delta.standalone.types.StringType;
import io.delta.standalone.types.StructField;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.apache.iceberg.transforms.Transforms;
import org.apache.iceberg.types.Types;

/**
 * A mapping's {@code partition-by} as Delta partition columns. Delta partitions by whole top-level
 * columns, so every entry but identity on a top-level column becomes a derived column that Floe
 * computes and adds to the table: {@code day(order_ts)} → {@code order_ts_day} (date), {@code year}
 * → {@code _year} (int), {@code month} → {@code _month} (string {@code 2024-05}), {@code hour} →
 * {@code _hour} (string {@code 2024-05-17-13}, UTC), {@code bucket[N]} → {@code _bucket} (int,
 * Iceberg's hash, so both formats bucket alike), {@code truncate[W]} → {@code _trunc}, and identity
 * on a nested {@code ctx.os} → {@code ctx_os}. Partition values live in the log, not in the files.
 */
final class DeltaPartitioning {
  private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH");

  /** One partition column: its name and type in the table, and where its value comes from. */
  record Column(String name, DataType type, PartitionField field, boolean derived) {}

  private final TableId id;
  private final List<Column> columns;

  private DeltaPartitioning(TableId id, List<Column> columns) {
    this.id = id;
    this.columns = List.copyOf(columns);
  }

  /** Checks the entries against the rows' schema and names the columns. */
  static DeltaPartitioning of(TableId id, List<PartitionField> fields, Type.Struct rowType) {
    List<Column> columns = new ArrayList<>();
    for (PartitionField f : fields) {
      Type source = source(id, f, rowType);
      check(id, f, source);
      boolean topLevelIdentity =
          f.transform() == PartitionField.Transform.IDENTITY && !f.column().contains(".");
      String name = topLevelIdentity ? f.column() : derivedName(f);
      if (!topLevelIdentity && rowType.indexOf(name) >= 0) {
        throw Errors.of(
            "Delta table "
                + id
                + ": partition entry '"
                + f
                + "' needs the derived column '"
                + name
                + "', but the rows already have a column of that name",
            "rename the source column or partition by another entry",
            null);
      }
      if (columns.stream().anyMatch(c -> c.name().equals(name))) {
        throw Errors.of(
            "Delta table " + id + ": partition entry '" + f + "' is listed twice",
            "list each partition entry once",
            null);
      }
      columns.add(new Column(name, columnType(f, source), f, !topLevelIdentity));
    }
    return new DeltaPartitioning(id, columns);
  }

  List<Column> columns() {
    return columns;
  }

  List<String> names() {
    return columns.stream().map(Column::name).toList();
  }

  /** The derived columns, to append to the table's schema. */
  List<StructField> derivedFields() {
    return columns.stream()
        .filter(Column::derived)
        .map(c -> new StructField(c.name(), c.type(), true))
        .toList();
  }

  /** Computes the partition values of rows of {@code rowType}, as Delta writes them. */
  Function<Row, List<String>> values(Type.Struct rowType) {
    if (columns.isEmpty()) { // no list per row for an unpartitioned table
      List<String> none = List.of();
      return row -> none;
    }
    List<Function<Row, String>> each = new ArrayList<>();
    for (Column c : columns) {
      int[] path = path(c.field().column(), rowType);
      Type source = source(id, c.field(), rowType);
      Function<Object, String> value = value(c.field(), source);
      each.add(
          row -> {
            Object v = read(row, path);
            return v == null ? null : value.apply(v);
          });
    }
    return row -> {
      List<String> values = new ArrayList<>(each.size());
      for (Function<Row, String> f : each) {
        values.add(f.apply(row));
      }
      return values;
    };
  }

  private static Object read(Row row, int[] path) {
    Object v = row;
    for (int p : path) {
      if (v == null) {
        return null;
      }
      v = ((Row) v).get(p);
    }
    return v;
  }

  private static int[] path(String column, Type.Struct rowType) {
    String[] names = column.split("\\.");
    int[] path = new int[names.length];
    Type.Struct struct = rowType;
    for (int i = 0; i < names.length; i++) {
      path[i] = struct.indexOf(names[i]);
      if (i + 1 < names.length) {
        struct = (Type.Struct) struct.fields().get(path[i]).type();
      }
    }
    return path;
  }

  private static Type source(TableId id, PartitionField f, Type.Struct rowType) {
    Type.Struct struct = rowType;
    String[] names = f.column().split("\\.");
    Field field = null;
    for (int i = 0; i < names.length; i++) {
      field = struct == null ? null : struct.field(names[i]);
      if (field == null) {
        throw Errors.of(
            "Delta table "
                + id
                + ": partition entry '"
                + f
                + "' names column '"
                + f.column()
                + "', which the rows do not have (or which sits inside a list or map)",
            "partition by a column of the source schema; name nested columns as parent.child",
            null);
      }
      struct = field.type() instanceof Type.Struct s ? s : null;
    }
    return field.type();
  }

  private static void check(TableId id, PartitionField f, Type source) {
    boolean ok =
        switch (f.transform()) {
          case IDENTITY -> identityFormat(source) != null;
          case YEAR, MONTH, DAY ->
              source == Type.Primitive.DATE
                  || source == Type.Primitive.TIMESTAMP
                  || source == Type.Primitive.TIMESTAMPTZ;
          case HOUR -> source == Type.Primitive.TIMESTAMP || source == Type.Primitive.TIMESTAMPTZ;
          case BUCKET -> icebergType(source) != null;
          case TRUNCATE ->
              source == Type.Primitive.INT
                  || source == Type.Primitive.LONG
                  || source == Type.Primitive.STRING
                  || source instanceof Type.Decimal;
        };
    if (!ok) {
      throw Errors.of(
          "Delta table "
              + id
              + ": partition entry '"
              + f
              + "' cannot apply "
              + f.transform().name().toLowerCase(Locale.ROOT)
              + " to column '"
              + f.column()
              + "' of type "
              + source,
          switch (f.transform()) {
            case IDENTITY ->
                "partition Delta tables by a boolean, number, string, date, uuid or decimal column;"
                    + " for timestamps use day(col) or hour(col)";
            case YEAR, MONTH, DAY -> "use a date or timestamp column";
            case HOUR -> "use a timestamp column";
            case TRUNCATE -> "use an int, long, decimal or string column";
            default -> "use a primitive column (not a struct, list or map)";
          },
          null);
    }
  }

  private static String derivedName(PartitionField f) {
    String base = f.column().replace('.', '_');
    return switch (f.transform()) {
      case IDENTITY -> base;
      case YEAR -> base + "_year";
      case MONTH -> base + "_month";
      case DAY -> base + "_day";
      case HOUR -> base + "_hour";
      case BUCKET -> base + "_bucket";
      case TRUNCATE -> base + "_trunc";
    };
  }

  private static DataType columnType(PartitionField f, Type source) {
    return switch (f.transform()) {
      case IDENTITY, TRUNCATE -> DeltaSchemas.toDelta(source);
      case YEAR, BUCKET -> new IntegerType();
      case DAY -> new DateType();
      case MONTH, HOUR -> new StringType();
    };
  }

  @SuppressWarnings("unchecked")
  private static Function<Object, String> value(PartitionField f, Type source) {
    org.apache.iceberg.types.Type type = icebergType(source);
    return switch (f.transform()) {
      case IDENTITY -> identityFormat(source);
      case YEAR -> v -> String.valueOf(1970 + (Integer) apply(Transforms.year(), type, v));
      case MONTH ->
          v ->
              YearMonth.of(1970, 1)
                  .plusMonths((Integer) apply(Transforms.month(), type, v))
                  .toString();
      case DAY -> v -> LocalDate.ofEpochDay((Integer) apply(Transforms.day(), type, v)).toString();
      case HOUR ->
          v ->
              HOUR.format(
                  LocalDateTime.ofEpochSecond(
                      3600L * (Integer) apply(Transforms.hour(), type, v), 0, ZoneOffset.UTC));
      case BUCKET -> v -> String.valueOf(apply(Transforms.bucket(f.parameter()), type, v));
      case TRUNCATE -> {
        Function<Object, String> format = identityFormat(source);
        yield v -> format.apply(apply(Transforms.truncate(f.parameter()), type, v));
      }
    };
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object apply(
      org.apache.iceberg.transforms.Transform transform,
      org.apache.iceberg.types.Type type,
      Object v) {
    return transform.bind(type).apply(v);
  }

  /** How an identity partition value is written, or null when Delta cannot partition by it. */
  private static Function<Object, String> identityFormat(Type source) {
    if (source instanceof Type.Decimal) {
      return v -> ((BigDecimal) v).toPlainString();
    }
    if (!(source instanceof Type.Primitive p)) {
      return null;
    }
    return switch (p) {
      case BOOLEAN, INT, LONG, FLOAT, DOUBLE, STRING, UUID -> Object::toString;
      case DATE -> v -> LocalDate.ofEpochDay((Integer) v).toString();
      case TIME -> v -> TimeOfDay.format((Long) v);
      default -> null; // timestamps (zone-dependent text), binary
    };
  }

  private static org.apache.iceberg.types.Type icebergType(Type source) {
    if (source instanceof Type.Decimal d) {
      return Types.DecimalType.of(d.precision(), d.scale());
    }
    if (source instanceof Type.Fixed x) {
      return Types.FixedType.ofLength(x.length());
    }
    if (!(source instanceof Type.Primitive p)) {
      return null;
    }
    return switch (p) {
      case BOOLEAN, FLOAT, DOUBLE -> null; // Iceberg neither buckets these
      case INT -> Types.IntegerType.get();
      case LONG -> Types.LongType.get();
      case STRING -> Types.StringType.get();
      case BINARY -> Types.BinaryType.get();
      case DATE -> Types.DateType.get();
      case TIME -> Types.TimeType.get();
      case TIMESTAMP -> Types.TimestampType.withoutZone();
      case TIMESTAMPTZ -> Types.TimestampType.withZone();
      case UUID -> Types.UUIDType.get();
    };
  }
}
