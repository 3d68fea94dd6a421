package dev.floe.app;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Deep comparison of a value expected from a source record with what a table reader returned. The
 * expected side decides equality, so that its stand-ins ({@link Members}, and the Iceberg test's
 * RecordValue and UnionValue) compare with the reader's own types.
 */
final class ExpectedValues {
  private ExpectedValues() {}

  /** A union's struct compared by member position (member names are the decoder's business). */
  record Members(List<Object> values) {}

  static boolean same(Object expected, Object actual) {
    if (expected == null || actual == null) {
      return expected == actual;
    }
    if (expected instanceof byte[] bytes) {
      return actual instanceof byte[] other && Arrays.equals(bytes, other);
    }
    if (expected instanceof Members m) {
      return actual instanceof Map<?, ?> struct
          && same(m.values(), new ArrayList<>(struct.values()));
    }
    if (expected instanceof List<?> list) {
      if (!(actual instanceof List<?> other) || other.size() != list.size()) {
        return false;
      }
      for (int i = 0; i < list.size(); i++) {
        if (!same(list.get(i), other.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (expected instanceof Map<?, ?> map) {
      return actual instanceof Map<?, ?> other
          && other.size() == map.size()
          && map.entrySet().stream().allMatch(e -> same(e.getValue(), other.get(e.getKey())));
    }
    // the rest by equals, BigDecimal's included: a decimal must match in value and in scale
    return expected.equals(actual);
  }
}
