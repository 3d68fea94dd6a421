package dev.floe.sinks.delta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.delta.standalone.actions.AddFile;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which data files may hold one of a batch's changed keys, by the key columns' {@code minValues}
 * and {@code maxValues} in each file's statistics. Long (and int) and string keys are compared; a
 * file without statistics for them, or keys of other types, make the file a candidate.
 */
final class KeyRanges {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<String> keyColumns;
  private final Set<List<Object>> keys;
  private final NavigableMap<Comparable<Object>, List<List<Object>>> byFirstColumn;

  KeyRanges(List<String> keyColumns, Set<List<Object>> keys) {
    this.keyColumns = keyColumns;
    this.keys = keys;
    this.byFirstColumn = index(keys);
  }

  /** Whether the file's statistics leave room for one of the changed keys. */
  boolean mayHoldAKey(AddFile file) {
    JsonNode stats = stats(file.getStats());
    if (stats == null) {
      return true;
    }
    Map.Entry<Comparable<Object>, Comparable<Object>> first = range(stats, 0);
    if (first == null
        || byFirstColumn == null
        || byFirstColumn.isEmpty()
        || !comparable(first.getKey(), byFirstColumn.firstKey())) {
      return true;
    }
    for (List<List<Object>> candidates :
        byFirstColumn.subMap(first.getKey(), true, first.getValue(), true).values()) {
      for (List<Object> key : candidates) {
        if (otherColumnsInRange(stats, key)) {
          return true;
        }
      }
    }
    return false;
  }

  private boolean otherColumnsInRange(JsonNode stats, List<Object> key) {
    for (int k = 1; k < keyColumns.size(); k++) {
      Map.Entry<Comparable<Object>, Comparable<Object>> r = range(stats, k);
      if (r != null
          && key.get(k) instanceof Comparable<?> c
          && comparable(r.getKey(), c)
          && (r.getKey().compareTo(key.get(k)) > 0 || r.getValue().compareTo(key.get(k)) < 0)) {
        return false;
      }
    }
    return true;
  }

  private static boolean comparable(Object bound, Object value) {
    return bound.getClass() == value.getClass();
  }

  /** The min and max of key column {@code k} as the key values compare, or null when unknown. */
  @SuppressWarnings("unchecked")
  private Map.Entry<Comparable<Object>, Comparable<Object>> range(JsonNode stats, int k) {
    JsonNode min = stats.path("minValues").get(keyColumns.get(k));
    JsonNode max = stats.path("maxValues").get(keyColumns.get(k));
    if (min == null || max == null) {
      return null;
    }
    if (min.isIntegralNumber() && max.isIntegralNumber()) {
      return Map.entry(
          (Comparable<Object>) (Object) min.asLong(), (Comparable<Object>) (Object) max.asLong());
    }
    if (min.isTextual() && max.isTextual() && keys.iterator().next().get(k) instanceof String) {
      return Map.entry(
          (Comparable<Object>) (Object) min.asText(), (Comparable<Object>) (Object) max.asText());
    }
    return null; // dates, timestamps, decimals: not worth parsing here; the file is opened
  }

  private static JsonNode stats(String value) {
    if (value == null) {
      return null;
    }
    try {
      JsonNode node = JSON.readTree(value);
      return node.isTextual()
          ? JSON.readTree(node.asText())
          : node; // quoted as the protocol has it
    } catch (IOException e) {
      return null;
    }
  }

  /** The changed keys by their first column, when that column's values compare (long, string). */
  @SuppressWarnings("unchecked")
  private static NavigableMap<Comparable<Object>, List<List<Object>>> index(
      Set<List<Object>> keys) {
    NavigableMap<Comparable<Object>, List<List<Object>>> index = new TreeMap<>();
    Class<?> type = null;
    for (List<Object> key : keys) {
      Object first = key.get(0);
      if (!(first instanceof Long || first instanceof String)
          || (type != null && type != first.getClass())) {
        return null;
      }
      type = first.getClass();
      index.computeIfAbsent((Comparable<Object>) first, f -> new ArrayList<>()).add(key);
    }
    return index;
  }
}
