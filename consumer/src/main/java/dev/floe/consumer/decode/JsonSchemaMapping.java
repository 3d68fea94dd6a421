package dev.floe.consumer.decode;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.floe.consumer.decode.JsonSchemaDocuments.Doc;
import dev.floe.core.row.Field;
import dev.floe.core.row.Row;
import dev.floe.core.row.Type;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Maps a JSON schema (draft-07 or 2020-12) to Floe's row type and, in the same walk, compiles
 * readers that parse JSON straight into the row model. The rules are those of {@code
 * docs/type-mapping-jsonschema.md}. Keywords that only validate (minimum, pattern, if/then/else,
 * not, ...) are ignored: the readers check JSON kinds, formats, required properties, enums and
 * closed objects, which is what decides whether a value fits a column.
 */
final class JsonSchemaMapping {
  /** The JSON kinds a reader accepts, so that unions can pick their branch by the first token. */
  static final int OBJECT = 1, ARRAY = 2, STRING = 4, INTEGER = 8, NUMBER = 16, BOOLEAN = 32;

  static final int ANY = 63;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A mapped schema: its row type, whether the value may be null, its reader and JSON kinds. */
  record Mapped(Type type, boolean optional, JsonSchemaReader reader, int kinds) {}

  /** A property, and the definitions it was reached through (which it must not contain). */
  private record Property(String name, JsonNode schema, Doc doc, Set<String> via) {}

  private record ObjectShape(
      List<Property> properties, Set<String> required, boolean closed, JsonNode values, Doc doc) {}

  private final JsonSchemaDocuments documents;
  private final Set<String> refsInProgress = new LinkedHashSet<>();

  private JsonSchemaMapping(JsonSchemaDocuments documents) {
    this.documents = documents;
  }

  /**
   * Maps the top-level object. Its reader returns the row's {@code Object[]} (not yet a Row) with
   * {@code extraSlots} empty positions at the end for the consumer's metadata column.
   */
  static Mapped root(JsonSchemaDocuments documents, Doc doc, int extraSlots) {
    JsonSchemaMapping mapping = new JsonSchemaMapping(documents);
    ObjectShape shape = mapping.objectShape(doc.root(), doc, Set.of());
    if (shape == null || shape.properties().isEmpty()) {
      throw new IllegalArgumentException(
          "the value schema is not an object with properties; only objects become table rows");
    }
    return mapping.mapObject(shape, extraSlots, true);
  }

  private Mapped map(JsonNode s, Doc doc) {
    if (s.isBoolean()) {
      if (!s.booleanValue()) {
        throw new IllegalArgumentException("schema false accepts no value");
      }
      return anyJson();
    }
    if (!s.isObject()) {
      throw new IllegalArgumentException("a schema must be an object or a boolean, not " + s);
    }
    if (s.has("$ref")) {
      JsonSchemaDocuments.Target t = documents.resolve(s.get("$ref").asText(), doc);
      return through(t, () -> map(t.schema(), t.doc()));
    }
    if (s.has("allOf")) {
      return mapAllOf(s, doc);
    }
    boolean typed = s.has("type") || s.has("properties");
    if (!typed && (s.has("oneOf") || s.has("anyOf"))) {
      return mapUnion(s.has("oneOf") ? s.get("oneOf") : s.get("anyOf"), doc);
    }
    if (s.has("enum") || s.has("const")) {
      return JsonSchemaEnums.map(s);
    }
    List<String> types = types(s);
    boolean nullable = types.remove("null");
    if (types.isEmpty()) {
      if (nullable) {
        throw new IllegalArgumentException("a field of type null cannot become a column");
      }
      return anyJson();
    }
    if (types.size() > 1) {
      List<JsonNode> branches = new ArrayList<>();
      for (String type : types) {
        branches.add(((ObjectNode) s.deepCopy()).put("type", type).without("title"));
      }
      Mapped union = mapBranches(branches, doc, nullable);
      return union;
    }
    Mapped m = mapType(types.get(0), s, doc);
    return nullable ? optional(m) : m;
  }

  private static List<String> types(JsonNode s) {
    List<String> types = new ArrayList<>();
    JsonNode type = s.get("type");
    if (type == null) {
      if (s.has("properties") || s.has("additionalProperties")) {
        types.add("object");
      } else if (s.has("items") || s.has("prefixItems")) {
        types.add("array");
      }
    } else if (type.isArray()) {
      type.forEach(t -> types.add(t.asText()));
    } else {
      types.add(type.asText());
    }
    return types;
  }

  private Mapped mapType(String type, JsonNode s, Doc doc) {
    String format = s.path("format").asText("");
    String connectType = s.path("connect.type").asText("");
    return switch (type) {
      case "object" -> mapObjectType(s, doc);
      case "array" -> mapArray(s, doc);
      case "boolean" ->
          new Mapped(Type.Primitive.BOOLEAN, false, JsonSchemaScalars.BOOLEAN, BOOLEAN);
      case "integer" ->
          switch (connectType) {
            case "int8", "int16", "int32" ->
                new Mapped(Type.Primitive.INT, false, JsonSchemaScalars.INT, INTEGER | NUMBER);
            default ->
                new Mapped(Type.Primitive.LONG, false, JsonSchemaScalars.LONG, INTEGER | NUMBER);
          };
      case "number" -> {
        if (format.equals("decimal")) {
          yield decimal(s);
        }
        yield connectType.equals("float32")
            ? new Mapped(Type.Primitive.FLOAT, false, JsonSchemaScalars.FLOAT, INTEGER | NUMBER)
            : new Mapped(Type.Primitive.DOUBLE, false, JsonSchemaScalars.DOUBLE, INTEGER | NUMBER);
      }
      case "string" -> mapString(s, format);
      default -> throw new IllegalArgumentException("unknown type '" + type + "'");
    };
  }

  private Mapped mapString(JsonNode s, String format) {
    if (s.path("contentEncoding").asText("").equals("base64") || format.equals("byte")) {
      return new Mapped(Type.Primitive.BINARY, false, JsonSchemaScalars.BINARY, STRING);
    }
    return switch (format) {
      case "date" -> new Mapped(Type.Primitive.DATE, false, JsonSchemaScalars.DATE, STRING);
      case "time" -> new Mapped(Type.Primitive.TIME, false, JsonSchemaScalars.TIME, STRING);
      case "date-time" ->
          new Mapped(Type.Primitive.TIMESTAMPTZ, false, JsonSchemaScalars.TIMESTAMPTZ, STRING);
      case "local-date-time" ->
          new Mapped(Type.Primitive.TIMESTAMP, false, JsonSchemaScalars.TIMESTAMP, STRING);
      case "uuid" -> new Mapped(Type.Primitive.UUID, false, JsonSchemaScalars.UUID_READER, STRING);
      case "decimal" -> decimal(s);
      default -> new Mapped(Type.Primitive.STRING, false, JsonSchemaScalars.STRING, STRING);
    };
  }

  private static Mapped decimal(JsonNode s) {
    int precision = s.path("precision").asInt(38);
    int scale = s.path("scale").asInt(0);
    return new Mapped(
        new Type.Decimal(precision, scale),
        false,
        JsonSchemaScalars.decimal(precision, scale),
        INTEGER | NUMBER | STRING);
  }

  private Mapped mapObjectType(JsonNode s, Doc doc) {
    ObjectShape shape = objectShape(s, doc, Set.of());
    if (!shape.properties().isEmpty()) {
      return mapObject(shape, 0, false);
    }
    if (shape.values() != null) {
      return mapMap(shape.values(), shape.doc());
    }
    // An object without declared properties: keep the JSON text rather than lose it.
    JsonSchemaReader text = JsonSchemaScalars.JSON_TEXT;
    return new Mapped(
        Type.Primitive.STRING,
        false,
        p -> {
          if (p.currentToken() != JsonToken.START_OBJECT) {
            throw JsonSchemaValueException.mismatch("an object", p);
          }
          return text.read(p);
        },
        OBJECT);
  }

  /**
   * The properties of an object schema, following {@code $ref} and merging {@code allOf}; null when
   * {@code s} is not an object schema.
   */
  private ObjectShape objectShape(JsonNode s, Doc doc, Set<String> via) {
    if (s.has("$ref")) {
      JsonSchemaDocuments.Target t = documents.resolve(s.get("$ref").asText(), doc);
      Set<String> through = new LinkedHashSet<>(via);
      through.add(t.key());
      return through(t, () -> objectShape(t.schema(), t.doc(), through));
    }
    List<Property> properties = new ArrayList<>();
    Set<String> required = new LinkedHashSet<>();
    boolean closed = false;
    JsonNode values = null;
    Doc valuesDoc = doc;
    boolean object = types(s).contains("object");
    if (s.has("allOf")) {
      for (JsonNode branch : s.get("allOf")) {
        ObjectShape b = objectShape(branch, doc, via);
        if (b == null) {
          return null;
        }
        b.properties().forEach(p -> replace(properties, p));
        required.addAll(b.required());
        object = true;
      }
    }
    if (!object) {
      return null;
    }
    s.path("properties")
        .fields()
        .forEachRemaining(
            e -> replace(properties, new Property(e.getKey(), e.getValue(), doc, via)));
    s.path("required").forEach(r -> required.add(r.asText()));
    JsonNode additional = s.get("additionalProperties");
    if (additional != null && additional.isBoolean()) {
      closed = !additional.booleanValue();
    } else if (additional != null && additional.isObject()) {
      values = additional;
    }
    return new ObjectShape(properties, required, closed, values, valuesDoc);
  }

  private static void replace(List<Property> properties, Property p) {
    properties.removeIf(q -> q.name().equals(p.name()));
    properties.add(p);
  }

  private Mapped mapAllOf(JsonNode s, Doc doc) {
    ObjectShape shape = objectShape(s, doc, Set.of());
    if (shape != null && !shape.properties().isEmpty()) {
      return mapObject(shape, 0, false);
    }
    JsonNode allOf = s.get("allOf");
    if (allOf.size() == 1) {
      return map(allOf.get(0), doc);
    }
    throw new IllegalArgumentException(
        "allOf is supported for objects (merged into one struct) or a single schema");
  }

  private Mapped mapObject(ObjectShape shape, int extraSlots, boolean topLevel) {
    List<Property> properties = shape.properties();
    int n = properties.size();
    List<Field> fields = new ArrayList<>(n);
    String[] names = new String[n];
    JsonSchemaReader[] readers = new JsonSchemaReader[n];
    boolean[] required = new boolean[n];
    Object[] defaults = new Object[n];
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < n; i++) {
      Property p = properties.get(i);
      Mapped m;
      List<String> entered = new ArrayList<>();
      for (String key : p.via()) {
        if (refsInProgress.add(key)) {
          entered.add(key);
        }
      }
      try {
        m = map(p.schema(), p.doc());
        defaults[i] = defaultValue(p.schema(), m);
      } catch (IllegalArgumentException e) {
        throw JsonSchemaMappingException.at(p.name(), e);
      } finally {
        refsInProgress.removeAll(entered);
      }
      names[i] = p.name();
      readers[i] = m.reader();
      required[i] = shape.required().contains(p.name());
      index.put(p.name(), i);
      String doc = p.schema().path("description").asText(null);
      fields.add(new Field(p.name(), m.type(), !required[i] || m.optional(), doc, 0));
    }
    JsonSchemaReader reader =
        new JsonSchemaObjectReader(
            names, readers, required, defaults, index, shape.closed(), n + extraSlots);
    JsonSchemaReader rows = topLevel ? reader : p -> Row.wrap((Object[]) reader.read(p));
    return new Mapped(new Type.Struct(fields), false, rows, OBJECT);
  }

  /** An absent property with a {@code default} gets the default, read by its own reader. */
  private static Object defaultValue(JsonNode s, Mapped m) {
    JsonNode d = s.get("default");
    if (d == null || d.isNull()) {
      return null;
    }
    try (JsonParser p = JSON.treeAsTokens(d)) {
      p.nextToken();
      return m.reader().read(p);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "default " + d + " does not fit the schema: " + e.getMessage(), e);
    }
  }

  private Mapped mapMap(JsonNode valueSchema, Doc doc) {
    Mapped value;
    try {
      value = map(valueSchema, doc);
    } catch (IllegalArgumentException e) {
      throw JsonSchemaMappingException.at("{}", e);
    }
    return JsonSchemaCollections.map(value);
  }

  private Mapped mapArray(JsonNode s, Doc doc) {
    JsonNode prefix = s.has("prefixItems") ? s.get("prefixItems") : s.get("items");
    if (prefix != null && prefix.isArray()) {
      JsonNode rest = s.has("prefixItems") ? s.get("items") : s.get("additionalItems");
      return JsonSchemaTuples.map(
          prefix,
          rest != null && rest.isBoolean() && !rest.booleanValue(),
          item -> {
            try {
              return map(item.schema(), doc);
            } catch (IllegalArgumentException e) {
              throw JsonSchemaMappingException.at(item.name(), e);
            }
          });
    }
    Mapped element;
    try {
      element =
          prefix == null ? map(JSON.getNodeFactory().booleanNode(true), doc) : map(prefix, doc);
    } catch (IllegalArgumentException e) {
      throw JsonSchemaMappingException.at("[]", e);
    }
    return JsonSchemaCollections.list(element);
  }

  private Mapped mapUnion(JsonNode branches, Doc doc) {
    List<JsonNode> valueBranches = new ArrayList<>();
    boolean nullable = false;
    for (JsonNode b : branches) {
      if (b.path("type").asText("").equals("null")) {
        nullable = true;
      } else {
        valueBranches.add(b);
      }
    }
    return mapBranches(valueBranches, doc, nullable);
  }

  /**
   * One value branch is an optional or required T; several become a struct with one optional field
   * per branch, of which the reader sets the one that matches the value.
   */
  private Mapped mapBranches(List<JsonNode> branches, Doc doc, boolean nullable) {
    if (branches.isEmpty()) {
      throw new IllegalArgumentException("a union of only null cannot become a column");
    }
    if (branches.size() == 1) {
      Mapped m = map(branches.get(0), doc);
      return nullable ? optional(m) : m;
    }
    List<String> names = new ArrayList<>();
    List<Mapped> mapped = new ArrayList<>();
    for (JsonNode b : branches) {
      String name = JsonSchemaUnions.branchName(b, names);
      try {
        mapped.add(map(b, doc));
      } catch (IllegalArgumentException e) {
        throw JsonSchemaMappingException.at(name, e);
      }
      names.add(name);
    }
    return JsonSchemaUnions.map(names, mapped, nullable);
  }

  /** No type constraint: the JSON text of any value, and null for JSON null. */
  private static Mapped anyJson() {
    return optional(new Mapped(Type.Primitive.STRING, false, JsonSchemaScalars.JSON_TEXT, ANY));
  }

  static Mapped optional(Mapped m) {
    if (m.optional()) {
      return m;
    }
    JsonSchemaReader r = m.reader();
    return new Mapped(
        m.type(),
        true,
        p -> p.currentToken() == JsonToken.VALUE_NULL ? null : r.read(p),
        m.kinds());
  }

  private <T> T through(JsonSchemaDocuments.Target t, Supplier<T> mapping) {
    if (!refsInProgress.add(t.key())) {
      throw new IllegalArgumentException(
          "definition '"
              + t.definition()
              + "' contains itself (via "
              + String.join(" -> ", refsInProgress)
              + "); recursive schemas cannot become table columns");
    }
    try {
      return mapping.get();
    } finally {
      refsInProgress.remove(t.key());
    }
  }
}
