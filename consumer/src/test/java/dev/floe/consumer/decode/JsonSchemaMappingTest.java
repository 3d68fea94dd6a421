package dev.floe.consumer.decode;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.consumer.registry.RegisteredSchema;
import dev.floe.core.row.Field;
import dev.floe.core.row.Row;
import dev.floe.core.row.Type;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every JSON Schema mapping rule of docs/type-mapping-jsonschema.md: schema to row type, and
 * hand-written, hand-framed JSON payloads to values.
 */
class JsonSchemaMappingTest {
  private static final String DRAFT7 = "\"$schema\": \"http://json-schema.org/draft-07/schema#\"";
  private static final String V2020 =
      "\"$schema\": \"https://json-schema.org/draft/2020-12/schema\"";

  static PayloadDecoder compile(String schema) {
    return compile(schema, null);
  }

  static PayloadDecoder compile(String schema, String metadataColumn) {
    return new JsonSchemaFormat()
        .compile(new RegisteredSchema(7, "JSON", schema), null, metadataColumn);
  }

  /** The Confluent wire format by hand: magic byte 0, schema id 7 big-endian, the JSON. */
  static byte[] framed(String json) {
    byte[] body = json.getBytes(UTF_8);
    byte[] value = new byte[5 + body.length];
    value[4] = 7;
    System.arraycopy(body, 0, value, 5, body.length);
    return value;
  }

  static Object[] decode(PayloadDecoder decoder, String json) throws Exception {
    byte[] value = framed(json);
    assertThat(ConfluentFraming.schemaId(value)).isEqualTo(7);
    return decoder.decode(value, ConfluentFraming.PAYLOAD_OFFSET).values();
  }

  static String error(PayloadDecoder decoder, String json) {
    try {
      decoder.decode(framed(json), ConfluentFraming.PAYLOAD_OFFSET);
    } catch (Exception e) {
      return e.getMessage();
    }
    throw new AssertionError("decoded without error: " + json);
  }

  static Type.Struct type(PayloadDecoder decoder) throws Exception {
    return type(decoder, "{}");
  }

  static Type.Struct type(PayloadDecoder decoder, String json) throws Exception {
    return decoder.decode(framed(json), ConfluentFraming.PAYLOAD_OFFSET).type();
  }

  private static final String SCALARS =
      """
      {%s, "type": "object",
       "required": ["b", "l", "s"],
       "properties": {
         "b": {"type": "boolean"},
         "l": {"type": "integer", "description": "a long"},
         "i32": {"type": "integer", "connect.type": "int32"},
         "d": {"type": "number"},
         "f": {"type": "number", "connect.type": "float32"},
         "s": {"type": "string"},
         "day": {"type": "string", "format": "date"},
         "tod": {"type": "string", "format": "time"},
         "ts": {"type": "string", "format": "date-time"},
         "local_ts": {"type": "string", "format": "local-date-time"},
         "id": {"type": "string", "format": "uuid"},
         "raw": {"type": "string", "contentEncoding": "base64"},
         "raw2": {"type": "string", "format": "byte"},
         "price": {"type": "number", "format": "decimal", "precision": 10, "scale": 2},
         "price_text": {"type": "string", "format": "decimal", "precision": 38, "scale": 4},
         "color": {"enum": ["RED", "GREEN"]},
         "level": {"enum": [1, 2, 3]},
         "kind": {"const": "order"},
         "any": {},
         "loose": {"type": "object"},
         "field name with spaces": {"type": "string"}
       }}
      """;

  @Test
  void scalarsMapToTheirRowTypes() throws Exception {
    PayloadDecoder d = compile(SCALARS.formatted(DRAFT7));
    Object[] values =
        decode(
            d,
            """
            {"b": true, "l": 9007199254740993, "s": "x"}""");
    assertThat(decode(d, "{\"b\": true, \"l\": 1, \"s\": \"x\"}").length).isEqualTo(21);
    assertThat(values[1]).isEqualTo(9007199254740993L);
    assertThat(type(d, "{\"b\": true, \"l\": 1, \"s\": \"x\"}").fields())
        .containsExactly(
            Field.required("b", Type.Primitive.BOOLEAN),
            new Field("l", Type.Primitive.LONG, false, "a long", 0),
            Field.optional("i32", Type.Primitive.INT),
            Field.optional("d", Type.Primitive.DOUBLE),
            Field.optional("f", Type.Primitive.FLOAT),
            Field.required("s", Type.Primitive.STRING),
            Field.optional("day", Type.Primitive.DATE),
            Field.optional("tod", Type.Primitive.TIME),
            Field.optional("ts", Type.Primitive.TIMESTAMPTZ),
            Field.optional("local_ts", Type.Primitive.TIMESTAMP),
            Field.optional("id", Type.Primitive.UUID),
            Field.optional("raw", Type.Primitive.BINARY),
            Field.optional("raw2", Type.Primitive.BINARY),
            Field.optional("price", new Type.Decimal(10, 2)),
            Field.optional("price_text", new Type.Decimal(38, 4)),
            Field.optional("color", Type.Primitive.STRING),
            Field.optional("level", Type.Primitive.LONG),
            Field.optional("kind", Type.Primitive.STRING),
            Field.optional("any", Type.Primitive.STRING),
            Field.optional("loose", Type.Primitive.STRING),
            Field.optional("field_name_with_spaces", Type.Primitive.STRING));
  }

  @Test
  void scalarValuesUseTheRowModelRepresentation() throws Exception {
    PayloadDecoder d = compile(SCALARS.formatted(DRAFT7));
    UUID id = UUID.randomUUID();
    Object[] v =
        decode(
            d,
            """
            {"field name with spaces": "ok", "loose": {"a": [1, {"b": null}]}, "any": [true, 1.5],
             "kind": "order", "level": 2, "color": "GREEN", "price_text": "12345.6789",
             "price": 19.9, "raw2": "AAE=", "raw": "aGk=", "id": "%s",
             "local_ts": "2024-05-01T12:30:00.123456", "ts": "2024-05-01T14:30:00.5+02:00",
             "tod": "10:15:30.25", "day": "2024-05-01", "s": "héllo", "f": 1.5, "d": 2.25,
             "i32": 2147483647, "l": -9223372036854775808, "b": false}"""
                .formatted(id));
    assertThat(Arrays.asList(v))
        .containsExactly(
            false,
            Long.MIN_VALUE,
            Integer.MAX_VALUE,
            2.25d,
            1.5f,
            "héllo",
            (int) LocalDate.of(2024, 5, 1).toEpochDay(),
            LocalTime.of(10, 15, 30, 250_000_000).toNanoOfDay() / 1000,
            Instant.parse("2024-05-01T12:30:00.5Z").toEpochMilli() * 1000,
            Instant.parse("2024-05-01T12:30:00.123456Z").getEpochSecond() * 1_000_000 + 123456,
            id,
            ByteBuffer.wrap("hi".getBytes(UTF_8)),
            ByteBuffer.wrap(new byte[] {0, 1}),
            new BigDecimal("19.90"),
            new BigDecimal("12345.6789"),
            "GREEN",
            2L,
            "order",
            "[true,1.5]",
            "{\"a\":[1,{\"b\":null}]}",
            "ok");
  }

  @Test
  void timeWithOffsetIsMovedToUtc() throws Exception {
    PayloadDecoder d = compile(SCALARS.formatted(DRAFT7));
    Object[] v = decode(d, "{\"b\": true, \"l\": 1, \"s\": \"x\", \"tod\": \"10:15:30+02:00\"}");
    assertThat(v[7]).isEqualTo(LocalTime.of(8, 15, 30).toNanoOfDay() / 1000);
  }

  @Test
  void integralNumbersWithFractionZeroAreIntegers() throws Exception {
    PayloadDecoder d = compile(SCALARS.formatted(DRAFT7));
    assertThat(decode(d, "{\"b\": true, \"l\": 2.0, \"s\": \"x\"}")[1]).isEqualTo(2L);
    assertThat(decode(d, "{\"b\": true, \"l\": 1e3, \"s\": \"x\"}")[1]).isEqualTo(1000L);
  }

  @Test
  void propertiesMayComeInAnyOrderAndUnknownOnesAreIgnored() throws Exception {
    PayloadDecoder d = compile(SCALARS.formatted(DRAFT7));
    Object[] v =
        decode(
            d,
            "{\"extra\": {\"deep\": [1, 2]}, \"s\": \"x\", \"other\": 1, \"l\": 3, \"b\": true}");
    assertThat(v[0]).isEqualTo(true);
    assertThat(v[1]).isEqualTo(3L);
    assertThat(v[5]).isEqualTo("x");
  }

  @Test
  void nestedObjectsArraysMapsAndDefinitions() throws Exception {
    PayloadDecoder d =
        compile(
            """
            {%s, "type": "object", "required": ["order"],
             "definitions": {"Item": {"type": "object", "required": ["sku", "price"], "properties": {
               "sku": {"type": "string"}, "price": {"type": "number"}}}},
             "properties": {
               "order": {"type": "object", "properties": {
                 "items": {"type": "array", "items": {"$ref": "#/definitions/Item"}},
                 "tags": {"type": "array", "items": {"type": ["string", "null"]}},
                 "attrs": {"type": "object", "additionalProperties": {"type": "integer"}}}}}}
            """
                .formatted(DRAFT7));
    Type.Struct item =
        new Type.Struct(
            List.of(
                Field.required("sku", Type.Primitive.STRING),
                Field.required("price", Type.Primitive.DOUBLE)));
    Type.Struct order =
        new Type.Struct(
            List.of(
                Field.optional("items", new Type.ListType(item, false)),
                Field.optional("tags", new Type.ListType(Type.Primitive.STRING, true)),
                Field.optional(
                    "attrs", new Type.MapType(Type.Primitive.STRING, Type.Primitive.LONG, false))));
    Object[] v =
        decode(
            d,
            """
            {"order": {"items": [{"sku": "a", "price": 1.5}, {"price": 2, "sku": "b"}],
             "tags": ["x", null], "attrs": {"k1": 1, "k2": 2}}}""");
    assertThat(d.decode(framed("{\"order\": {}}"), 5).type().fields())
        .containsExactly(Field.required("order", order));
    Row o = (Row) v[0];
    assertThat(o.get(0)).isEqualTo(List.of(Row.wrap("a", 1.5), Row.wrap("b", 2.0)));
    assertThat(o.get(1)).isEqualTo(Arrays.asList("x", null));
    assertThat(o.get(2)).isEqualTo(Map.of("k1", 1L, "k2", 2L));
  }

  @Test
  void draft2020DefsPrefixItemsAndConst() throws Exception {
    PayloadDecoder d =
        compile(
            """
            {%s, "$ref": "#/$defs/Point",
             "$defs": {"Point": {"type": "object", "properties": {
               "xy": {"type": "array", "prefixItems": [{"type": "number"}, {"type": "number"}], "items": false},
               "pair": {"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}]},
               "version": {"const": 2}}}}}
            """
                .formatted(V2020));
    assertThat(type(d).fields())
        .containsExactly(
            Field.optional(
                "xy",
                new Type.Struct(
                    List.of(
                        Field.optional("item_0", Type.Primitive.DOUBLE),
                        Field.optional("item_1", Type.Primitive.DOUBLE)))),
            Field.optional(
                "pair",
                new Type.Struct(
                    List.of(
                        Field.optional("item_0", Type.Primitive.STRING),
                        Field.optional("item_1", Type.Primitive.LONG)))),
            Field.optional("version", Type.Primitive.LONG));
    Object[] v = decode(d, "{\"xy\": [1, 2.5], \"pair\": [\"a\", 1, \"ignored\"], \"version\": 2}");
    assertThat(Arrays.asList(v)).containsExactly(Row.wrap(1.0, 2.5), Row.wrap("a", 1L), 2L);
    assertThat(decode(d, "{\"pair\": [\"a\"]}")[1]).isEqualTo(Row.wrap("a", null));
    assertThat(error(d, "{\"xy\": [1, 2, 3]}"))
        .isEqualTo("xy: the tuple has more than 2 items, and the schema allows no more");
    assertThat(error(d, "{\"version\": 3}")).isEqualTo("version: 3 is not one of [2]");
  }

  @Test
  void draft07TupleItemsAndAdditionalItems() throws Exception {
    PayloadDecoder d =
        compile(
            """
            {%s, "type": "object", "properties": {
              "t": {"type": "array", "items": [{"type": "string"}], "additionalItems": false}}}
            """
                .formatted(DRAFT7));
    assertThat(decode(d, "{\"t\": [\"a\"]}")[0]).isEqualTo(Row.wrap("a"));
    assertThat(error(d, "{\"t\": [\"a\", \"b\"]}"))
        .isEqualTo("t: the tuple has more than 1 items, and the schema allows no more");
  }

  @Test
  void nullablePatternsBecomeOptionalColumns() throws Exception {
    PayloadDecoder d =
        compile(
            """
            {%s, "type": "object", "required": ["a", "b", "c", "e"],
             "$defs": {"Money": {"type": "object", "properties": {"amount": {"type": "number"}}}},
             "properties": {
               "a": {"type": ["string", "null"]},
               "b": {"oneOf": [{"type": "integer"}, {"type": "null"}]},
               "c": {"anyOf": [{"type": "null"}, {"$ref": "#/$defs/Money"}]},
               "e": {"enum": ["X", null]}}}
            """
                .formatted(V2020));
    assertThat(
            type(compile(
                    """
            {"type": "object", "properties": {"a": {"type": ["string", "null"]}}}"""))
                .fields())
        .containsExactly(Field.optional("a", Type.Primitive.STRING));
    PayloadDecoder same = d;
    Object[] v = decode(same, "{\"a\": null, \"b\": null, \"c\": null, \"e\": null}");
    assertThat(Arrays.asList(v)).containsExactly(null, null, null, null);
    Object[] w = decode(same, "{\"a\": \"s\", \"b\": 5, \"c\": {\"amount\": 1}, \"e\": \"X\"}");
    assertThat(Arrays.asList(w)).containsExactly("s", 5L, Row.wrap(1.0), "X");
    assertThat(error(same, "{\"a\": null, \"b\": null, \"c\": null}"))
        .isEqualTo("e: required property is missing");
  }

  @Test
  void otherUnionsBecomeAStructWithOneOptionalFieldPerBranch() throws Exception {
    PayloadDecoder d =
        compile(
            """
            {%s, "type": "object", "properties": {
              "id": {"type": ["string", "integer", "null"]},
              "payment": {"oneOf": [
                {"title": "card", "type": "object", "required": ["number"], "additionalProperties": false,
                 "properties": {"number": {"type": "string"}}},
                {"$ref": "#/definitions/Iban"},
                {"type": "number"}]}},
             "definitions": {"Iban": {"type": "object", "required": ["iban"],
               "properties": {"iban": {"type": "string"}}}}}
            """
                .formatted(DRAFT7));
    assertThat(type(d).fields())
        .containsExactly(
            Field.optional(
                "id",
                new Type.Struct(
                    List.of(
                        Field.optional("string", Type.Primitive.STRING),
                        Field.optional("integer", Type.Primitive.LONG)))),
            Field.optional(
                "payment",
                new Type.Struct(
                    List.of(
                        Field.optional(
                            "card",
                            new Type.Struct(
                                List.of(Field.required("number", Type.Primitive.STRING)))),
                        Field.optional(
                            "Iban",
                            new Type.Struct(
                                List.of(Field.required("iban", Type.Primitive.STRING)))),
                        Field.optional("number", Type.Primitive.DOUBLE)))));
    assertThat(Arrays.asList(decode(d, "{\"id\": \"a\", \"payment\": {\"number\": \"4111\"}}")))
        .containsExactly(Row.wrap("a", null), Row.wrap(Row.wrap("4111"), null, null));
    assertThat(Arrays.asList(decode(d, "{\"id\": 7, \"payment\": {\"iban\": \"DE00\"}}")))
        .containsExactly(Row.wrap(null, 7L), Row.wrap(null, Row.wrap("DE00"), null));
    assertThat(Arrays.asList(decode(d, "{\"id\": null, \"payment\": 2.5}")))
        .containsExactly(null, Row.wrap(null, null, 2.5));
    assertThat(error(d, "{\"id\": true}"))
        .isEqualTo("id: a boolean matches none of the branches string, integer");
    assertThat(error(d, "{\"payment\": {\"other\": 1}}"))
        .isEqualTo(
            "payment: the value matches none of the branches card, Iban, number (last: iban: required property is missing)");
  }

  @Test
  void allOfObjectsMergeIntoOneStruct() throws Exception {
    PayloadDecoder d =
        compile(
            """
            {%s, "definitions": {"Base": {"type": "object", "required": ["id"],
               "properties": {"id": {"type": "integer"}}}},
             "allOf": [{"$ref": "#/definitions/Base"},
               {"type": "object", "properties": {"name": {"type": "string"}}}]}
            """
                .formatted(DRAFT7));
    assertThat(
            type(
                    compile(
                        """
            {"allOf": [{"type": "object", "properties": {"id": {"type": "integer"}}},
              {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}]}"""),
                    "{\"name\": \"n\"}")
                .fields())
        .containsExactly(
            Field.optional("id", Type.Primitive.LONG),
            Field.required("name", Type.Primitive.STRING));
    assertThat(Arrays.asList(decode(d, "{\"name\": \"n\", \"id\": 1}"))).containsExactly(1L, "n");
  }

  @Test
  void defaultsFillAbsentOptionalProperties() throws Exception {
    PayloadDecoder d =
        compile(
            """
            {"type": "object", "properties": {
              "n": {"type": ["integer", "null"], "default": 5},
              "s": {"type": "string", "default": "none"},
              "day": {"type": "string", "format": "date", "default": "1970-01-02"}}}
            """);
    assertThat(Arrays.asList(decode(d, "{}"))).containsExactly(5L, "none", 1);
    assertThat(Arrays.asList(decode(d, "{\"n\": null, \"s\": \"x\"}")))
        .containsExactly(null, "x", 1);
  }

  @Test
  void closedObjectsRejectUnknownProperties() throws Exception {
    PayloadDecoder d =
        compile(
            """
            {"type": "object", "additionalProperties": false, "properties": {"a": {"type": "string"}}}
            """);
    assertThat(error(d, "{\"a\": \"x\", \"b\": 1}"))
        .isEqualTo("b: unknown property (the schema says additionalProperties: false)");
  }

  @Test
  void metadataColumnGetsTheLastSlot() throws Exception {
    PayloadDecoder d =
        compile(
            "{\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"string\"}}}", "_kafka");
    PayloadDecoder.Decoded decoded = d.decode(framed("{\"a\": \"x\"}"), 5);
    assertThat(decoded.values()).containsExactly("x", null);
    assertThat(decoded.type().fields()).extracting(Field::name).containsExactly("a", "_kafka");
  }

  @Test
  void recursiveReferencesAreRejectedByName() {
    assertThatThrownBy(
            () ->
                compile(
                    """
                    {"$ref": "#/definitions/Node", "definitions": {"Node": {"type": "object",
                      "properties": {"children": {"type": "array", "items": {"$ref": "#/definitions/Node"}}}}}}
                    """))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "children[]: definition 'Node' contains itself (via #/definitions/Node); recursive schemas cannot become table columns");
  }

  @Test
  void schemasThatCannotBecomeTablesAreRejected() {
    assertThatThrownBy(() -> compile("{\"type\": \"array\", \"items\": {\"type\": \"string\"}}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "the value schema is not an object with properties; only objects become table rows");
    assertThatThrownBy(
            () ->
                compile(
                    "{\"type\": \"object\", \"properties\": {\"o\": {\"type\": \"object\", \"properties\": {\"x\": {\"type\": \"null\"}}}}}"))
        .hasMessage("o.x: a field of type null cannot become a column");
    assertThatThrownBy(
            () ->
                compile(
                    "{\"type\": \"object\", \"properties\": {\"r\": {\"$ref\": \"other.json\"}}}"))
        .hasMessage(
            "r: $ref 'other.json' is neither local (#/...) nor the name of one of the schema's registry references []");
    assertThatThrownBy(
            () ->
                compile("{\"type\": \"object\", \"properties\": {\"e\": {\"enum\": [1, \"a\"]}}}"))
        .hasMessage(
            "e: enum/const values [1, \"a\"] must be all strings, all integers or all booleans");
  }

  @Test
  void badInputNamesTheFieldPathAndTheCause() {
    PayloadDecoder d =
        compile(
            """
            {"type": "object", "required": ["order"], "properties": {
              "order": {"type": "object", "required": ["id"], "properties": {
                "id": {"type": "integer"},
                "small": {"type": "integer", "connect.type": "int32"},
                "at": {"type": "string", "format": "date-time"},
                "day": {"type": "string", "format": "date"},
                "tod": {"type": "string", "format": "time"},
                "uid": {"type": "string", "format": "uuid"},
                "bin": {"type": "string", "contentEncoding": "base64"},
                "amount": {"type": "number", "format": "decimal", "precision": 5, "scale": 2},
                "color": {"enum": ["RED"]},
                "items": {"type": "array", "items": {"type": "object", "properties": {
                  "price": {"type": "number"}}}}}}}}
            """);
    assertThat(error(d, "{\"order\": {\"id\": \"7\"}}"))
        .isEqualTo("order.id: expected an integer, got a string");
    assertThat(error(d, "{\"order\": {}}")).isEqualTo("order.id: required property is missing");
    assertThat(error(d, "{}")).isEqualTo("order: required property is missing");
    assertThat(error(d, "{\"order\": {\"id\": null}}"))
        .isEqualTo("order.id: expected an integer, got null");
    assertThat(error(d, "{\"order\": {\"id\": 12345678901234567890}}"))
        .isEqualTo("order.id: 12345678901234567890 is out of range for a 64-bit integer");
    assertThat(error(d, "{\"order\": {\"id\": 1.5}}")).isEqualTo("order.id: 1.5 is not an integer");
    assertThat(error(d, "{\"order\": {\"id\": 1, \"small\": 2147483648}}"))
        .isEqualTo("order.small: 2147483648 is out of range for a 32-bit integer");
    assertThat(error(d, "{\"order\": {\"id\": 1, \"at\": \"2024-05-01T12:30:00\"}}"))
        .isEqualTo(
            "order.at: '2024-05-01T12:30:00' has no UTC offset, which format date-time (RFC 3339)"
                + " requires; declare format local-date-time for timestamps without zone");
    assertThat(error(d, "{\"order\": {\"id\": 1, \"at\": \"yesterday\"}}"))
        .isEqualTo(
            "order.at: 'yesterday' is not a date-time (format date-time: RFC 3339, e.g. 2024-05-01T12:30:00Z)");
    assertThat(error(d, "{\"order\": {\"id\": 1, \"day\": \"2024-02-30\"}}"))
        .isEqualTo("order.day: '2024-02-30' is not a date (format date: yyyy-mm-dd)");
    assertThat(error(d, "{\"order\": {\"id\": 1, \"tod\": \"25:00\"}}"))
        .isEqualTo("order.tod: '25:00' is not a time (format time: hh:mm:ss[.ffffff][Z|+hh:mm])");
    assertThat(error(d, "{\"order\": {\"id\": 1, \"uid\": \"1-2-3-4-5\"}}"))
        .isEqualTo("order.uid: '1-2-3-4-5' is not a uuid (format uuid)");
    assertThat(error(d, "{\"order\": {\"id\": 1, \"bin\": \"**\"}}"))
        .startsWith("order.bin: malformed JSON: ")
        .contains("base64");
    assertThat(error(d, "{\"order\": {\"id\": 1, \"amount\": 1.234}}"))
        .isEqualTo("order.amount: 1.234 has more than 2 fractional digits");
    assertThat(error(d, "{\"order\": {\"id\": 1, \"amount\": 1234.5}}"))
        .isEqualTo("order.amount: 1234.50 does not fit decimal(5,2)");
    assertThat(error(d, "{\"order\": {\"id\": 1, \"color\": \"BLUE\"}}"))
        .isEqualTo("order.color: 'BLUE' is not one of [\"RED\"]");
    assertThat(
            error(
                d,
                "{\"order\": {\"id\": 1, \"items\": [{\"price\": 1}, {\"price\": 2}, {\"price\": \"x\"}]}}"))
        .isEqualTo("order.items[2].price: expected a number, got a string");
    assertThat(error(d, "{\"order\": {\"id\": 1}} x"))
        .startsWith("malformed JSON: Unrecognized token 'x'");
    assertThat(error(d, "{\"order\": {\"id\": 1}} {}"))
        .isEqualTo("unexpected content after the value: an object");
    assertThat(error(d, "{\"order\": {\"id\": 1, \"items\": [{\"price\": 1"))
        .isEqualTo(
            "order.items[0]: malformed JSON: Unexpected end-of-input: expected close marker for Object");
    assertThat(error(d, "")).isEqualTo("the payload holds no JSON value");
    assertThat(error(d, "[1]")).isEqualTo("expected an object, got an array");
  }

  @Test
  void dateTimeFastPathAgreesWithJavaTime() throws Exception {
    PayloadDecoder d =
        compile(
            "{\"type\": \"object\", \"properties\": {\"ts\": {\"type\": \"string\", \"format\": \"date-time\"}}}");
    for (String ts :
        List.of(
            "2024-05-01T12:30:00Z",
            "2024-05-01t12:30:00.1z",
            "1969-12-31T23:59:59.999999-01:30",
            "2024-02-29T00:00:00.123456789+14:00",
            "0001-01-01T00:00:00Z",
            "2024-05-01T12:30Z",
            "+10000-01-01T00:00:00Z")) {
      java.time.OffsetDateTime expected =
          java.time.OffsetDateTime.parse(
              ts, java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME);
      assertThat(decode(d, "{\"ts\": \"" + ts + "\"}")[0])
          .as(ts)
          .isEqualTo(expected.toEpochSecond() * 1_000_000L + expected.getNano() / 1000);
    }
    assertThat(error(d, "{\"ts\": \"2023-02-29T00:00:00Z\"}"))
        .isEqualTo(
            "ts: '2023-02-29T00:00:00Z' is not a date-time (format date-time: RFC 3339, e.g. 2024-05-01T12:30:00Z)");
  }

  @Test
  void validationOnlyKeywordsDoNotShapeColumns() throws Exception {
    PayloadDecoder d =
        compile(
            """
            {"type": "object",
             "oneOf": [{"required": ["a"]}, {"required": ["b"]}],
             "allOf": [{"type": "object", "properties": {"a": {"type": "string"}}},
                       {"type": "object", "properties": {"a": {"type": "integer", "minimum": 0}}}],
             "properties": {
               "b": {"type": "string", "maxLength": 1, "pattern": "^x$"},
               "free": {"type": "array"},
               "tiny": {"type": "integer", "connect.type": "int8"}}}
            """);
    assertThat(type(d).fields())
        .containsExactly(
            Field.optional("a", Type.Primitive.LONG),
            Field.optional("b", Type.Primitive.STRING),
            Field.optional("free", new Type.ListType(Type.Primitive.STRING, true)),
            Field.optional("tiny", Type.Primitive.INT));
    assertThat(
            Arrays.asList(
                decode(d, "{\"a\": -1, \"b\": \"long\", \"free\": [1, \"x\", null], \"tiny\": 3}")))
        .containsExactly(-1L, "long", Arrays.asList("1", "\"x\"", null), 3);
  }
}
