package dev.floe.core.row;

/**
 * A named column. {@code sourceId} is the stable id the source schema gives the field (a Protobuf
 * field number), or 0 when the source has none; sinks may use it to keep column identity.
 */
public record Field(String name, Type type, boolean optional, String doc, int sourceId) {
  public Field {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("field name must not be empty");
    }
  }

  public static Field required(String name, Type type) {
    return new Field(name, type, false, null, 0);
  }

  public static Field optional(String name, Type type) {
    return new Field(name, type, true, null, 0);
  }
}
