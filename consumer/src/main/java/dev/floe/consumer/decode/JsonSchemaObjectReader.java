package dev.floe.consumer.decode;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Map;

/**
 * Reads a JSON object with declared properties into the row's {@code Object[]}. Properties may come
 * in any order; the common case, declaration order, is matched without a map lookup.
 */
final class JsonSchemaObjectReader implements JsonSchemaReader {
  private final String[] names;
  private final JsonSchemaReader[] readers;
  private final boolean[] required;
  private final Object[] defaults;
  private final Map<String, Integer> index;
  private final boolean closed;
  private final boolean checkAbsent;
  private final int width;

  JsonSchemaObjectReader(
      String[] names,
      JsonSchemaReader[] readers,
      boolean[] required,
      Object[] defaults,
      Map<String, Integer> index,
      boolean closed,
      int width) {
    this.names = names;
    this.readers = readers;
    this.required = required;
    this.defaults = defaults;
    this.index = index;
    this.closed = closed;
    this.width = width;
    boolean any = false;
    for (int i = 0; i < names.length; i++) {
      any |= required[i] || defaults[i] != null;
    }
    this.checkAbsent = any;
  }

  @Override
  public Object read(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw JsonSchemaValueException.mismatch("an object", p);
    }
    int n = names.length;
    Object[] values = new Object[width];
    boolean[] seen = checkAbsent ? new boolean[n] : null;
    int next = 0;
    for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
      int i = next < n && names[next].equals(name) ? next : index.getOrDefault(name, -1);
      p.nextToken();
      if (i < 0) {
        if (closed) {
          throw new JsonSchemaValueException(
                  "unknown property (the schema says additionalProperties: false)")
              .at(name);
        }
        p.skipChildren();
        continue;
      }
      try {
        values[i] = readers[i].read(p);
      } catch (JsonSchemaValueException e) {
        throw e.at(name);
      } catch (JsonProcessingException e) {
        throw JsonSchemaValueException.malformed(e).at(name);
      }
      if (seen != null) {
        seen[i] = true;
      }
      next = i + 1;
    }
    if (p.currentToken() != JsonToken.END_OBJECT) {
      throw new JsonSchemaValueException("malformed JSON: expected a property name or '}'");
    }
    if (seen != null) {
      for (int i = 0; i < n; i++) {
        if (!seen[i]) {
          if (required[i]) {
            throw new JsonSchemaValueException("required property is missing").at(names[i]);
          }
          values[i] = defaults[i];
        }
      }
    }
    return values;
  }
}
