package dev.floe.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.floe.core.ConfigException;
import dev.floe.core.Errors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** Typed, validating access to one YAML mapping; every error names the key path and its line. */
final class ConfigNode {
  private final YamlDocument doc;
  private final JsonNode node;
  private final String path;
  private final Function<String, String> env;

  ConfigNode(YamlDocument doc, JsonNode node, String path, Function<String, String> env) {
    this.doc = doc;
    this.node = node;
    this.path = path;
    this.env = env;
  }

  String path() {
    return path;
  }

  String keyPath(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  ConfigException error(String key, String problem, String fix) {
    String at = key == null ? path : keyPath(key);
    return Errors.config(at, doc.line(at), problem, fix);
  }

  /** Fails on keys outside {@code allowed}, suggesting the closest allowed key. */
  void rejectUnknownKeys(Set<String> allowed) {
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) {
        String suggestion = Suggestions.closest(name, allowed);
        throw error(
            name,
            "unknown key",
            (suggestion != null ? "did you mean '" + suggestion + "'? " : "")
                + "Allowed keys here: "
                + String.join(", ", new java.util.TreeSet<>(allowed)));
      }
    }
  }

  boolean has(String key) {
    return node.has(key) && !node.get(key).isNull();
  }

  ConfigNode child(String key) {
    JsonNode child = node.get(key);
    if (child == null || child.isNull()) {
      child = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    } else if (!child.isObject()) {
      throw error(
          key,
          "expected a mapping (key: value pairs) but found " + describe(child),
          "indent the keys under '" + key + "'");
    }
    return new ConfigNode(doc, child, keyPath(key), env);
  }

  String string(String key, String fallback) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isValueNode()) {
      throw error(key, "expected a single value but found " + describe(v), "write a plain value");
    }
    return substitute(key, v.asText());
  }

  String requiredString(String key, String fix) {
    String v = string(key, null);
    if (v == null || v.isBlank()) {
      throw error(key, "is required", fix);
    }
    return v;
  }

  int intValue(String key, int fallback, int min) {
    return (int) longValue(key, fallback, min);
  }

  long longValue(String key, long fallback, long min) {
    String v = string(key, null);
    if (v == null) {
      return fallback;
    }
    long parsed;
    try {
      parsed = Long.parseLong(v.replace("_", ""));
    } catch (NumberFormatException e) {
      throw error(key, "'" + v + "' is not a whole number", "write a number such as 1000");
    }
    if (parsed < min) {
      throw error(key, v + " is below the minimum " + min, "use a value of at least " + min);
    }
    return parsed;
  }

  boolean bool(String key, boolean fallback) {
    String v = string(key, null);
    if (v == null) {
      return fallback;
    }
    if (!v.equals("true") && !v.equals("false")) {
      throw error(key, "'" + v + "' is not true or false", "write " + key + ": true or false");
    }
    return v.equals("true");
  }

  Duration duration(String key, Duration fallback) {
    String v = string(key, null);
    try {
      return v == null ? fallback : Values.duration(v);
    } catch (IllegalArgumentException e) {
      throw error(key, e.getMessage(), "write a duration such as 500ms, 30s, 5m or 1h");
    }
  }

  long bytes(String key, long fallback) {
    String v = string(key, null);
    try {
      return v == null ? fallback : Values.bytes(v);
    } catch (IllegalArgumentException e) {
      throw error(key, e.getMessage(), "write a size such as 64MB, 512KiB or 1GB");
    }
  }

  <E extends Enum<E>> E enumValue(String key, Class<E> type, E fallback) {
    String v = string(key, null);
    if (v == null) {
      return fallback;
    }
    for (E e : type.getEnumConstants()) {
      if (Values.configName(e).equals(v)) {
        return e;
      }
    }
    throw error(key, "'" + v + "' is not a valid value", "use one of " + Values.configNames(type));
  }

  /** A list of plain values; a single value counts as a one-element list. */
  List<String> stringList(String key) {
    JsonNode v = node.get(key);
    List<String> out = new ArrayList<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (v.isValueNode()) {
      out.add(substitute(key, v.asText()));
      return out;
    }
    if (!v.isArray()) {
      throw error(
          key, "expected a list but found " + describe(v), "write [a, b] or one '- item' per line");
    }
    for (int i = 0; i < v.size(); i++) {
      if (!v.get(i).isValueNode()) {
        throw error(
            key + "[" + i + "]",
            "expected a plain value but found " + describe(v.get(i)),
            "write a plain value");
      }
      out.add(substitute(key + "[" + i + "]", v.get(i).asText()));
    }
    return out;
  }

  /** A list of mappings, e.g. {@code tables}. */
  List<ConfigNode> nodeList(String key) {
    JsonNode v = node.get(key);
    List<ConfigNode> out = new ArrayList<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (!v.isArray()) {
      throw error(key, "expected a list but found " + describe(v), "write one '- ' entry per item");
    }
    for (int i = 0; i < v.size(); i++) {
      String p = keyPath(key) + "[" + i + "]";
      if (!v.get(i).isObject()) {
        throw Errors.config(
            p,
            doc.line(p),
            "expected a mapping but found " + describe(v.get(i)),
            "write key: value pairs");
      }
      out.add(new ConfigNode(doc, v.get(i), p, env));
    }
    return out;
  }

  /** Names of the keys of this mapping, in file order. */
  List<String> keys() {
    List<String> keys = new ArrayList<>();
    node.fieldNames().forEachRemaining(keys::add);
    return keys;
  }

  /** A flat mapping of plain values, e.g. Kafka properties. */
  Map<String, String> stringMap() {
    Map<String, String> out = new LinkedHashMap<>();
    for (String key : keys()) {
      out.put(key, string(key, null));
    }
    return out;
  }

  private String substitute(String key, String value) {
    try {
      return Values.substituteEnv(value, env);
    } catch (IllegalArgumentException e) {
      throw error(
          key,
          e.getMessage(),
          "set the environment variable before starting Floe, or give a default as ${env:NAME:-default}");
    }
  }

  private static String describe(JsonNode n) {
    return n.isArray() ? "a list" : n.isObject() ? "a mapping" : "'" + n.asText() + "'";
  }
}
