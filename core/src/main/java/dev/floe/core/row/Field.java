package dev.floe.core.row;

import java.util.List;

/**
 * A named column. {@code sourceId} is the stable id the source schema gives the field (a Protobuf
 * field number), or 0 when the source has none; {@code aliases} are names the field had before
 * (Avro aliases). Sinks use both to keep a column's identity when the source renames a field.
 */
public record Field(
    String name, Type type, boolean optional, String doc, int sourceId, List<String> aliases) {
  public Field {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("field name must not be empty");
    }
    aliases = List.copyOf(aliases);
  }

  public Field(String name, Type type, boolean optional, String doc, int sourceId) {
    this(name, type, optional, doc, sourceId, List.of());
  }

  public static Field required(String name, Type type) {
    return new Field(name, type, false, null, 0);
  }

  public static Field optional(String name, Type type) {
    return new Field(name, type, true, null, 0);
  }
}
