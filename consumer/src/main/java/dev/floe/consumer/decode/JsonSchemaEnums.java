package dev.floe.consumer.decode;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.floe.consumer.decode.JsonSchemaMapping.Mapped;
import dev.floe.core.row.Type;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code enum} and {@code const}: strings become a STRING column, integers a LONG column, booleans
 * a BOOLEAN column; a value outside the list is bad input. A {@code null} in the list makes the
 * column optional.
 */
final class JsonSchemaEnums {
  private JsonSchemaEnums() {}

  static Mapped map(JsonNode s) {
    List<JsonNode> values = new ArrayList<>();
    if (s.has("enum")) {
      s.get("enum").forEach(values::add);
    } else {
      values.add(s.get("const"));
    }
    boolean nullable = values.removeIf(JsonNode::isNull);
    if (values.isEmpty()) {
      throw new IllegalArgumentException("an enum of only null cannot become a column");
    }
    Mapped m;
    if (values.stream().allMatch(JsonNode::isTextual)) {
      m =
          checked(
              Type.Primitive.STRING,
              JsonSchemaScalars.STRING,
              JsonSchemaMapping.STRING,
              values,
              JsonNode::asText);
    } else if (values.stream().allMatch(JsonNode::canConvertToLong)
        && values.stream().allMatch(JsonNode::isIntegralNumber)) {
      m =
          checked(
              Type.Primitive.LONG,
              JsonSchemaScalars.LONG,
              JsonSchemaMapping.INTEGER | JsonSchemaMapping.NUMBER,
              values,
              JsonNode::asLong);
    } else if (values.stream().allMatch(JsonNode::isBoolean)) {
      m =
          checked(
              Type.Primitive.BOOLEAN,
              JsonSchemaScalars.BOOLEAN,
              JsonSchemaMapping.BOOLEAN,
              values,
              JsonNode::asBoolean);
    } else {
      throw new IllegalArgumentException(
          "enum/const values " + values + " must be all strings, all integers or all booleans");
    }
    return nullable ? JsonSchemaMapping.optional(m) : m;
  }

  private static Mapped checked(
      Type type,
      JsonSchemaReader base,
      int kinds,
      List<JsonNode> values,
      java.util.function.Function<JsonNode, Object> value) {
    Set<Object> allowed = new HashSet<>();
    values.forEach(v -> allowed.add(value.apply(v)));
    String list = values.toString();
    return new Mapped(
        type,
        false,
        p -> {
          Object v = base.read(p);
          if (!allowed.contains(v)) {
            String shown =
                p.currentToken() == JsonToken.VALUE_STRING ? "'" + v + "'" : String.valueOf(v);
            throw new JsonSchemaValueException(shown + " is not one of " + list);
          }
          return v;
        },
        kinds);
  }
}
