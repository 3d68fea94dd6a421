package dev.floe.consumer.decode;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.floe.consumer.decode.JsonSchemaMapping.Mapped;
import dev.floe.core.row.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Arrays ({@code items}) as lists and free-keyed objects ({@code additionalProperties}) as maps.
 */
final class JsonSchemaCollections {
  private JsonSchemaCollections() {}

  static Mapped list(Mapped element) {
    JsonSchemaReader r = element.reader();
    return new Mapped(
        new Type.ListType(element.type(), element.optional()),
        false,
        p -> {
          if (p.currentToken() != JsonToken.START_ARRAY) {
            throw JsonSchemaValueException.mismatch("an array", p);
          }
          List<Object> list = new ArrayList<>();
          for (int i = 0; p.nextToken() != JsonToken.END_ARRAY; i++) {
            try {
              list.add(r.read(p));
            } catch (JsonSchemaValueException e) {
              throw e.index(i);
            } catch (JsonProcessingException e) {
              throw JsonSchemaValueException.malformed(e).index(i);
            }
          }
          return list;
        },
        JsonSchemaMapping.ARRAY);
  }

  /** Keys keep the payload's order (a LinkedHashMap), which readers of the table may show. */
  static Mapped map(Mapped value) {
    JsonSchemaReader r = value.reader();
    return new Mapped(
        new Type.MapType(Type.Primitive.STRING, value.type(), value.optional()),
        false,
        p -> {
          if (p.currentToken() != JsonToken.START_OBJECT) {
            throw JsonSchemaValueException.mismatch("an object", p);
          }
          Map<String, Object> map = new LinkedHashMap<>();
          for (String key = p.nextFieldName(); key != null; key = p.nextFieldName()) {
            p.nextToken();
            try {
              map.put(key, r.read(p));
            } catch (JsonSchemaValueException e) {
              throw e.at(key);
            } catch (JsonProcessingException e) {
              throw JsonSchemaValueException.malformed(e).at(key);
            }
          }
          return map;
        },
        JsonSchemaMapping.OBJECT);
  }
}
