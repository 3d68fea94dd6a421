package dev.floe.consumer.decode;

import dev.floe.core.BadRecordException.Stage;
import dev.floe.core.Errors;
import dev.floe.core.SourcePosition;
import dev.floe.core.config.TableMapping;
import dev.floe.core.row.Field;
import dev.floe.core.row.Row;
import dev.floe.core.row.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns Debezium change events into upserts and deletes. The envelope ({@code before}, {@code
 * after}, {@code op}, {@code source}, {@code ts_ms}, in any of the formats) is decoded like any
 * value; the table's row is the {@code after} struct (plus {@code __op} and {@code __ts_ms} when
 * the mapping keeps them, as Debezium's ExtractNewRecordState names them) and the metadata column.
 * Thread-safe.
 */
final class CdcEvents {
  static final String OP_COLUMN = "__op";
  static final String TS_COLUMN = "__ts_ms";

  /** How events of one envelope type become rows and keys. */
  private record Plan(
      int before,
      int after,
      int op,
      int ts,
      boolean metadata,
      Type.Struct rowType,
      Type.Struct keyType,
      int[] keyPositions,
      boolean keepOp) {}

  private final Map<KeyedRows.Shape, Plan> plans = new ConcurrentHashMap<>();

  /**
   * The change an envelope describes. A delete whose {@code before} is null takes its key from
   * {@code kafkaKey}.
   *
   * @throws dev.floe.core.BadRecordException for an unknown {@code op}, a create or update without
   *     {@code after}, or a value that is not an envelope
   */
  Change apply(
      ConsumerRecord<byte[], byte[]> record,
      TableMapping mapping,
      DecodedRecord envelope,
      java.util.function.Supplier<DecodedKey> kafkaKey) {
    KeyedRows.Shape shape = new KeyedRows.Shape(mapping, envelope.schema(), null);
    Plan plan = plans.get(shape);
    if (plan == null) {
      plan = plan(record, mapping, envelope);
      plans.putIfAbsent(shape, plan);
    }
    Row e = envelope.row();
    Object opValue = e.get(plan.op());
    String op = opValue == null ? null : opValue.toString();
    if (op == null) {
      throw bad(record, "the change event has no op", null);
    }
    switch (op) {
      case "c", "r", "u" -> {
        Row after = (Row) e.get(plan.after());
        if (after == null) {
          throw bad(record, "a change event with op '" + op + "' has no after row", null);
        }
        return new Change(
            new DecodedRecord(plan.rowType(), row(plan, e, after, op), envelope.schemaId()), null);
      }
      case "d" -> {
        Row before = plan.before() < 0 ? null : (Row) e.get(plan.before());
        if (before == null || plan.keyPositions() == null) {
          return new Change(null, kafkaKey.get());
        }
        Object[] key = new Object[plan.keyPositions().length];
        for (int i = 0; i < key.length; i++) {
          key[i] = before.get(plan.keyPositions()[i]);
        }
        return new Change(null, new DecodedKey(plan.keyType(), Row.wrap(key)));
      }
      default ->
          throw bad(
              record,
              "the change event's op '"
                  + op
                  + "' is not one Floe applies (c create, r snapshot read, u update, d delete)"
                  + (op.equals("t") ? "; 't' is a truncate, which would empty the table" : ""),
              "filter such events out before Floe (Debezium: skipped.operations) or route the topic to"
                  + " an append table");
    }
  }

  private static Row row(Plan plan, Row envelope, Row after, String op) {
    int n = plan.rowType().fields().size();
    Object[] values = new Object[n];
    int afterSize = after.size();
    for (int i = 0; i < afterSize; i++) {
      values[i] = after.get(i);
    }
    int next = afterSize;
    if (plan.keepOp()) {
      values[next++] = op;
      values[next++] = plan.ts() < 0 ? null : envelope.get(plan.ts());
    }
    if (plan.metadata()) {
      values[next] = envelope.get(envelope.size() - 1);
    }
    return Row.wrap(values);
  }

  private static Plan plan(
      ConsumerRecord<byte[], byte[]> record, TableMapping mapping, DecodedRecord envelope) {
    Type.Struct type = envelope.schema();
    int before = type.indexOf("before");
    int after = type.indexOf("after");
    int op = type.indexOf("op");
    int ts = type.indexOf("ts_ms");
    if (after < 0
        || op < 0
        || !(type.fields().get(after).type() instanceof Type.Struct afterType)) {
      throw bad(
          record,
          "mode: cdc needs a Debezium change event (fields before, after, op), but schema id "
              + envelope.schemaId()
              + " has fields "
              + type.fields().stream().map(Field::name).toList(),
          "produce Debezium envelopes (no ExtractNewRecordState unwrapping), or use mode: upsert for"
              + " plain rows");
    }
    List<Field> fields = new ArrayList<>(afterType.fields());
    if (mapping.cdcKeepOp()) {
      fields.add(new Field(OP_COLUMN, Type.Primitive.STRING, true, "Debezium op: c, r, u", 0));
      fields.add(new Field(TS_COLUMN, Type.Primitive.LONG, true, "Debezium ts_ms of the event", 0));
    }
    String column = mapping.kafkaMetadataColumn();
    boolean metadata = column != null;
    if (metadata) {
      fields.add(type.fields().get(type.fields().size() - 1));
    }
    for (Field f : afterType.fields()) {
      if (f.name().equalsIgnoreCase(OP_COLUMN) && mapping.cdcKeepOp()
          || f.name().equalsIgnoreCase(TS_COLUMN) && mapping.cdcKeepOp()
          || metadata && f.name().equalsIgnoreCase(column)) {
        throw bad(
            record,
            "the source table has a column '" + f.name() + "', a name Floe adds itself",
            "turn off cdc.keep-op or rename the metadata column (kafka-metadata.column)");
      }
    }
    int[] keyPositions = null;
    Type.Struct keyType = null;
    Type beforeType = before < 0 ? null : type.fields().get(before).type();
    if (beforeType instanceof Type.Struct b) {
      List<String> columns = mapping.key().columns();
      keyPositions = new int[columns.size()];
      List<Field> keyFields = new ArrayList<>();
      for (int i = 0; i < columns.size(); i++) {
        keyPositions[i] = b.indexOf(columns.get(i));
        if (keyPositions[i] < 0) {
          throw bad(
              record,
              "the change event's before row has no key column '" + columns.get(i) + "'",
              "set key.columns to the source table's primary key columns");
        }
        keyFields.add(b.fields().get(keyPositions[i]));
      }
      keyType = new Type.Struct(keyFields);
    }
    return new Plan(
        before,
        after,
        op,
        ts,
        metadata,
        new Type.Struct(fields),
        keyType,
        keyPositions,
        mapping.cdcKeepOp());
  }

  private static dev.floe.core.BadRecordException bad(
      ConsumerRecord<byte[], byte[]> r, String problem, String fix) {
    return Errors.badRecord(
        new SourcePosition(r.topic(), r.partition(), r.offset()),
        Stage.CONVERT,
        problem,
        fix,
        null);
  }
}
