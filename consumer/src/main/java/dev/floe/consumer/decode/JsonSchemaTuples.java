package dev.floe.consumer.decode;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.floe.consumer.decode.JsonSchemaMapping.Mapped;
import dev.floe.core.row.Field;
import dev.floe.core.row.Row;
import dev.floe.core.row.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Tuples ({@code prefixItems} in 2020-12, {@code items: [...]} in draft-07): a struct with one
 * optional field per position, named {@code item_0}, {@code item_1}, ...; all optional because a
 * JSON array may stop early. Items past the declared ones are skipped, unless the schema closes the
 * tuple ({@code items: false} / {@code additionalItems: false}), which makes them bad input.
 */
final class JsonSchemaTuples {
  record Item(String name, JsonNode schema) {}

  private JsonSchemaTuples() {}

  static Mapped map(JsonNode prefix, boolean closed, Function<Item, Mapped> mapper) {
    int n = prefix.size();
    List<Field> fields = new ArrayList<>(n);
    JsonSchemaReader[] readers = new JsonSchemaReader[n];
    for (int i = 0; i < n; i++) {
      String name = "item_" + i;
      Mapped m = mapper.apply(new Item(name, prefix.get(i)));
      fields.add(Field.optional(name, m.type()));
      readers[i] = m.reader();
    }
    return new Mapped(
        new Type.Struct(fields),
        false,
        p -> {
          if (p.currentToken() != JsonToken.START_ARRAY) {
            throw JsonSchemaValueException.mismatch("an array (a tuple)", p);
          }
          Object[] values = new Object[n];
          for (int i = 0; p.nextToken() != JsonToken.END_ARRAY; i++) {
            if (i >= n) {
              if (closed) {
                throw new JsonSchemaValueException(
                    "the tuple has more than " + n + " items, and the schema allows no more");
              }
              p.skipChildren();
              continue;
            }
            try {
              values[i] = readers[i].read(p);
            } catch (JsonSchemaValueException e) {
              throw e.index(i);
            } catch (JsonProcessingException e) {
              throw JsonSchemaValueException.malformed(e).index(i);
            }
          }
          return Row.wrap(values);
        },
        JsonSchemaMapping.ARRAY);
  }
}
