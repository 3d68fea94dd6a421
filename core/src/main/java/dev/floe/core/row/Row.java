package dev.floe.core.row;

import java.util.Arrays;

/**
 * Values of a {@link Type.Struct}, by position. Rows are built once by a decoder and then only
 * read; the array is not copied, so that the per-record hot path allocates one object per struct.
 */
public final class Row {
  private final Object[] values;

  private Row(Object[] values) {
    this.values = values;
  }

  /** Wraps {@code values} without copying; the caller must not change the array afterwards. */
  public static Row wrap(Object... values) {
    return new Row(values);
  }

  public int size() {
    return values.length;
  }

  public Object get(int pos) {
    return values[pos];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Row other && Arrays.deepEquals(values, other.values);
  }

  @Override
  public int hashCode() {
    return Arrays.deepHashCode(values);
  }

  @Override
  public String toString() {
    return Arrays.deepToString(values);
  }
}
