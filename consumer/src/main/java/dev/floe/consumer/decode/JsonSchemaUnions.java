package dev.floe.consumer.decode;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import dev.floe.consumer.decode.JsonSchemaMapping.Mapped;
import dev.floe.core.row.Field;
import dev.floe.core.row.Row;
import dev.floe.core.row.Type;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code oneOf}/{@code anyOf} with several value branches (and {@code type: [A, B]}): a struct with
 * one optional field per branch; a row sets the field of the first branch that accepts the value.
 * The JSON kind of the value's first token picks the candidates, so most values are read once; only
 * when several branches accept that kind (two object branches, say) is the value buffered and tried
 * against each in order.
 */
final class JsonSchemaUnions {
  private static final int[] KIND_BITS = {
    JsonSchemaMapping.OBJECT,
    JsonSchemaMapping.ARRAY,
    JsonSchemaMapping.STRING,
    JsonSchemaMapping.INTEGER,
    JsonSchemaMapping.NUMBER,
    JsonSchemaMapping.BOOLEAN
  };

  private JsonSchemaUnions() {}

  /** The branch's title, else its {@code $ref}'s last segment, else its type; unique. */
  static String branchName(JsonNode branch, List<String> taken) {
    String base;
    if (branch.hasNonNull("title")) {
      base = branch.get("title").asText();
    } else if (branch.hasNonNull("$ref")) {
      String ref = branch.get("$ref").asText();
      base = ref.substring(Math.max(ref.lastIndexOf('/'), ref.lastIndexOf('#')) + 1);
    } else if (branch.path("type").isTextual()) {
      base = branch.get("type").asText();
    } else {
      base = "branch";
    }
    if (base.isEmpty()) {
      base = "branch";
    }
    String name = base;
    for (int n = 2; taken.contains(name); n++) {
      name = base + "_" + n;
    }
    return name;
  }

  static Mapped map(List<String> names, List<Mapped> branches, boolean nullable) {
    int width = branches.size();
    List<Field> fields = new ArrayList<>(width);
    JsonSchemaReader[] readers = new JsonSchemaReader[width];
    int kinds = 0;
    for (int i = 0; i < width; i++) {
      fields.add(Field.optional(names.get(i), branches.get(i).type()));
      readers[i] = branches.get(i).reader();
      kinds |= branches.get(i).kinds();
    }
    int[][] candidates = new int[KIND_BITS.length][];
    for (int k = 0; k < KIND_BITS.length; k++) {
      List<Integer> c = new ArrayList<>();
      for (int i = 0; i < width; i++) {
        if ((branches.get(i).kinds() & KIND_BITS[k]) != 0) {
          c.add(i);
        }
      }
      candidates[k] = c.stream().mapToInt(Integer::intValue).toArray();
    }
    String described = String.join(", ", names);
    return new Mapped(
        new Type.Struct(fields),
        nullable,
        p -> {
          JsonToken t = p.currentToken();
          if (t == JsonToken.VALUE_NULL && nullable) {
            return null;
          }
          int kind = kind(t);
          int[] c = kind < 0 ? new int[0] : candidates[kind];
          if (c.length == 0) {
            throw new JsonSchemaValueException(
                JsonSchemaValueException.describe(t)
                    + " matches none of the branches "
                    + described);
          }
          Object[] values = new Object[width];
          if (c.length == 1) {
            values[c[0]] = readers[c[0]].read(p);
            return Row.wrap(values);
          }
          TokenBuffer buffered = TokenBuffer.asCopyOfValue(p);
          JsonSchemaValueException last = null;
          for (int i : c) {
            try (JsonParser branch = buffered.asParser()) {
              branch.nextToken();
              values[i] = readers[i].read(branch);
              return Row.wrap(values);
            } catch (JsonSchemaValueException e) {
              last = e;
            }
          }
          throw new JsonSchemaValueException(
              "the value matches none of the branches "
                  + described
                  + " (last: "
                  + last.getMessage()
                  + ")");
        },
        kinds);
  }

  private static int kind(JsonToken t) {
    return switch (t) {
      case START_OBJECT -> 0;
      case START_ARRAY -> 1;
      case VALUE_STRING -> 2;
      case VALUE_NUMBER_INT -> 3;
      case VALUE_NUMBER_FLOAT -> 4;
      case VALUE_TRUE, VALUE_FALSE -> 5;
      default -> -1;
    };
  }
}
