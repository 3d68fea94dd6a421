package dev.floe.consumer.decode;

/**
 * A schema that cannot become a table schema, with the path of the field where it happened, e.g.
 * {@code order.items[].price: unknown type 'decimal'}.
 */
final class JsonSchemaMappingException extends IllegalArgumentException {
  private final String path;
  private final String problem;

  private JsonSchemaMappingException(String path, String problem, Throwable cause) {
    super(path + ": " + problem, cause);
    this.path = path;
    this.problem = problem;
  }

  /** Prepends a segment: a property name, {@code []} for array items, {@code {}} for map values. */
  static JsonSchemaMappingException at(String segment, IllegalArgumentException e) {
    if (e instanceof JsonSchemaMappingException m) {
      String sep = m.path.startsWith("[") || m.path.startsWith("{") ? "" : ".";
      return new JsonSchemaMappingException(segment + sep + m.path, m.problem, m.getCause());
    }
    return new JsonSchemaMappingException(segment, e.getMessage(), e);
  }
}
