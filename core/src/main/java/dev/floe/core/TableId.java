package dev.floe.core;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/** A table name: one or more namespace levels and a name, written {@code sales.orders}. */
public final class TableId {
  private static final Pattern PART = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private final List<String> namespace;
  private final String name;

  private TableId(List<String> namespace, String name) {
    this.namespace = List.copyOf(namespace);
    this.name = name;
  }

  /**
   * Parses {@code ns.name}. Parts are lower-cased identifiers because Glue and Hive Metastore
   * lower- case names: two tables differing only in case would collide there.
   */
  public static TableId parse(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length < 2) {
      throw new IllegalArgumentException(
          "table name '"
              + text
              + "' has no namespace; write it as namespace.name, e.g. raw."
              + text);
    }
    for (String part : parts) {
      if (!PART.matcher(part).matches()) {
        throw new IllegalArgumentException(
            "table name '"
                + text
                + "' has an invalid part '"
                + part
                + "'; use letters, digits and underscores, starting with a letter or underscore");
      }
    }
    List<String> lower =
        Arrays.stream(parts).map(p -> p.toLowerCase(java.util.Locale.ROOT)).toList();
    return new TableId(lower.subList(0, lower.size() - 1), lower.get(lower.size() - 1));
  }

  public List<String> namespace() {
    return namespace;
  }

  public String name() {
    return name;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TableId other
        && namespace.equals(other.namespace)
        && name.equals(other.name);
  }

  @Override
  public int hashCode() {
    return Objects.hash(namespace, name);
  }

  @Override
  public String toString() {
    return String.join(".", namespace) + "." + name;
  }
}
