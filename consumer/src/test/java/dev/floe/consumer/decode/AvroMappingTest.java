package dev.floe.consumer.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.core.row.Field;
import dev.floe.core.row.Row;
import dev.floe.core.row.Type;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.apache.avro.Conversions;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;

/**
 * Every Avro type the walking skeleton maps, encoded by Avro's own writer and read back as rows.
 */
class AvroMappingTest {
  private static final Schema SCHEMA =
      new Schema.Parser()
          .parse(
              """
      {"type": "record", "name": "Everything", "namespace": "test", "fields": [
        {"name": "b", "type": "boolean"},
        {"name": "i", "type": "int"},
        {"name": "l", "type": "long"},
        {"name": "f", "type": "float"},
        {"name": "d", "type": "double"},
        {"name": "s", "type": "string", "doc": "a string"},
        {"name": "bytes", "type": "bytes"},
        {"name": "fx", "type": {"type": "fixed", "name": "Four", "size": 4}},
        {"name": "color", "type": {"type": "enum", "name": "Color", "symbols": ["RED", "GREEN"]}},
        {"name": "dec_bytes", "type": {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 2}},
        {"name": "dec_fixed", "type": {"type": "fixed", "name": "D38", "size": 16, "logicalType": "decimal", "precision": 38, "scale": 9}},
        {"name": "id", "type": {"type": "string", "logicalType": "uuid"}},
        {"name": "day", "type": {"type": "int", "logicalType": "date"}},
        {"name": "t_ms", "type": {"type": "int", "logicalType": "time-millis"}},
        {"name": "t_us", "type": {"type": "long", "logicalType": "time-micros"}},
        {"name": "ts_ms", "type": {"type": "long", "logicalType": "timestamp-millis"}},
        {"name": "ts_us", "type": {"type": "long", "logicalType": "timestamp-micros"}},
        {"name": "ts_ns", "type": {"type": "long", "logicalType": "timestamp-nanos"}},
        {"name": "lts_ms", "type": {"type": "long", "logicalType": "local-timestamp-millis"}},
        {"name": "lts_us", "type": {"type": "long", "logicalType": "local-timestamp-micros"}},
        {"name": "opt", "type": ["null", "string"], "default": null},
        {"name": "opt_last", "type": ["long", "null"]},
        {"name": "choice", "type": ["null", "int", "string"]},
        {"name": "nested", "type": {"type": "record", "name": "Inner", "fields": [
          {"name": "x", "type": "int"}, {"name": "tags", "type": {"type": "array", "items": "string"}}]}},
        {"name": "inners", "type": {"type": "array", "items": "Inner"}},
        {"name": "counts", "type": {"type": "map", "values": ["null", "long"]}}
      ]}""");

  @Test
  void mapsEveryTypeToTheRowModel() {
    Type.Struct struct = (Type.Struct) AvroMapping.record(SCHEMA, 0).type();

    assertThat(struct.field("b")).isEqualTo(new Field("b", Type.Primitive.BOOLEAN, false, null, 0));
    assertThat(struct.field("s").doc()).isEqualTo("a string");
    assertThat(struct.field("bytes").type()).isEqualTo(Type.Primitive.BINARY);
    assertThat(struct.field("fx").type()).isEqualTo(new Type.Fixed(4));
    assertThat(struct.field("color").type()).isEqualTo(Type.Primitive.STRING);
    assertThat(struct.field("dec_bytes").type()).isEqualTo(new Type.Decimal(10, 2));
    assertThat(struct.field("dec_fixed").type()).isEqualTo(new Type.Decimal(38, 9));
    assertThat(struct.field("id").type()).isEqualTo(Type.Primitive.UUID);
    assertThat(struct.field("day").type()).isEqualTo(Type.Primitive.DATE);
    assertThat(struct.field("t_ms").type()).isEqualTo(Type.Primitive.TIME);
    assertThat(struct.field("t_us").type()).isEqualTo(Type.Primitive.TIME);
    assertThat(struct.field("ts_ms").type()).isEqualTo(Type.Primitive.TIMESTAMPTZ);
    assertThat(struct.field("ts_ns").type()).isEqualTo(Type.Primitive.TIMESTAMPTZ);
    assertThat(struct.field("lts_ms").type()).isEqualTo(Type.Primitive.TIMESTAMP);
    assertThat(struct.field("opt")).isEqualTo(Field.optional("opt", Type.Primitive.STRING));
    assertThat(struct.field("opt_last")).isEqualTo(Field.optional("opt_last", Type.Primitive.LONG));
    assertThat(struct.field("choice"))
        .isEqualTo(
            Field.optional(
                "choice",
                new Type.Struct(
                    List.of(
                        Field.optional("int", Type.Primitive.INT),
                        Field.optional("string", Type.Primitive.STRING)))));
    Type.Struct inner =
        new Type.Struct(
            List.of(
                Field.required("x", Type.Primitive.INT),
                Field.required("tags", new Type.ListType(Type.Primitive.STRING, false))));
    assertThat(struct.field("nested").type()).isEqualTo(inner);
    assertThat(struct.field("inners").type()).isEqualTo(new Type.ListType(inner, false));
    assertThat(struct.field("counts").type())
        .isEqualTo(new Type.MapType(Type.Primitive.STRING, Type.Primitive.LONG, true));
  }

  @Test
  void readsAvroBinaryIntoInternalValueRepresentation() throws Exception {
    UUID uuid = UUID.randomUUID();
    Instant ts = Instant.parse("2026-11-21T10:15:30.123456789Z");
    GenericRecord inner = new GenericData.Record(SCHEMA.getField("nested").schema());
    inner.put("x", 7);
    inner.put("tags", List.of("a", "b"));
    GenericRecord rec = new GenericData.Record(SCHEMA);
    rec.put("b", true);
    rec.put("i", -5);
    rec.put("l", 1L << 40);
    rec.put("f", 1.5f);
    rec.put("d", 2.25);
    rec.put("s", "héllo");
    rec.put("bytes", ByteBuffer.wrap(new byte[] {1, 2, 3}));
    rec.put("fx", new GenericData.Fixed(SCHEMA.getField("fx").schema(), new byte[] {9, 8, 7, 6}));
    rec.put("color", new GenericData.EnumSymbol(SCHEMA.getField("color").schema(), "GREEN"));
    Conversions.DecimalConversion dc = new Conversions.DecimalConversion();
    Schema decBytes = SCHEMA.getField("dec_bytes").schema();
    rec.put(
        "dec_bytes",
        dc.toBytes(new BigDecimal("-12345678.91"), decBytes, decBytes.getLogicalType()));
    Schema decFixed = SCHEMA.getField("dec_fixed").schema();
    BigDecimal big = new BigDecimal("12345678901234567890123456789.123456789");
    rec.put("dec_fixed", dc.toFixed(big, decFixed, decFixed.getLogicalType()));
    rec.put("id", uuid.toString());
    rec.put("day", (int) LocalDate.of(2026, 11, 21).toEpochDay());
    rec.put("t_ms", 3_600_000 + 1);
    rec.put("t_us", 3_600_000_001L);
    rec.put("ts_ms", ts.toEpochMilli());
    rec.put("ts_us", ts.getEpochSecond() * 1_000_000 + ts.getNano() / 1000);
    rec.put("ts_ns", ts.getEpochSecond() * 1_000_000_000 + ts.getNano());
    rec.put("lts_ms", ts.toEpochMilli());
    rec.put("lts_us", 5L);
    rec.put("opt", null);
    rec.put("opt_last", 42L);
    rec.put("choice", "two");
    rec.put("nested", inner);
    rec.put("inners", List.of(inner, inner));
    java.util.HashMap<String, Long> counts = new java.util.HashMap<>();
    counts.put("k", 1L);
    counts.put("none", null);
    rec.put("counts", counts);

    Object[] values = read(rec, 1);

    long micros = ts.getEpochSecond() * 1_000_000 + ts.getNano() / 1000;
    assertThat(values).hasSize(SCHEMA.getFields().size() + 1);
    assertThat(values[values.length - 1]).as("slot left for the metadata column").isNull();
    Row row = Row.wrap(values);
    Type.Struct struct = (Type.Struct) AvroMapping.record(SCHEMA, 0).type();
    java.util.function.Function<String, Object> v = name -> row.get(struct.indexOf(name));
    assertThat(v.apply("b")).isEqualTo(true);
    assertThat(v.apply("i")).isEqualTo(-5);
    assertThat(v.apply("l")).isEqualTo(1L << 40);
    assertThat(v.apply("f")).isEqualTo(1.5f);
    assertThat(v.apply("d")).isEqualTo(2.25);
    assertThat(v.apply("s").toString()).isEqualTo("héllo");
    assertThat(v.apply("bytes")).isEqualTo(ByteBuffer.wrap(new byte[] {1, 2, 3}));
    assertThat(v.apply("fx")).isEqualTo(ByteBuffer.wrap(new byte[] {9, 8, 7, 6}));
    assertThat(v.apply("color")).isEqualTo("GREEN");
    assertThat(v.apply("s")).as("strings stay UTF-8 bytes").isInstanceOf(Utf8.class);
    assertThat(v.apply("dec_bytes")).isEqualTo(new BigDecimal("-12345678.91"));
    assertThat(v.apply("dec_fixed")).isEqualTo(big);
    assertThat(v.apply("id")).isEqualTo(uuid);
    assertThat(v.apply("day")).isEqualTo((int) LocalDate.of(2026, 11, 21).toEpochDay());
    assertThat(v.apply("t_ms")).isEqualTo(3_600_001_000L);
    assertThat(v.apply("t_us")).isEqualTo(3_600_000_001L);
    assertThat(v.apply("ts_ms")).isEqualTo(ts.toEpochMilli() * 1000);
    assertThat(v.apply("ts_us")).isEqualTo(micros);
    assertThat(v.apply("ts_ns")).as("nanos truncated to micros").isEqualTo(micros);
    assertThat(v.apply("lts_ms")).isEqualTo(ts.toEpochMilli() * 1000);
    assertThat(v.apply("opt")).isNull();
    assertThat(v.apply("opt_last")).isEqualTo(42L);
    assertThat(v.apply("choice")).isEqualTo(Row.wrap(null, new Utf8("two")));
    Row nested = Row.wrap(7, List.of(new Utf8("a"), new Utf8("b")));
    assertThat(v.apply("nested")).isEqualTo(nested);
    assertThat(v.apply("inners")).isEqualTo(List.of(nested, nested));
    assertThat(v.apply("counts")).isEqualTo(counts);
  }

  @Test
  void negativeTimestampsBeforeEpochTruncateTowardThePast() throws Exception {
    Schema s =
        new Schema.Parser()
            .parse(
                """
        {"type":"record","name":"R","fields":[{"name":"t","type":{"type":"long","logicalType":"timestamp-nanos"}}]}""");
    GenericRecord r = new GenericData.Record(s);
    r.put("t", -1L);
    assertThat(read(r, 0)[0]).isEqualTo(-1L);
  }

  @Test
  void badPayloadsNameTheFieldPathAndTheCause() throws Exception {
    Schema v1 =
        new Schema.Parser()
            .parse(
                """
        {"type":"record","name":"Order","fields":[
          {"name":"id","type":"long"},
          {"name":"shipping","type":{"type":"record","name":"Address","fields":[
            {"name":"status","type":{"type":"enum","name":"S","symbols":["A","B","C"]}}]}}]}""");
    Schema narrower = new Schema.Parser().parse(v1.toString().replace("\"B\",\"C\"", "\"B\""));
    GenericRecord address = new GenericData.Record(v1.getField("shipping").schema());
    address.put(
        "status",
        new GenericData.EnumSymbol(
            v1.getField("shipping").schema().getField("status").schema(), "C"));
    GenericRecord order = new GenericData.Record(v1);
    order.put("id", 7L);
    order.put("shipping", address);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(v1).write(order, enc);
    enc.flush();
    byte[] bytes = out.toByteArray();
    AvroMapping.ValueReader reader = AvroMapping.record(narrower, 0).reader();

    assertThatThrownBy(() -> reader.read(DecoderFactory.get().binaryDecoder(bytes, null)))
        .hasMessage("shipping.status: enum symbol number 2 is not in S (it has 2 symbols)");
    AvroMapping.ValueReader full = AvroMapping.record(v1, 0).reader();
    assertThatThrownBy(() -> full.read(DecoderFactory.get().binaryDecoder(bytes, 0, 1, null)))
        .hasMessageStartingWith("shipping.status: the payload ends before this field");
  }

  @Test
  void recursiveSchemasAreRejectedWithTheRecordName() {
    Schema s =
        new Schema.Parser()
            .parse(
                """
        {"type":"record","name":"Node","fields":[{"name":"next","type":["null","Node"]}]}""");
    assertThatThrownBy(() -> AvroMapping.record(s, 0)).hasMessageContaining("Node contains itself");
  }

  @Test
  void nonRecordValueSchemasAreRejected() {
    assertThatThrownBy(() -> AvroMapping.record(Schema.create(Schema.Type.STRING), 0))
        .hasMessageContaining("only records become table rows");
  }

  private static Object[] read(GenericRecord rec, int extraSlots) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(rec.getSchema()).write(rec, enc);
    enc.flush();
    byte[] bytes = out.toByteArray();
    return (Object[])
        AvroMapping.record(rec.getSchema(), extraSlots)
            .reader()
            .read(DecoderFactory.get().binaryDecoder(bytes, null));
  }
}
